import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EdgeIndexes, EDGE_WINDOW_MS } from '../../src/player/edges.ts';
import { runScenario } from '../../src/player/index.ts';
import type { FlightEvent, Trace, TraceEvent } from '../../src/sim/index.ts';

/** a calls service b (pods b-0, b-1): requests at the given times to each pod, and responses. */
function trace(events: Omit<FlightEvent, 'seq'>[]): Trace {
  return {
    version: 1,
    scenario: { id: 'edges', title: 'Edges' },
    mesh: 'istio',
    seed: 1,
    durationMs: 5000,
    topology: {
      edges: [],
      namespaces: ['default'],
      services: [],
      pods: [],
      proxies: [],
      clusterNodes: [],
      nodes: [
        { id: 'a/proxy', kind: 'proxy', label: 'a proxy', service: 'a', pod: 'a' },
        { id: 'b-0/proxy', kind: 'proxy', label: 'b-0 proxy', service: 'b', pod: 'b-0' },
        { id: 'b-1/proxy', kind: 'proxy', label: 'b-1 proxy', service: 'b', pod: 'b-1' },
        { id: 'b-1/app', kind: 'app', label: 'b-1', service: 'b', pod: 'b-1' },
      ],
    },
    machines: {},
    events: events.map((e, seq) => ({ ...e, seq }) as TraceEvent),
  };
}
const req = (to: string, t: number): Omit<FlightEvent, 'seq'> => ({
  type: 'flight',
  t,
  id: `q${t}${to}`,
  kind: 'http-request',
  from: 'a/proxy',
  to,
  departMs: t,
  arriveMs: t + 1,
  label: 'GET /',
});
const res = (from: string, t: number, status: number): Omit<FlightEvent, 'seq'> => ({
  type: 'flight',
  t,
  id: `r${t}${from}`,
  kind: 'http-response',
  from,
  to: 'a/proxy',
  departMs: t,
  arriveMs: t + 1,
  label: String(status),
  status,
});

describe('traffic on the links between pods', () => {
  const index = new EdgeIndexes(
    trace([
      req('b-0/proxy', 100),
      req('b-1/proxy', 200),
      req('b-0/proxy', 300),
      req('b-0/proxy', 1500),
      res('b-0/proxy', 110, 200),
      res('b-1/proxy', 210, 503),
      res('b-0/proxy', 310, 200),
      res('b-0/proxy', 1510, 200),
      // Inside one pod: no link between pods.
      { type: 'flight', t: 200, id: 'in', kind: 'http-request', from: 'b-1/proxy', to: 'b-1/app', departMs: 200, arriveMs: 200, label: 'GET /' },
    ]),
  );

  it(`counts the requests of the last ${EDGE_WINDOW_MS} ms, each link's share of its caller's and the error share of its responses`, () => {
    const at = index.at(1000);
    expect(at.map((e) => [e.from, e.to, e.requests, e.share, e.errorShare])).toEqual([
      ['a/proxy', 'b-0/proxy', 2, 2 / 3, 0],
      ['a/proxy', 'b-1/proxy', 1, 1 / 3, 1],
    ]);
    expect(at[0]!.rate).toBe(2);
  });

  it('forgets what left before the window, and leaves idle links out', () => {
    const at = index.at(1600);
    expect(at.map((e) => [e.to, e.requests, e.share])).toEqual([['b-0/proxy', 1, 1]]);
  });

  it('over a partial first second, measures the rate over the time there was', () => {
    expect(index.at(500).find((e) => e.to === 'b-0/proxy')!.rate).toBe(4);
  });

  it('shows a canary weight as the share of the requests naming a service that go to the canary', () => {
    const file = 'scenarios/canary-split.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error('canary-split');
    const edges = new EdgeIndexes(run.trace);
    // Requests name reviews; the VirtualService sends 10% to reviews-v2 (50% after 5 s): a second's
    // draws land near it.
    const canary = (t: number): number => edges.at(t).find((e) => e.to === 'reviews-v2-0/proxy')?.share ?? 0;
    expect(canary(3000)).toBeLessThan(0.3);
    expect(canary(9000)).toBeGreaterThan(0.3);
    expect(canary(9000)).toBeLessThan(0.7);
  });
});
