/**
 * Istio locality load balancing (FIDELITY D1, C2; istio.io tasks/traffic-management/
 * locality-load-balancing "Locality failover" and "Locality weighted distribution"; istio/istio
 * pilot/pkg/networking/core/loadbalancer/loadbalancer.go, read at 1.31.0-alpha). Zones come from
 * services[].zones. Under Linkerd the same scenario spreads over every zone (FIDELITY D2: the
 * balancer has no locality).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';
import { stringify } from 'yaml';

/** The Locality failover task's helloworld: one pod in each of four localities; sleep in region1/zone1. */
const ZONES = ['region1/zone1', 'region1/zone2', 'region2/zone3', 'region3/zone4'];

/** The task's DestinationRule, with its outlier detection optional. */
const taskRule = (outlier = true, localityLbSetting: unknown = { enabled: true, failover: [{ from: 'region1', to: 'region3' }] }) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'helloworld' },
  spec: {
    host: 'helloworld.default.svc.cluster.local',
    trafficPolicy: {
      connectionPool: { http: { maxRequestsPerConnection: 1 } },
      loadBalancer: { simple: 'ROUND_ROBIN', localityLbSetting },
      ...(outlier ? { outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '1m' } } : {}),
    },
  },
});

/** Which pod served each request (in order), sleep → helloworld at 10/s for 8 s; `crash` pods stop at the times given. */
function served(mesh: string, istio: unknown[], crash: Record<string, string> = {}): { at: number; pod: string }[] {
  const r = run(
    {
      duration: '9s',
      services: [
        { name: 'sleep', zones: ['region1/zone1'] },
        { name: 'helloworld', replicas: 4, zones: ZONES },
      ],
      traffic: [{ from: 'sleep', to: 'helloworld', rate: '10/s', stop: '8s' }],
      faults: Object.entries(crash).map(([pod, at]) => ({ pod, crash: { at } })),
      ...(mesh === 'istio' ? { istio } : {}),
    },
    mesh,
  );
  return r.report.requests.filter((q) => q.status === 200).map((q) => ({ at: q.startMs, pod: q.tries.at(-1)!.pod! }));
}

const podsBetween = (s: { at: number; pod: string }[], from: number, to: number) => new Set(s.filter((x) => x.at >= from && x.at < to).map((x) => x.pod));

describe('Istio locality load balancing', () => {
  it('Locality failover task: same zone first, then the same region, then the failover region (region3) before region2', () => {
    // helloworld-0 in region1/zone1 stops at 2 s, helloworld-1 (region1/zone2) at 4 s, helloworld-3 (region3/zone4) at 6 s.
    const s = served('istio', [taskRule()], { 'helloworld-0': '2s', 'helloworld-1': '4s', 'helloworld-3': '6s' });
    expect(podsBetween(s, 0, 2000)).toEqual(new Set(['helloworld-0']));
    // A moment for the ejection or the endpoint update, then the next locality takes all of it.
    expect(podsBetween(s, 2600, 4000)).toEqual(new Set(['helloworld-1']));
    expect(podsBetween(s, 4600, 6000)).toEqual(new Set(['helloworld-3']));
    expect(podsBetween(s, 6600, 8000)).toEqual(new Set(['helloworld-2']));
  });

  it('FIDELITY D1: without outlier detection locality sets no priorities ("if no OutlierDetection specified, this will not take effect") — every zone gets traffic', () => {
    const s = served('istio', [taskRule(false)]);
    expect(podsBetween(s, 0, 8000)).toEqual(new Set(['helloworld-0', 'helloworld-1', 'helloworld-2', 'helloworld-3']));
  });

  it('FIDELITY D1: locality load balancing is on by default — outlier detection alone keeps traffic in the caller’s zone; enabled: false turns it off', () => {
    const odOnly = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'helloworld' },
      spec: { host: 'helloworld', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } } },
    };
    expect(podsBetween(served('istio', [odOnly]), 0, 8000)).toEqual(new Set(['helloworld-0']));
    expect(podsBetween(served('istio', [taskRule(true, { enabled: false })]), 0, 8000).size).toBe(4);
  });

  it('FIDELITY D1: failover ranks the named region before the others only for clients in its from region', () => {
    // region1/zone1 and region1/zone2 stopped: region3 comes next by the failover rule…
    const s = served('istio', [taskRule()], { 'helloworld-0': '0ms', 'helloworld-1': '0ms' });
    expect(podsBetween(s, 1000, 8000)).toEqual(new Set(['helloworld-3']));
    // …and without the rule region2 and region3 are one level, sharing the load.
    const t = served('istio', [taskRule(true, { enabled: true })], { 'helloworld-0': '0ms', 'helloworld-1': '0ms' });
    expect(podsBetween(t, 1000, 8000)).toEqual(new Set(['helloworld-2', 'helloworld-3']));
  });

  it('Locality weighted distribution task: distribute sends each locality its weight, and nothing to a locality not listed', () => {
    const weighted = taskRule(false, {
      enabled: true,
      distribute: [{ from: 'region1/zone1/*', to: { 'region1/zone1/*': 70, 'region1/zone2/*': 20, 'region3/zone4/*': 10 } }],
    });
    const s = served('istio', [weighted]);
    const count = (pod: string) => s.filter((x) => x.pod === pod).length;
    expect(count('helloworld-2')).toBe(0); // region2/zone3 is not listed
    expect(count('helloworld-0')).toBeGreaterThan(count('helloworld-1'));
    expect(count('helloworld-1')).toBeGreaterThan(0);
    expect(count('helloworld-0') / s.length).toBeGreaterThan(0.55);
    expect(count('helloworld-0') / s.length).toBeLessThan(0.85);
  });

  it('FIDELITY D1: failoverPriority ranks by labels in order — a pod label first, then the zone', () => {
    const byLabel = taskRule(true, { failoverPriority: ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone'] });
    const s = served('istio', [byLabel], { 'helloworld-0': '2s' });
    expect(podsBetween(s, 0, 2000)).toEqual(new Set(['helloworld-0']));
    // Same region next (region1/zone2), not region3: failoverPriority without failover.
    expect(podsBetween(s, 2600, 8000)).toEqual(new Set(['helloworld-1']));
  });

  it('FIDELITY D2: Linkerd ignores zones — the same scenario spreads over every locality from the start', () => {
    const s = served('linkerd', []);
    // P2C over peak-EWMA: no zone is preferred — the caller's own zone gets no more than its share would allow by chance.
    expect(podsBetween(s, 0, 8000).size).toBeGreaterThanOrEqual(3);
    expect(s.filter((x) => x.pod === 'helloworld-0').length / s.length).toBeLessThan(0.5);
    // Under Istio, with outlier detection, the same traffic stays in region1/zone1.
    expect(podsBetween(served('istio', [taskRule()]), 0, 8000)).toEqual(new Set(['helloworld-0']));
  });

  it('the format: a malformed zone or locality rule is a located error (Istio ValidateLocalityLbSetting)', () => {
    const base = { id: 't', title: 't', duration: '1s' };
    const bad = parseScenario(stringify({ ...base, services: [{ name: 'a', zones: ['us east'] }] }), 't.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(formatProblem(bad.problems[0]!)).toMatch(/^t\.yaml:\d+:\d+: .*zones.*region\/zone/s);
    const weights = parseScenario(
      stringify({
        ...base,
        services: [{ name: 'a' }, { name: 'b' }],
        istio: [taskRule(true, { distribute: [{ from: 'region1/*', to: { 'region1/zone1/*': 60 } }] })],
      }),
      't.yaml',
    );
    expect(weights.ok).toBe(false);
    if (!weights.ok) expect(weights.problems.map(formatProblem).join('\n')).toContain('total locality weight 60 != 100');
  });
});
