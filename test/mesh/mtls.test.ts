import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const legacyCalls = (extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'legacy', meshed: false }, { name: 'web' }, { name: 'server', namespace: 'shop' }],
  traffic: [
    { from: 'legacy', to: 'server.shop', at: '1s' },
    { from: 'web', to: 'server.shop', at: '2s' },
  ],
  ...extra,
});
const pa = (name: string, namespace: string, mode: string, selector?: Record<string, string>) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace },
  spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), mtls: { mode } },
});
const byFrom = (r: ReturnType<typeof run>) => Object.fromEntries(r.report.requests.map((q) => [q.from, q]));

describe('Istio mTLS modes', () => {
  it('FIDELITY A1: PERMISSIVE by default: plaintext from an unmeshed client is accepted, meshed clients use mTLS', () => {
    const q = byFrom(run(legacyCalls(), 'istio'));
    expect(q['legacy-0']).toMatchObject({ status: 200, mtls: false });
    expect(q['web-0']).toMatchObject({ status: 200, mtls: true });
  });

  it('FIDELITY A1: STRICT resets plaintext connections', () => {
    const r = run(legacyCalls({ istio: [pa('default', 'istio-system', 'STRICT')] }), 'istio');
    const q = byFrom(r);
    expect(q['legacy-0']).toMatchObject({ status: 0, mtls: false });
    expect(q['legacy-0']!.reason).toContain('reset');
    expect(q['web-0']).toMatchObject({ status: 200, mtls: true });
    expect(r.decisions('deny', 'mtlsTermination')[0]!.cause.line).toBeGreaterThan(0);
  });

  it('FIDELITY A1: workload beats namespace beats mesh', () => {
    const strictMesh = pa('default', 'istio-system', 'STRICT');
    const permissiveNs = pa('ns', 'shop', 'PERMISSIVE');
    const strictWorkload = pa('wl', 'shop', 'STRICT', { app: 'server' });
    expect(byFrom(run(legacyCalls({ istio: [strictMesh, permissiveNs] }), 'istio'))['legacy-0']!.status).toBe(200);
    expect(byFrom(run(legacyCalls({ istio: [strictMesh, permissiveNs, strictWorkload] }), 'istio'))['legacy-0']!.status).toBe(0);
  });

  it('FIDELITY A1: an UNSET mode inherits from the wider scope', () => {
    const r = run(legacyCalls({ istio: [pa('default', 'istio-system', 'STRICT'), pa('ns', 'shop', 'UNSET')] }), 'istio');
    expect(byFrom(r)['legacy-0']!.status).toBe(0);
  });

  it('FIDELITY A1: the oldest of two workload policies wins', () => {
    const r = run(legacyCalls({ istio: [pa('a', 'shop', 'PERMISSIVE', { app: 'server' }), pa('b', 'shop', 'STRICT', { app: 'server' })] }), 'istio');
    expect(byFrom(r)['legacy-0']!.status).toBe(200);
  });

  it('FIDELITY A2: auto mTLS sends plaintext to a DISABLE server and to pods without a sidecar', () => {
    const r = run(legacyCalls({ istio: [pa('ns', 'shop', 'DISABLE')] }), 'istio');
    expect(byFrom(r)['web-0']).toMatchObject({ status: 200, mtls: false });
    const toLegacy = run({ services: [{ name: 'web' }, { name: 'legacy', meshed: false }], traffic: [{ from: 'web', to: 'legacy', at: '1s' }] }, 'istio');
    expect(toLegacy.report.requests[0]).toMatchObject({ status: 200, mtls: false });
  });

  it('FIDELITY A2: a DestinationRule tls mode overrides auto mTLS', () => {
    const dr = (mode: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'server', namespace: 'shop' },
      spec: { host: 'server.shop.svc.cluster.local', trafficPolicy: { tls: { mode } } },
    });
    expect(byFrom(run(legacyCalls({ istio: [dr('DISABLE')] }), 'istio'))['web-0']).toMatchObject({ status: 200, mtls: false });
    // ISTIO_MUTUAL toward a server that does not terminate TLS fails the handshake (503 UF after retries).
    const r = run(legacyCalls({ istio: [dr('ISTIO_MUTUAL'), pa('ns', 'shop', 'DISABLE')] }), 'istio');
    expect(byFrom(r)['web-0']!.status).toBe(503);
    expect(r.report.handshakes.some((h) => !h.ok)).toBe(true);
  });

  it('FIDELITY A2: with enableAutoMtls false and no DestinationRule, clients send plaintext', () => {
    const op = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'mesh' }, spec: { meshConfig: { enableAutoMtls: false } } };
    expect(byFrom(run(legacyCalls({ istio: [op] }), 'istio'))['web-0']).toMatchObject({ status: 200, mtls: false });
  });
});

describe('Linkerd mTLS', () => {
  it('FIDELITY A6: meshed pods always talk mTLS; plaintext from unmeshed clients is accepted by default', () => {
    const q = byFrom(run(legacyCalls(), 'linkerd'));
    expect(q['web-0']).toMatchObject({ status: 200, mtls: true });
    expect(q['legacy-0']).toMatchObject({ status: 200, mtls: false });
  });

  it('FIDELITY A7: default inbound policy all-authenticated denies unmeshed clients with 403', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', annotations: { 'config.linkerd.io/default-inbound-policy': 'all-authenticated' } },
    };
    const q = byFrom(run(legacyCalls({ linkerd: [ns] }), 'linkerd'));
    expect(q['legacy-0']).toMatchObject({ status: 403, reason: 'forbidden' });
    expect(q['web-0']!.status).toBe(200);
  });

  it('FIDELITY A7: deny refuses everyone; cluster-authenticated lets in only meshed clients of the cluster', () => {
    const ns = (policy: string) => ({
      linkerd: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { 'config.linkerd.io/default-inbound-policy': policy } } }],
    });
    const denied = byFrom(run(legacyCalls(ns('deny')), 'linkerd'));
    expect([denied['legacy-0']!.status, denied['web-0']!.status]).toEqual([403, 403]);
    const cluster = byFrom(run(legacyCalls(ns('cluster-authenticated')), 'linkerd'));
    expect([cluster['legacy-0']!.status, cluster['web-0']!.status]).toEqual([403, 200]);
  });

  it('policies.mtls strict maps to STRICT under Istio and all-authenticated under Linkerd', () => {
    const scenario = legacyCalls({ policies: { mtls: 'strict' } });
    expect(byFrom(run(scenario, 'istio'))['legacy-0']!.status).toBe(0);
    expect(byFrom(run(scenario, 'linkerd'))['legacy-0']!.status).toBe(403);
  });
});

describe('a client sidecar whose plaintext is refused answers its app itself', () => {
  const dr = (mode: string) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'server', namespace: 'shop' },
    spec: { host: 'server.shop.svc.cluster.local', trafficPolicy: { tls: { mode } } },
  });
  const strict = pa('default', 'istio-system', 'STRICT');

  it('FIDELITY A2: DestinationRule tls.mode DISABLE toward a STRICT server → a local 503 from the client sidecar (istio.io network-issues "503 errors after setting destination rule"), not status 0', () => {
    const r = run(legacyCalls({ istio: [strict, dr('DISABLE')] }), 'istio');
    const web = byFrom(r)['web-0']!;
    expect(web).toMatchObject({ status: 503, mtls: false, attempts: 1 });
    expect(web.reason).toMatch(/^UC upstream connection termination: connection reset: server requires mTLS/);
    // The unmeshed client has no sidecar to answer for it: it sees the reset itself.
    expect(byFrom(r)['legacy-0']).toMatchObject({ status: 0 });
  });

  it('FIDELITY A2: enableAutoMtls false with no tls block sends plaintext, which a STRICT server refuses → 503 at the client', () => {
    const operator = {
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: 'i' },
      spec: { meshConfig: { enableAutoMtls: false } },
    };
    const r = run(legacyCalls({ istio: [strict, operator] }), 'istio');
    expect(byFrom(r)['web-0']).toMatchObject({ status: 503, mtls: false });
    // With 5xx retries the reset is retried (retry_state_impl.cc: 5xx covers resets), and still refused.
  });

  it('Linkerd: a meshed client whose connection is reset gets the proxy’s 502, not a bare reset (linkerd.io debugging-502s)', () => {
    const r = run(
      {
        services: [{ name: 'web' }, { name: 'server', replicas: 1 }],
        traffic: [{ from: 'web', to: 'server', at: '1s' }],
        faults: [{ pod: 'server-0', resets: { rate: '100%' } }],
      },
      'linkerd',
    );
    expect(r.report.requests[0]).toMatchObject({ status: 502 });
    expect(r.report.requests[0]!.reason).toMatch(/^connection reset: server-0 closed the connection/);
  });
});
