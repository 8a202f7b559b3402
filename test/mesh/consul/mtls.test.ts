import { describe, expect, it } from 'vitest';
import { run, oneCall } from '../../helpers/sim.ts';

const API = 'consul.hashicorp.com/v1alpha1';

describe('Consul mTLS', () => {
  it('FIDELITY-MORE I3: sidecars negotiate TLS 1.2 (Envoy’s client default) with the 2-RTT mutual handshake of FIDELITY A8', () => {
    const r = run(oneCall({ startup: 'warm' }), 'consul');
    const tls = r.flights('tls').map((f) => f.label);
    expect(tls).toEqual([
      'ClientHello',
      'ServerHello',
      'Certificate',
      'ServerKeyExchange',
      'CertificateRequest',
      'ServerHelloDone',
      'Certificate',
      'ClientKeyExchange',
      'CertificateVerify',
      '[ChangeCipherSpec]',
      '{Finished}',
      '[ChangeCipherSpec]',
      '{Finished}',
    ]);
    expect(r.flights('tls').find((f) => f.label === 'ServerHello')!.detail).toMatchObject({ version: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
    // Two round trips after TCP: the request leaves at 6 one-way latencies, not 5 as in TLS 1.3.
    const req = r.flights('http-request').find((f) => f.from === 'client-0/proxy')!;
    expect(req.departMs).toBe(1000 + 6);
    expect(r.report.handshakes.every((h) => h.ok)).toBe(true);
  });

  it('FIDELITY-MORE I3: strict by default — plaintext from a pod without a sidecar is refused, where Istio accepts it', () => {
    const scenario = { services: [{ name: 'legacy', meshed: false }, { name: 'server' }], traffic: [{ from: 'legacy', to: 'server', at: '1s' }] };
    expect(run(scenario, 'consul').ends()[0]).toMatchObject({ status: 0 });
    expect(run(scenario, 'istio').ends()[0]).toMatchObject({ status: 200 });
  });

  it('FIDELITY-MORE I3: permissive is refused until the Mesh entry allows it, then plaintext gets in without intentions', () => {
    const base = {
      services: [{ name: 'legacy', meshed: false }, { name: 'server' }],
      traffic: [{ from: 'legacy', to: 'server', at: '1s' }],
    };
    const permissive = { apiVersion: API, kind: 'ServiceDefaults', metadata: { name: 'server' }, spec: { mutualTLSMode: 'permissive' } };
    const refused = run({ ...base, consul: [permissive] }, 'consul');
    expect(refused.decisions('config-rejected')[0]!.summary).toContain('ServiceDefaults server not synced: MutualTLSMode=permissive is not allowed');
    expect(refused.ends()[0]!.status).toBe(0);
    const deny = { apiVersion: 'mesh-sim/v1', kind: 'HelmValues', metadata: { name: 'consul' }, values: { global: { acls: { manageSystemACLs: true } } } };
    const allowed = run(
      { ...base, consul: [permissive, deny, { apiVersion: API, kind: 'Mesh', metadata: { name: 'mesh' }, spec: { allowEnablingPermissiveMutualTLS: true } }] },
      'consul',
    );
    expect(allowed.decisions('config-rejected')).toEqual([]);
    // Plaintext is accepted and, with no identity, intentions (deny by default here) are not enforced.
    expect(allowed.ends()[0]!.status).toBe(200);
    expect(allowed.decisions('plaintext-accepted')).toHaveLength(1);
  });

  it('FIDELITY-MORE I3: policies.mtls permissive writes the Mesh consent and ProxyDefaults permissive', () => {
    const r = run(
      {
        services: [{ name: 'legacy', meshed: false }, { name: 'server' }],
        traffic: [{ from: 'legacy', to: 'server', at: '1s' }],
        policies: { mtls: 'permissive' },
      },
      'consul',
    );
    expect(r.ends()[0]!.status).toBe(200);
    const off = run({ ...oneCall(), policies: { mtls: 'off' } }, 'consul');
    expect(off.decisions('policy-unmapped')[0]!.summary).toContain('Consul cannot turn mTLS off between sidecars');
  });
});
