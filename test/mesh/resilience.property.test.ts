/**
 * Invariants of the resilience machinery, over random scenarios (fast-check):
 * - every request an app sends is completed, failed or still in flight at the end — none lost;
 * - a proxy never holds more endpoints ejected at once than outlier detection allows
 *   (maxEjectionPercent, but always at least one — FIDELITY C2).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { run } from '../helpers/sim.ts';

const scenario = fc.record({
  replicas: fc.integer({ min: 1, max: 6 }),
  rate: fc.integer({ min: 5, max: 60 }),
  badPods: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
  errorRate: fc.integer({ min: 10, max: 100 }),
  status: fc.constantFrom(500, 502, 503, 504),
  slow: fc.boolean(),
  crash: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  consecutive: fc.integer({ min: 1, max: 6 }),
  maxEjectionPercent: fc.constantFrom(0, 10, 34, 50, 100),
  pool: fc.option(fc.record({ maxConnections: fc.integer({ min: 1, max: 3 }), pending: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
  concurrency: fc.integer({ min: 1, max: 6 }),
  retries: fc.integer({ min: 0, max: 4 }),
  timeout: fc.option(fc.integer({ min: 20, max: 400 }), { nil: undefined }),
});

type Gen = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function toScenario(g: Gen, mesh: 'istio' | 'linkerd'): Record<string, unknown> {
  const pods = [...new Set(g.badPods.filter((i) => i < g.replicas))];
  return {
    duration: '4s',
    services: [{ name: 'client' }, { name: 'api', replicas: g.replicas, latency: g.slow ? { p50: '20ms', p99: '300ms' } : '10ms' }],
    traffic: [
      { from: 'client', to: 'api', rate: `${g.rate}/s` },
      { from: 'client', to: 'api', count: 40, concurrency: g.concurrency },
    ],
    faults: [
      ...pods.map((i) => ({ pod: `api-${i}`, errors: { status: g.status, rate: `${g.errorRate}%` } })),
      ...(g.crash !== undefined && g.crash < g.replicas ? [{ pod: `api-${g.crash}`, crash: { at: '1500ms', restartAfter: '1s' } }] : []),
    ],
    policies: {
      retries: [{ service: 'api', attempts: g.retries, on: ['5xx'] }],
      ...(g.timeout !== undefined ? { timeouts: [{ service: 'api', request: `${g.timeout}ms` }] } : {}),
    },
    ...(mesh === 'istio'
      ? {
          istio: [
            {
              apiVersion: 'networking.istio.io/v1',
              kind: 'DestinationRule',
              metadata: { name: 'api' },
              spec: {
                host: 'api',
                trafficPolicy: {
                  outlierDetection: { consecutive5xxErrors: g.consecutive, interval: '1s', baseEjectionTime: '1s', maxEjectionPercent: g.maxEjectionPercent },
                  ...(g.pool ? { connectionPool: { tcp: { maxConnections: g.pool.maxConnections }, http: { http1MaxPendingRequests: g.pool.pending } } } : {}),
                },
              },
            },
          ],
        }
      : {
          linkerd: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: {
                name: 'api',
                annotations: {
                  'balancer.linkerd.io/failure-accrual': 'consecutive',
                  'balancer.linkerd.io/failure-accrual-consecutive-max-failures': String(g.consecutive),
                },
              },
            },
          ],
        }),
  };
}

describe('resilience invariants', () => {
  for (const mesh of ['istio', 'linkerd'] as const) {
    it(`${mesh}: requests sent = completed + failed + still in flight`, () => {
      fc.assert(
        fc.property(scenario, (g) => {
          const r = run(toScenario(g, mesh), mesh);
          const starts = r.trace.events.filter((e) => e.type === 'request' && e.phase === 'start').map((e) => (e as { requestId: string }).requestId);
          const ends = new Set(r.ends().map((e) => e.requestId));
          const ok = r.report.summary.ok;
          const failed = r.report.summary.failed;
          const inFlight = starts.filter((id) => !ends.has(id)).length;
          expect(new Set(starts).size).toBe(starts.length);
          expect(ok + failed + inFlight).toBe(starts.length);
          // Nothing ends that never started.
          for (const id of ends) expect(starts).toContain(id);
        }),
        { numRuns: 40, seed: 11 },
      );
    });
  }

  it('istio: never more endpoints ejected at once than maxEjectionPercent allows (but at least one)', () => {
    fc.assert(
      fc.property(scenario, (g) => {
        const r = run(toScenario(g, 'istio'), 'istio');
        const allowed = Math.max(1, Math.floor((g.maxEjectionPercent / 100) * g.replicas));
        // The run's ejection records (endpoint, ejecting proxy, [atMs, untilMs)): at each ejection,
        // count the endpoints that proxy holds out at that moment, the new one included.
        const ejections = r.report.ejections;
        expect(ejections.length).toBe(r.decisions('ejection', 'outlierDetection').length);
        for (const e of ejections) {
          expect(e.endpoint).toMatch(/^api-\d+$/);
          const out = ejections.filter((o) => o.by === e.by && o.atMs <= e.atMs && e.atMs < o.untilMs);
          expect(new Set(out.map((o) => o.endpoint)).size).toBeLessThanOrEqual(allowed);
        }
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});
