// What the scrubber's strip and ticks read of a timeline (src/ui/controls.ts), from the trace's
// columns, against the same read through the events and the steps.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Player, runScenario } from '../../src/player/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('a timeline read from its columns', () => {
  // certificate-rotation under Istio folds its CSR retries (a fold is one step) and its
  // certificates change state; retries-flaky-pod's times are fractional milliseconds.
  for (const name of ['certificate-rotation', 'retries-flaky-pod']) {
    it(`${name}: each event's time and each state change step's time, as the events and steps say`, () => {
      const file = `scenarios/${name}.yaml`;
      const run = runScenario({ text: readFileSync(resolve(ROOT, file), 'utf8'), file, mesh: 'istio' });
      if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('; '));
      const timeline = new Player(run.trace).timeline;
      expect(Array.from(timeline.eventTimes)).toEqual(run.trace.events.map((e) => e.t));
      const transitions = timeline.steps.filter((s) => s.kind === 'transition').map((s) => s.timeMs);
      expect(transitions.length).toBeGreaterThan(0);
      expect(timeline.transitionStepTimes()).toEqual(transitions);
    });
  }

  it('has a fold among the steps it reads (certificate-rotation), so folded steps are covered', () => {
    const file = 'scenarios/certificate-rotation.yaml';
    const run = runScenario({ text: readFileSync(resolve(ROOT, file), 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error('certificate-rotation has problems');
    expect(new Player(run.trace).timeline.steps.some((s) => s.fold)).toBe(true);
  });
});
