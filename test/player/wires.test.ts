/**
 * What the still picture reads of a trace from its columns (wires.ts) against the same read off
 * the events themselves: the flights a wire or a tunnel pipe is drawn for, and the targets requests name.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestTargets, runScenario, wireFlights, type WireFlight } from '../../src/player/index.ts';
import type { FlightEvent, Trace } from '../../src/sim/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function traceOf(name: string, mesh: string): Trace {
  const file = `scenarios/${name}.yaml`;
  const o = runScenario({ text: readFileSync(join(ROOT, file), 'utf8'), file, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('; '));
  return o.trace;
}

/** Every flight in order; kept when it is its pair's first, or its pair's first tunnelled one. */
function reference(trace: Trace): WireFlight[] {
  const seen = new Set<string>();
  const tunnelled = new Set<string>();
  const out: WireFlight[] = [];
  for (const e of trace.events) {
    if (e.type !== 'flight') continue;
    const f = e as FlightEvent;
    const key = `${f.from}>${f.to}`;
    const tunnel = typeof f.detail?.tunnel === 'string';
    if (!seen.has(key) || (tunnel && !tunnelled.has(key))) out.push({ from: f.from, to: f.to, tunnel });
    seen.add(key);
    if (tunnel) tunnelled.add(key);
  }
  return out;
}

describe('wires read from the columns', () => {
  for (const [name, mesh] of [
    ['ambient-l4-mtls', 'ambient'],
    ['ambient-waypoint-l7', 'ambient'],
    ['retry-storm', 'istio'],
    ['ingress-gateway', 'linkerd'],
  ] as const)
    it(`${name} under ${mesh}: the flights drawn and the targets named are those the events give`, () => {
      const trace = traceOf(name, mesh);
      const wires = wireFlights(trace);
      expect(wires).toEqual(reference(trace));
      if (mesh === 'ambient') expect(wires.some((w) => w.tunnel)).toBe(true);
      const named = new Set<string>();
      for (const e of trace.events) if (e.type === 'request' && e.phase === 'start') named.add(e.to);
      expect(requestTargets(trace)).toEqual(named);
      expect(named.size).toBeGreaterThan(0);
    });
});
