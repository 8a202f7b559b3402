// What the scrubber's strip and ticks read of a timeline (src/ui/controls.ts), from the trace's
// columns, against the same read through the events and the steps.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Player, runScenario } from '../../src/player/index.ts';
import { pairsOf } from '../../src/player/timeline.ts';

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

  it("keeps flights' pair numbers in 16 bits while they fit, and widens to 32 at the first that does not, keeping every value", () => {
    const seqs = Int32Array.from({ length: 10 }, (_, i) => i * 3);
    const small = pairsOf(seqs, (seq) => seq % 4);
    expect(small).toBeInstanceOf(Int16Array);
    expect(Array.from(small)).toEqual(Array.from(seqs, (seq) => seq % 4));
    // A pair past 32,767 in the middle: the values before it are kept as they were.
    const big = (seq: number): number => (seq === 12 ? 40_000 : seq === 27 ? 70_000 : seq);
    const wide = pairsOf(seqs, big);
    expect(wide).toBeInstanceOf(Int32Array);
    expect(Array.from(wide)).toEqual(Array.from(seqs, big));
  });
});
