/**
 * Narration weaving reads rows from the trace's columns and makes an event (a view) only for the
 * rows `mayTrigger` lets through: it must let through every row `triggers` answers for, under
 * every trigger, or an `on:` line would be placed late or dropped.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/index.ts';
import { profileById, simulate } from '../../src/mesh/index.ts';
import { mayTrigger, triggers } from '../../src/mesh/narration.ts';
import { NARRATION_TRIGGERS, storeOfEvents } from '../../src/sim/index.ts';

/** Library runs whose traces hold certificate rotations, config pushes, crashes, failures, retries and handshakes. */
const RUNS: [file: string, mesh: string][] = [
  ['scenarios/certificate-rotation.yaml', 'istio'],
  ['scenarios/config-push.yaml', 'linkerd'],
  ['scenarios/retry-storm.yaml', 'istio'],
  ['scenarios/mtls-handshake.yaml', 'istio'],
];

describe('narration triggers read from columns', () => {
  for (const [file, mesh] of RUNS) {
    it(`${file} under ${mesh}: every event a trigger answers for is a row mayTrigger lets through`, () => {
      const parsed = parseScenario(readFileSync(file, 'utf8'), file);
      if (!parsed.ok) throw new Error(`${file} does not load`);
      const events = simulate(parsed.scenario, profileById(mesh)!).trace.events;
      const store = storeOfEvents(events)!;
      const hits = new Map<string, number>();
      let missed = 0;
      let i = 0;
      for (const e of events) {
        for (const on of NARRATION_TRIGGERS) {
          if (!triggers(on, e)) continue;
          hits.set(on, (hits.get(on) ?? 0) + 1);
          if (!mayTrigger(on, store, i)) missed++;
        }
        i++;
      }
      expect(missed).toBe(0);
      // The runs do exercise the triggers read from columns of each event type.
      expect(hits.get('request')).toBeGreaterThan(0);
      expect(hits.get('failure') ?? hits.get('handshake') ?? hits.get('rotation') ?? hits.get('config-push')).toBeGreaterThan(0);
    });
  }
  it('lets through rows of each kind the triggers read: rotation, config-push, retry', () => {
    const seen = new Set<string>();
    for (const [file, mesh] of RUNS) {
      const parsed = parseScenario(readFileSync(file, 'utf8'), file);
      if (!parsed.ok) throw new Error(`${file} does not load`);
      const events = simulate(parsed.scenario, profileById(mesh)!).trace.events;
      let i = 0;
      for (const e of events) {
        for (const on of ['rotation', 'config-push', 'retry', 'failure'] as const) if (triggers(on, e)) seen.add(on);
        i++;
      }
      expect(i).toBe(events.length);
    }
    expect([...seen].sort()).toEqual(['config-push', 'failure', 'retry', 'rotation']);
  });
});
