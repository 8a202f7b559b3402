/** Moments of a library scenario worth looking at (the look-shots tool and the picture tests that walk the library). */
import type { LoadedScenario } from '../../src/scenario/index.ts';

/** The moment a learner should see: a checkpoint, else just after the first change, else mid-run (ms). */
export function tellingMomentMs(s: LoadedScenario): number {
  // A question asked before the start (at 0 s) shows nothing yet: take the first one asked later.
  const checkpoint = s.checkpoints.find((c) => c.at > 0);
  if (checkpoint) return checkpoint.at;
  const change = s.changes[0];
  if (change) return Math.min(s.duration - 1, change.at + 300);
  return Math.round(s.duration / 2);
}
