import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';

const base = {
  services: [{ name: 'web' }],
  external: [
    { host: 'api.example.com', protocol: 'https' },
    { host: 'evil.example.net', protocol: 'https' },
  ],
  traffic: [
    { from: 'web', to: 'api.example.com', at: '1s' },
    { from: 'web', to: 'evil.example.net', at: '1.1s' },
  ],
};

describe('Consul at the edge', () => {
  it('FIDELITY-MORE I9: by default a transparent proxy passes traffic for unknown addresses through, unencrypted', () => {
    const r = run(base, 'consul');
    expect(r.report.requests.map((q) => q.status)).toEqual([200, 200]);
    expect(r.decisions('egress')[0]!.summary).toContain('passed through to its address as it is, unencrypted');
  });

  it('FIDELITY-MORE I9: registry-only becomes meshDestinationsOnly and a terminating gateway for the allowed host', () => {
    const r = run({ ...base, policies: { egress: { mode: 'registry-only', allow: ['api.example.com'] } } }, 'consul');
    expect(r.report.requests.map((q) => q.status)).toEqual([200, 0]);
    // The allowed call crosses the terminating gateway inside mTLS; the other is closed at the sidecar.
    const toGateway = r.flights('http-request').find((f) => f.to === 'terminating-gateway-0/gateway');
    expect(toGateway?.mtls).toBe(true);
    expect(r.flights('http-request').some((f) => f.from === 'terminating-gateway-0/gateway' && f.to === 'ext:api.example.com')).toBe(true);
    expect(r.decisions('deny')[0]!.summary).toContain('meshDestinationsOnly is true');
    const kinds = r.trace.topology.nodes.map((n) => n.id);
    expect(kinds).toContain('terminating-gateway-0/gateway');
  });

  it('FIDELITY-MORE I9: ingress goes through the API gateway (a Gateway of class consul and its HTTPRoute)', () => {
    const r = run(
      {
        services: [{ name: 'web' }],
        clients: [{ name: 'browser' }],
        ingress: { host: 'shop.example.com', routes: [{ pathPrefix: '/', service: 'web' }] },
        traffic: [{ from: 'browser', to: 'shop.example.com', at: '1s' }],
      },
      'consul',
    );
    expect(r.ends()[0]!.status).toBe(200);
    expect(r.flights('http-request').some((f) => f.from === 'api-gateway-0/gateway' && f.to === 'web-0/proxy' && f.mtls)).toBe(true);
  });
});
