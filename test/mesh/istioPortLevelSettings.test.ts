/**
 * DestinationRule `portLevelSettings` (istio.io reference/config/networking/destination-rule,
 * TrafficPolicy.portLevelSettings and its bookinfo-ratings-port example): for traffic to one port
 * of the host, the entry's connectionPool, outlierDetection, loadBalancer and tls replace the
 * rule's — wholesale: "default values will be applied to fields omitted in port-level traffic
 * policies" (istio/istio pilot/pkg/networking/util/util.go GetPortLevelTrafficPolicy). A subset's
 * own trafficPolicy (and its own portLevelSettings) goes over that (MergeSubsetTrafficPolicy).
 * Every simulated service listens on one port (services[].port), so an entry applies when it
 * names that port and to nothing otherwise. FIDELITY C1, C2, D1, A2.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';

const dr = (trafficPolicy: Record<string, unknown>, subsets?: unknown[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'ratings-port' },
  spec: { host: 'ratings', trafficPolicy, ...(subsets ? { subsets } : {}) },
});

describe('DestinationRule portLevelSettings', () => {
  /** The endpoint each of six requests from reviews went to, and the cause the first decision names. */
  const picks = (istio: unknown[]) => {
    const r = run(
      {
        duration: '2s',
        services: [{ name: 'reviews' }, { name: 'ratings', port: 9080, replicas: 3 }],
        traffic: [{ from: 'reviews', to: 'ratings', rate: '5/s', stop: '1300ms' }],
        istio,
      },
      'istio',
    );
    return { pods: r.report.requests.map((q) => q.tries.at(-1)!.pod), cause: r.decisions('endpoint')[0]!.cause.config ?? '' };
  };

  it("the reference's bookinfo-ratings-port example: the entry for the service's port (9080) sets ROUND_ROBIN, the one for 80 applies to nothing", () => {
    const example = dr({
      portLevelSettings: [
        { port: { number: 80 }, loadBalancer: { simple: 'LEAST_REQUEST' } },
        { port: { number: 9080 }, loadBalancer: { simple: 'ROUND_ROBIN' } },
      ],
    });
    const p = picks([example]);
    expect(p.cause).toContain('portLevelSettings[1].loadBalancer');
    // Round robin: six requests, each pod twice, in turn.
    expect(new Set(p.pods.slice(0, 3)).size).toBe(3);
    expect(p.pods.slice(3, 6)).toEqual(p.pods.slice(0, 3));
    // Only an entry for port 80: the service (on 9080) keeps Istio's default.
    const other = picks([dr({ portLevelSettings: [{ port: { number: 80 }, loadBalancer: { simple: 'ROUND_ROBIN' } }] })]);
    expect(other.cause).toContain('LEAST_REQUEST');
  });

  /** Requests refused by the client's pool (503 UO) in a burst of 12, 6 at a time. */
  const overflows = (istio: unknown[]): number => {
    const r = run(
      {
        duration: '3s',
        services: [{ name: 'fortio' }, { name: 'ratings', port: 9080, latency: '50ms' }],
        traffic: [{ from: 'fortio', to: 'ratings', count: 12, concurrency: 6 }],
        istio,
      },
      'istio',
    );
    return r.report.requests.filter((q) => q.reason?.startsWith('UO')).length;
  };
  const tightPool = { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } };

  it('FIDELITY C1: an entry for the port replaces the rule-level connectionPool wholesale — one that omits it means no limits', () => {
    expect(overflows([dr({ connectionPool: tightPool })])).toBeGreaterThan(0);
    // The port's entry sets only outlierDetection: the rule's pool limits are not inherited.
    expect(overflows([dr({ connectionPool: tightPool, portLevelSettings: [{ port: { number: 9080 }, outlierDetection: { consecutive5xxErrors: 3 } }] })])).toBe(
      0,
    );
    // An entry for another port leaves the rule's limits in force.
    expect(
      overflows([dr({ connectionPool: tightPool, portLevelSettings: [{ port: { number: 8080 }, outlierDetection: { consecutive5xxErrors: 3 } }] })]),
    ).toBeGreaterThan(0);
    // And the limits can live in the port's entry alone.
    expect(overflows([dr({ portLevelSettings: [{ port: { number: 9080 }, connectionPool: tightPool }] })])).toBeGreaterThan(0);
  });

  it("FIDELITY C1: a subset's portLevelSettings replace the four settings of the rule for that subset's traffic", () => {
    const subsets = (tp: Record<string, unknown>) => [{ name: 'v1', trafficPolicy: tp }];
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'ratings' },
      spec: { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' } }] }] },
    };
    // A subset trafficPolicy setting only the balancer keeps the rule's pool (field by field)...
    expect(overflows([dr({ connectionPool: tightPool }, subsets({ loadBalancer: { simple: 'RANDOM' } })), vs])).toBeGreaterThan(0);
    // ...its port-level entry replaces all four: no pool limits.
    expect(
      overflows([dr({ connectionPool: tightPool }, subsets({ portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'RANDOM' } }] })), vs]),
    ).toBe(0);
  });

  it('FIDELITY A2: a port-level tls replaces the rule-level one — DISABLE toward a STRICT server fails where ISTIO_MUTUAL works', () => {
    const strict = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    };
    const status = (tp: Record<string, unknown>) => {
      const r = run(
        {
          duration: '1s',
          services: [{ name: 'reviews' }, { name: 'ratings', port: 9080 }],
          traffic: [{ from: 'reviews', to: 'ratings', at: '100ms' }],
          istio: [strict, dr(tp)],
        },
        'istio',
      );
      return {
        status: r.report.requests[0]!.status,
        causes: r
          .decisions()
          .map((d) => d.cause.config ?? '')
          .join('\n'),
      };
    };
    expect(status({ tls: { mode: 'ISTIO_MUTUAL' } }).status).toBe(200);
    const off = status({ tls: { mode: 'ISTIO_MUTUAL' }, portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'DISABLE' } }] });
    expect(off.status).toBe(503);
    expect(off.causes).toContain('.spec.trafficPolicy.portLevelSettings[0].tls.mode DISABLE');
    expect(status({ tls: { mode: 'ISTIO_MUTUAL' }, portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] }).status).toBe(200);
  });

  it('an entry without a port or without any setting is a located error (Istio validation)', () => {
    const problems = (entry: Record<string, unknown>): string[] => {
      const r = parseScenario(
        stringify({ id: 't', title: 't', duration: '1s', services: [{ name: 'ratings', port: 9080 }], istio: [dr({ portLevelSettings: [entry] })] }),
        'p.yaml',
      );
      return r.ok ? ['ok'] : r.problems.map(formatProblem);
    };
    expect(problems({ port: { number: 9080 } })).toEqual([
      expect.stringMatching(
        /^p\.yaml:\d+:\d+: istio\[0\]\.spec\.trafficPolicy\.portLevelSettings\[0\] must set at least one of connectionPool, outlierDetection, loadBalancer or tls/,
      ),
    ]);
    expect(problems({ loadBalancer: { simple: 'RANDOM' } })[0]).toMatch(/^p\.yaml:\d+:\d+: istio\[0\]\.spec\.trafficPolicy\.portLevelSettings\[0\]/);
  });
});
