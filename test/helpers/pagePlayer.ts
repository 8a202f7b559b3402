/**
 * For e2e tests that check what the page draws against the run itself: a Player of a library
 * scenario's runs (one per pane's mesh), at the moment the page shows (its time and step, from
 * harness.appState) — the same trace, so what the page should show is read from it, not written
 * into the test.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Player, runScenario, type Trace } from '../../src/player/index.ts';

export function pagePlayer(id: string, meshes: readonly string[], at: { timeMs: number; stepIndex: number }): { player: Player; traces: Trace[] } {
  const file = `scenarios/${id}.yaml`;
  const traces = meshes.map((mesh) => {
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
    if (!run.ok) throw new Error(`${id} does not run under ${mesh}`);
    return run.trace;
  });
  const player = new Player(traces);
  player.seekTime(at.timeMs);
  // The page and this player agree on the step, or the comparison means nothing.
  expect(player.stepIndex).toBe(at.stepIndex);
  return { player, traces };
}
