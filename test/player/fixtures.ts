/** Traces for the player tests: a tiny hand-made one, and a flaky pod under retries (FLAKY_RETRIED). */
import { runScenario } from '../../src/player/index.ts';
import type { FlightEvent, Trace, TraceEvent } from '../../src/sim/index.ts';
import { FLAKY_RETRIED } from './scenarios.ts';

type NewEvent = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq'> : never) : never;

/** A trace from a list of events (seq added in order). */
export function traceOf(events: NewEvent[], durationMs = 100): Trace {
  return {
    version: 1,
    scenario: { id: 'tiny', title: 'Tiny' },
    mesh: 'istio',
    seed: 1,
    durationMs,
    topology: {
      edges: [{ from: 'a', to: 'b' }],
      namespaces: ['default'],
      services: [{ name: 'b', namespace: 'default', pods: ['b-0'] }],
      pods: [],
      nodes: [
        { id: 'a/app', kind: 'app', label: 'a' },
        { id: 'a/proxy', kind: 'proxy', label: 'a proxy' },
        { id: 'b/proxy', kind: 'proxy', label: 'b proxy' },
        { id: 'b/app', kind: 'app', label: 'b' },
      ],
      proxies: [],
      clusterNodes: [],
    },
    machines: {},
    events: events.map((e, seq) => ({ ...e, seq }) as TraceEvent),
  };
}

let flightId = 0;
/** A flight event. */
export function flight(from: string, to: string, departMs: number, arriveMs: number, label = 'GET /'): Omit<FlightEvent, 'seq'> {
  return { type: 'flight', t: departMs, id: `f-${++flightId}`, kind: 'http-request', from, to, departMs, arriveMs, label };
}

/** The library's retries-flaky-pod scenario under `mesh`. */
export function retriesTrace(mesh: 'istio' | 'linkerd'): Trace {
  const file = 'flaky.yaml';
  const outcome = runScenario({ text: FLAKY_RETRIED, file, mesh });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.text).join('\n'));
  return outcome.trace;
}
