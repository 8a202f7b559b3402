import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';

const API = 'consul.hashicorp.com/v1alpha1';
const http = (name: string) => ({ apiVersion: API, kind: 'ServiceDefaults', metadata: { name }, spec: { protocol: 'http' } });
const router = (destination: Record<string, unknown>, name = 'server') => ({
  apiVersion: API,
  kind: 'ServiceRouter',
  metadata: { name },
  spec: { routes: [{ destination }] },
});
const onePod = (extra: Record<string, unknown>) => ({
  services: [{ name: 'client' }, { name: 'server' }],
  traffic: [{ from: 'client', to: 'server', at: '1s' }],
  ...extra,
});
const failing = { faults: [{ pod: 'server-0', responses: [503, 503, 503, 200] }] };

describe('Consul routing, retries and timeouts', () => {
  it('FIDELITY-MORE I6: no retries by default, even with protocol http (Istio retries by default, Linkerd not)', () => {
    const r = run(onePod({ ...failing, consul: [http('server')] }), 'consul');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
    expect(r.decisions('no-retry')[0]!.cause.source).toContain('FIDELITY-MORE I6');
  });

  it('FIDELITY-MORE I5: with the default protocol tcp a service-router is refused and nothing retries', () => {
    const r = run(onePod({ ...failing, consul: [router({ numRetries: 3, retryOn: ['5xx'] })] }), 'consul');
    expect(r.decisions('config-rejected')[0]!.summary).toBe(
      'ServiceRouter server not synced: discovery chain "server" uses a protocol "tcp" that does not permit advanced routing or splitting behavior',
    );
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
  });

  it('FIDELITY-MORE I6: a router destination with numRetries and retryOn 5xx retries, with the route’s URX flag when it gives up', () => {
    const r = run(onePod({ ...failing, consul: [http('server'), router({ numRetries: 2, retryOn: ['5xx'] })] }), 'consul');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 3 });
    expect(r.ends()[0]!.reason).toMatch(/^URX/);
    const three = run(onePod({ ...failing, consul: [http('server'), router({ numRetries: 3, retryOn: ['5xx'] })] }), 'consul');
    expect(three.ends()[0]).toMatchObject({ status: 200, attempts: 4 });
  });

  it('FIDELITY-MORE I6: numRetries alone sets no retry_on, so Envoy retries nothing', () => {
    const r = run(onePod({ ...failing, consul: [http('server'), router({ numRetries: 3 })] }), 'consul');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
    expect(r.decisions('no-retry')[0]!.summary).toContain('retry_on is empty: Envoy retries nothing');
  });

  it('FIDELITY-MORE I6: retryOnStatusCodes alone retries those codes once (Envoy’s default num_retries)', () => {
    const r = run(onePod({ ...failing, consul: [http('server'), router({ retryOnStatusCodes: [503] })] }), 'consul');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 2 });
    const other = run(
      onePod({ faults: [{ pod: 'server-0', responses: [500, 200] }], consul: [http('server'), router({ retryOnStatusCodes: [503] })] }),
      'consul',
    );
    expect(other.ends()[0]).toMatchObject({ status: 500, attempts: 1 });
  });

  it('FIDELITY-MORE I6: an HTTP route times out after Envoy’s 15 s; a tcp proxy never times the request out', () => {
    const slow = { duration: '40s', faults: [{ service: 'server', delay: { time: '20s', rate: '100%' } }] };
    const h = run(onePod({ ...slow, consul: [http('server')] }), 'consul');
    expect(h.ends()[0]).toMatchObject({ status: 504 });
    expect(h.ends()[0]!.t - 1000).toBeGreaterThanOrEqual(15_000);
    expect(h.ends()[0]!.t - 1000).toBeLessThan(15_100);
    const t = run(onePod(slow), 'consul');
    expect(t.ends()[0]).toMatchObject({ status: 200 });
    expect(t.ends()[0]!.t - 1000).toBeGreaterThan(20_000);
  });

  it('FIDELITY-MORE I6: a router’s requestTimeout replaces the 15 s, and the resolver’s applies only where the chain starts at the resolver', () => {
    const slow = { faults: [{ service: 'server', delay: { time: '5s', rate: '100%' } }] };
    const routed = run(onePod({ ...slow, consul: [http('server'), router({ requestTimeout: '1s' })] }), 'consul');
    expect(routed.ends()[0]).toMatchObject({ status: 504 });
    expect(routed.ends()[0]!.t - 1000).toBeLessThan(1100);
    const resolver = { apiVersion: API, kind: 'ServiceResolver', metadata: { name: 'server' }, spec: { requestTimeout: '2s' } };
    expect(run(onePod({ ...slow, consul: [http('server'), resolver] }), 'consul').ends()[0]!.t - 1000).toBeLessThan(2100);
    // With a router the chain starts at the router: the resolver's timeout is not used (routes.go).
    const both = run(onePod({ ...slow, duration: '20s', consul: [http('server'), resolver, router({ numRetries: 1, retryOn: ['reset'] })] }), 'consul');
    expect(both.ends()[0]).toMatchObject({ status: 200 });
  });

  it('FIDELITY-MORE I5: a splitter sends requests to resolver subsets by weight', () => {
    const r = run(
      {
        duration: '30s',
        services: [{ name: 'client' }, { name: 'server', versions: ['v1', 'v2'] }],
        traffic: [{ from: 'client', to: 'server', rate: '20/s' }],
        consul: [
          http('server'),
          {
            apiVersion: API,
            kind: 'ServiceResolver',
            metadata: { name: 'server' },
            spec: { subsets: { v1: { filter: 'Service.Meta.version == v1' }, v2: { filter: 'Service.Meta.version == v2' } } },
          },
          {
            apiVersion: API,
            kind: 'ServiceSplitter',
            metadata: { name: 'server' },
            spec: {
              splits: [
                { weight: 90, serviceSubset: 'v1' },
                { weight: 10, serviceSubset: 'v2' },
              ],
            },
          },
        ],
      },
      'consul',
    );
    const v2 = r.report.pods.find((p) => p.name === 'server-v2-0')!.received;
    const total = r.report.summary.total;
    expect(v2 / total).toBeGreaterThan(0.06);
    expect(v2 / total).toBeLessThan(0.14);
  });

  it('FIDELITY-MORE I5: the resolver fails over to its failover target when the service has no endpoint left', () => {
    const r = run(
      {
        duration: '10s',
        services: [{ name: 'client' }, { name: 'server' }, { name: 'backup' }],
        traffic: [{ from: 'client', to: 'server', rate: '10/s' }],
        faults: [{ pod: 'server-0', crash: { at: '2s' } }],
        consul: [{ apiVersion: API, kind: 'ServiceResolver', metadata: { name: 'server' }, spec: { failover: { '*': { service: 'backup' } } } }],
      },
      'consul',
    );
    expect(r.decisions('failover').length).toBeGreaterThan(0);
    expect(r.report.pods.find((p) => p.name === 'backup-0')!.received).toBeGreaterThan(50);
    expect(r.report.requests.filter((q) => q.startMs > 4000).every((q) => q.status === 200)).toBe(true);
  });

  it('FIDELITY-MORE I6: a connection to a pod nobody answers gives up after 5 s (Consul’s connect timeout)', () => {
    const r = run(onePod({ faults: [{ pod: 'server-0', link: { to: 'client-0' } }] }), 'consul');
    expect(r.ends()[0]!.t - 1000).toBeGreaterThanOrEqual(5000);
    expect(r.ends()[0]!.reason).toMatch(/connect timeout after 5000ms/);
  });
});
