/**
 * Istio's Circuit Breaking task, reproduced (istio.io tasks/traffic-management/circuit-breaking):
 * fortio in a meshed pod calls httpbin with `-qps 0`, DestinationRule maxConnections 1,
 * http1MaxPendingRequests 1, maxRequestsPerConnection 1. The task's runs: 3 of 20 refused at
 * `-c 2 -n 20`, 19 of 30 at `-c 3 -n 30` (an older copy: 1 of 20, then 11 of 30).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { LOCAL_REPLY_MS } from '../../src/mesh/traffic.ts';
import type { RequestStartEvent } from '../../src/sim/index.ts';

const DR = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'httpbin' },
  spec: {
    host: 'httpbin',
    trafficPolicy: {
      connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
      outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
    },
  },
};

/** fortio -c N -n M -qps 0 against httpbin; the pod network's ~0.1 ms is below the engine's 1 ms tick. */
const fortio = (c: number, seed: number) =>
  run(
    {
      seed,
      duration: '3s',
      network: { latency: '0ms' },
      services: [{ name: 'fortio' }, { name: 'httpbin', latency: '10ms' }],
      traffic: [{ from: 'fortio', to: 'httpbin', count: c * 10, concurrency: c, path: '/get' }],
      istio: [DR],
    },
    'istio',
  );

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

describe('the Istio Circuit Breaking task', () => {
  it('FIDELITY C1: fortio -c 2 -n 20 sees some 503 UO, -c 3 -n 30 between a third and two thirds', () => {
    const refused = (c: number) =>
      SEEDS.map((seed) => {
        const r = fortio(c, seed);
        const failed = r.report.requests.filter((q) => q.status !== 200);
        for (const q of failed) expect(q).toMatchObject({ status: 503, attempts: 1, tries: [{ pod: null }] });
        for (const q of failed) expect(q.reason).toMatch(/^UO /);
        // httpbin saw only what got through.
        expect(r.report.pods.find((p) => p.name === 'httpbin-0')!.received).toBe(c * 10 - failed.length);
        return failed.length;
      });
    const two = refused(2);
    const three = refused(3);
    // Some leeway at -c 2: every run refuses something, none refuses more than half.
    for (const n of two) expect(n).toBeGreaterThanOrEqual(1);
    for (const n of two) expect(n).toBeLessThanOrEqual(10);
    // Mostly refused at -c 3, as the task's runs (11 and 19 of 30).
    for (const n of three) expect(n).toBeGreaterThanOrEqual(10);
    for (const n of three) expect(n).toBeLessThanOrEqual(20);
    const share = (ns: number[], of: number) => ns.reduce((a, b) => a + b, 0) / (ns.length * of);
    expect(share(three, 30)).toBeGreaterThan(share(two, 20));
    // The figures measured (reported with the assignment): per seed, refused of 20 and of 30.
    expect({ two, three }).toEqual({ two: [10, 10, 1, 10, 10, 10, 1, 1, 10, 1, 10, 10], three: [20, 20, 19, 20, 20, 20, 19, 19, 20, 19, 20, 20] });
  });

  it('FIDELITY C1: a request waits as pending while its connection is set up, so a second one at that moment overflows', () => {
    const r = fortio(2, 3);
    const [first] = r.decisions('overflow');
    // Both workers start at 0 s; the first request's connection is still being set up (its
    // handshake completes after the refusal), and that request holds the one pending slot.
    const established = r.decisions('handshake-ok')[0]!;
    expect(first!.seq).toBeLessThan(established.seq);
    expect(first!.requestId).not.toBe(established.requestId);
    expect(first!.summary).toMatch(/no ready connection \(1 open or opening, maxConnections 1\) and 1 pending \(http1MaxPendingRequests 1\)/);
  });

  it('FIDELITY C1: each sidecar worker thread has its own pool, so two fortio connections on different threads rarely collide', () => {
    // Seeds 3 and 7 put fortio's two connections on different Envoy worker threads: 1 refusal; seed 1 on one thread: 10.
    expect(fortio(2, 3).report.requests.filter((q) => q.status === 503)).toHaveLength(1);
    expect(fortio(2, 1).report.requests.filter((q) => q.status === 503)).toHaveLength(10);
  });

  it('a closed loop like fortio -c N -n M: each connection makes M/N calls, the first M mod N one more — a worker refused fast spends its own share', () => {
    const r = fortio(2, 1);
    const starts = r.trace.events.filter((e): e is RequestStartEvent => e.type === 'request' && e.phase === 'start');
    const per = (conn: string) => starts.filter((s) => s.connection === conn).length;
    expect([per('traffic[0]#0'), per('traffic[0]#1')]).toEqual([10, 10]);
    const seven = run({ services: [{ name: 'a' }, { name: 'b' }], traffic: [{ from: 'a', to: 'b', count: 7, concurrency: 3 }] }, 'linkerd').trace.events.filter(
      (e): e is RequestStartEvent => e.type === 'request' && e.phase === 'start',
    );
    expect(['traffic[0]#0', 'traffic[0]#1', 'traffic[0]#2'].map((c) => seven.filter((s) => s.connection === c).length)).toEqual([3, 2, 2]);
  });

  it('a local reply (503 UO from the client’s own sidecar) takes the loopback round trip, one engine tick, not 0 ms', () => {
    const r = fortio(3, 1);
    const refused = r.report.requests.filter((q) => q.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const q of refused) expect(q.endMs - q.startMs).toBe(LOCAL_REPLY_MS);
    // A worker refused again and again still takes time: its calls are spread, not all at one instant.
    const times = new Set(refused.map((q) => q.startMs));
    expect(times.size).toBeGreaterThan(refused.length / 3);
  });
});

describe('the run report, per request', () => {
  it('names each attempt’s pod and outcome, and the request’s method, path and headers', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 3 }],
        traffic: [{ from: 'client', to: 'server', at: '1s', method: 'POST', path: '/orders', headers: { 'X-User': 'ann' } }],
        faults: [
          { pod: 'server-0', responses: [503] },
          { pod: 'server-1', responses: [503] },
          { pod: 'server-2', responses: [503] },
        ],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 2, retryOn: '5xx' } }] },
          },
        ],
      },
      'istio',
    );
    const [q] = r.report.requests;
    expect(q).toMatchObject({ method: 'POST', path: '/orders', headers: { 'x-user': 'ann' }, status: 503, attempts: 3 });
    // previous_hosts: three attempts, three different pods, each answered 503.
    expect(q!.tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect(new Set(q!.tries.map((t) => t.pod))).toEqual(new Set(['server-0', 'server-1', 'server-2']));
    for (const t of q!.tries) expect(t.status).toBe(503);
    for (let i = 1; i < q!.tries.length; i++) expect(q!.tries[i]!.startMs).toBeGreaterThanOrEqual(q!.tries[i - 1]!.endMs);
    expect(q!.tries[0]!.startMs).toBe(q!.startMs);
    expect(q!.tries[2]!.endMs).toBe(q!.endMs);
  });
});
