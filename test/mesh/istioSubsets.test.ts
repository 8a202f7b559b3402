/**
 * An Istio DestinationRule subset without labels, as the Egress Gateways task writes one
 * (`subsets: [{ name: cnn }]`, istio.io tasks/traffic-management/egress/egress-gateway): istio/api
 * destination_rule.proto Subset.labels "apply a filter over the endpoints of a service", so a
 * subset without them is every endpoint of the host — with the subset's own trafficPolicy.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const scenario = (subset: string | undefined) => ({
  duration: '5s',
  services: [{ name: 'web' }, { name: 'reviews', versions: ['v1', 'v2'], latency: '100ms' }],
  traffic: [{ from: 'web', to: 'reviews', count: 12, concurrency: 3 }],
  istio: [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews' },
      spec: {
        host: 'reviews',
        subsets: [{ name: 'all', trafficPolicy: { connectionPool: { http: { http2MaxRequests: 1, http1MaxPendingRequests: 1 } } } }],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews' },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', ...(subset ? { subset } : {}) } }] }] },
    },
  ],
});

describe('Istio DestinationRule subsets without labels', () => {
  it("a subset without labels routes to every endpoint of the host, under the subset's own connection pool", () => {
    const r = run(scenario('all'), 'istio');
    const served = new Set(r.report.requests.flatMap((q) => q.tries.map((t) => t.pod)).filter((p) => p !== null));
    expect([...served].sort()).toEqual(['reviews-v1-0', 'reviews-v2-0']);
    // The subset's pool (one request in flight, one pending) refuses the third of three at once.
    const refused = r.report.requests.filter((q) => q.status === 503 && /^UO /.test(q.reason ?? ''));
    expect(refused.length).toBeGreaterThan(0);
  });

  it('the same route without the subset keeps no pool limit', () => {
    const r = run(scenario(undefined), 'istio');
    expect(r.report.requests.every((q) => q.status === 200)).toBe(true);
  });
});
