// The instants of a show-time warp (paceInstants.ts) against a plain reference: every time and arrival, sorted, without repeats.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/player/index.ts';
import { FLIGHT, factsOf, type EventFacts } from '../../src/player/paceFacts.ts';
import { instantsOf } from '../../src/player/paceInstants.ts';
import type { TraceEvent } from '../../src/sim/index.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';
import { flight, traceOf } from './fixtures.ts';

/** A small deterministic generator (the tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

function reference(facts: readonly EventFacts[], durationMs: number): number[] {
  const all = new Set<number>([0, durationMs]);
  for (const f of facts)
    for (let i = 0; i < f.t.length; i++) {
      all.add(f.t[i]!);
      if (f.flags[i]! & FLIGHT) all.add(f.arrive[i]!);
    }
  return [...all].sort((a, b) => a - b);
}

const factsOfTrace = (events: Parameters<typeof traceOf>[0]): EventFacts => factsOf(traceOf(events).events);

/** Flights leaving in time order, each on its way up to `spreadMs` (many at once, arriving out of order), times repeated. */
function flights(seed: number, count: number, spreadMs: number): Parameters<typeof traceOf>[0] {
  const next = lcg(seed);
  const events: Parameters<typeof traceOf>[0] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    if (next() < 0.5) t += Math.round(next() * 4) / 4;
    events.push(flight('a/proxy', 'b/proxy', t, t + Math.round(next() * spreadMs * 4) / 4));
  }
  return events;
}

describe('instantsOf', () => {
  it('walks a trace in time order: every time and arrival, ascending, once', () => {
    const f = factsOfTrace(flights(1, 3000, 40));
    expect([...instantsOf([f], 5000)]).toEqual(reference([f], 5000));
  });

  it('sorts a trace with a flight arriving before its time, and one whose times go back', () => {
    const early = flights(2, 500, 10);
    early.splice(250, 0, flight('b/proxy', 'a/proxy', early[249]!.t, early[249]!.t - 3));
    const back = flights(3, 500, 10);
    back.push(flight('a/proxy', 'b/proxy', 1, 2));
    for (const events of [early, back]) {
      const f = factsOfTrace(events);
      expect([...instantsOf([f], 1000)]).toEqual(reference([f], 1000));
    }
  });

  it('joins several traces (compare mode), each walked or sorted', () => {
    const facts = [flights(4, 800, 30), flights(5, 800, 5), [...flights(6, 300, 5), flight('a/proxy', 'b/proxy', 0.5, 0.25)]].map(factsOfTrace);
    expect([...instantsOf(facts, 900)]).toEqual(reference(facts, 900));
  });

  it('gives a library run and a load their instants', () => {
    const runs: [string, string][] = [
      ['scenarios/retries-flaky-pod.yaml', readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8')],
      ['load.yaml', loadScenarioYaml(20, 3, 1000, 2)],
    ];
    for (const [file, text] of runs) {
      const run = runScenario({ text, file, mesh: 'istio' });
      if (!run.ok) throw new Error(file);
      const f = factsOf(run.trace.events as readonly TraceEvent[]);
      expect([...instantsOf([f], run.trace.durationMs)]).toEqual(reference([f], run.trace.durationMs));
    }
  });
});
