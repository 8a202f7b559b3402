import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const slowPod = (extra: Record<string, unknown> = {}) => ({
  duration: '20s',
  services: [{ name: 'client' }, { name: 'api', replicas: 3, latency: '10ms' }],
  traffic: [{ from: 'client', to: 'api', rate: '50/s' }],
  faults: [{ pod: 'api-2', delay: { time: '300ms' } }],
  ...extra,
});
const share = (r: ReturnType<typeof run>, pod: string) => {
  const pods = r.report.pods.filter((p) => p.service === 'api');
  return pods.find((p) => p.name === pod)!.received / pods.reduce((s, p) => s + p.received, 0);
};
const lb = (loadBalancer: Record<string, unknown>) => ({
  istio: [{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'api' }, spec: { host: 'api', trafficPolicy: { loadBalancer } } }],
});

describe('load balancing', () => {
  it('FIDELITY D1: ROUND_ROBIN gives the slow pod its full third', () => {
    expect(share(run(slowPod(lb({ simple: 'ROUND_ROBIN' })), 'istio'), 'api-2')).toBeCloseTo(1 / 3, 2);
  });

  it('FIDELITY D1, D2: LEAST_REQUEST reacts to in-flight requests; Linkerd peak-EWMA starves the slow pod harder', () => {
    const istio = share(run(slowPod(), 'istio'), 'api-2');
    const linkerd = share(run(slowPod(), 'linkerd'), 'api-2');
    expect(istio).toBeLessThan(0.3);
    expect(linkerd).toBeLessThan(istio);
    expect(linkerd).toBeLessThan(0.1);
  });

  it('FIDELITY D2: each Linkerd pick compares two endpoints by RTT estimate × (pending + 1)', () => {
    const r = run(slowPod(), 'linkerd');
    const picks = r.decisions('endpoint');
    expect(picks.length).toBeGreaterThan(100);
    expect(picks.at(-1)!.summary).toMatch(/cost api-\d [\d.]+ vs api-\d [\d.]+/);
  });

  it('FIDELITY D1: RANDOM spreads evenly in the long run', () => {
    const r = run({ ...slowPod(lb({ simple: 'RANDOM' })), faults: [] }, 'istio');
    for (const p of ['api-0', 'api-1', 'api-2']) expect(share(r, p)).toBeGreaterThan(0.28);
  });

  it('FIDELITY D1: consistentHash on a header sends each user to one pod', () => {
    const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const r = run(
      {
        duration: '5s',
        services: [{ name: 'client' }, { name: 'api', replicas: 3 }],
        traffic: users.map((u) => ({ from: 'client', to: 'api', rate: '10/s', headers: { 'x-user': u } })),
        ...lb({ consistentHash: { httpHeaderName: 'x-user' } }),
      },
      'istio',
    );
    const podOf = new Map<string, Set<string>>();
    const byReq = new Map(
      r.trace.events
        .filter((e) => e.type === 'request' && e.phase === 'start')
        .map((e) => [(e as { requestId: string }).requestId, (e as { headers: Record<string, string> }).headers['x-user']!]),
    );
    for (const f of r.flights('http-request').filter((f) => f.to.endsWith('/app'))) {
      const user = byReq.get(f.requestId!)!;
      if (!podOf.has(user)) podOf.set(user, new Set());
      podOf.get(user)!.add(f.to);
    }
    for (const u of users) expect(podOf.get(u)!.size).toBe(1);
    expect(new Set([...podOf.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
  });
});

describe('golden metrics', () => {
  it('effective versus actual: retries add attempts but not requests', () => {
    const r = run(
      {
        services: [{ name: 'web' }, { name: 'api', replicas: 2 }],
        traffic: [{ from: 'web', to: 'api', rate: '20/s' }],
        faults: [{ pod: 'api-1', errors: { status: 503, rate: '50%' } }],
        policies: { retries: [{ service: 'api', attempts: 2, on: ['5xx'] }] },
      },
      'istio',
    );
    const edge = r.report.metrics.edges.find((e) => e.from === 'web' && e.to === 'api')!;
    expect(edge.requests).toBe(r.report.summary.total);
    expect(edge.attempts).toBe(edge.requests + r.report.summary.retries);
    expect(edge.actualRps).toBeGreaterThan(edge.effectiveRps);
    expect(edge.actualSuccessRate).toBeLessThan(edge.successRate);
    const svc = r.report.metrics.services.find((s) => s.service === 'api')!;
    expect(svc.rps).toBeCloseTo(edge.effectiveRps, 5);
  });
});

describe('a pod whose handshakes fail', () => {
  const impostor = {
    duration: '10s',
    services: [{ name: 'client' }, { name: 'api', replicas: 3, latency: '10ms' }],
    traffic: [{ from: 'client', to: 'api', rate: '50/s' }],
    faults: [{ pod: 'api-2', certificate: { identity: { serviceAccount: 'intruder' } } }],
  };

  it('linkerd2-proxy DEFAULT_OUTBOUND_CONNECT_BACKOFF: P2C skips the endpoint while it backs off (100 ms doubling to 500 ms), so a fast failure does not win the pick', () => {
    const r = run(impostor, 'linkerd');
    const toImpostor = r.decisions('endpoint').filter((d) => d.summary.startsWith('api-2'));
    const failed = r.ends().filter((e) => e.status !== 200);
    // Each pick of api-2 fails its handshake, and Linkerd does not retry a failed connection by default.
    expect(failed.length).toBe(toImpostor.length);
    // The gaps between attempts grow from 100 ms towards the 500 ms cap (±10% jitter).
    const gaps = toImpostor.slice(1).map((d, i) => d.t - toImpostor[i]!.t);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect(gaps.slice(4).every((g) => g >= 500)).toBe(true);
    // About one attempt per 500 ms over the 10 s run, not a share of 500 requests.
    expect(toImpostor.length).toBeLessThan(30);
  });

  it('FIDELITY B1: Istio keeps picking it and its default retries hide the failures from the client', () => {
    const r = run(impostor, 'istio');
    expect(r.decisions('endpoint').filter((d) => d.summary.startsWith('api-2')).length).toBeGreaterThan(100);
    expect(r.ends().filter((e) => e.status !== 200)).toHaveLength(0);
  });
});
