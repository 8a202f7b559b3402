/**
 * ×10 over a whole run (issue 12: "×10 needs 82 s for a 10 s scenario"). The pace rules
 * (pace.ts): at ×1 simulated time runs PACE.showPerSimMs× slower than real time, idle stretches
 * are squeezed, the clock may hold while a conversation catches up (the map's holds), and the
 * last packets may finish up to PACE.maxLagShowMs after the warp's end. So a 10 s run lasts at
 * most showPerSimMs × 10 s + its holds + maxLagShowMs of show time, a tenth of that at ×10.
 * Played here frame by frame, as the page's frame loop plays it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACE, Player, runScenario } from '../../src/player/index.ts';

/** The library's 10-second scenarios. */
const TEN_SECONDS = ['canary-split', 'load-balancing-slow-pod', 'locality-failover', 'timeouts', 'ambient-waypoint-l7', 'ambient-authz-fail-closed'];
const FRAME_MS = 16;

/** Plays `player` at `speed` in frames of FRAME_MS from the start; the real time it took to reach the end. */
function playToEnd(player: Player, speed: number): number {
  player.setSpeed(speed);
  player.restart();
  player.play();
  let realMs = 0;
  while (player.playing && realMs < 1_000_000) {
    player.advance(FRAME_MS);
    realMs += FRAME_MS;
  }
  return realMs;
}

describe('×10 over a whole run', () => {
  for (const scenario of TEN_SECONDS)
    for (const mesh of ['istio', 'linkerd'])
      it(`plays ${scenario} (10 s, ${mesh}) to its end at ×10 in a tenth of its show time, about 10 s`, () => {
        const file = `scenarios/${scenario}.yaml`;
        const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
        if (!run.ok) throw new Error(`${file} under ${mesh}`);
        expect(run.trace.durationMs).toBe(10_000);
        const player = new Player(run.trace);
        const holds = player.timelines[0]!.show.holdShow.reduce((a, b) => a + b, 0);
        const ruleShowMs = PACE.showPerSimMs * run.trace.durationMs + holds + PACE.maxLagShowMs;
        expect(player.endShowMs).toBeLessThanOrEqual(ruleShowMs);
        const realMs = playToEnd(player, 10);
        expect(player.atEnd).toBe(true);
        expect(player.timeMs).toBe(run.trace.durationMs);
        // A tenth of the show time, to the frame.
        expect(Math.abs(realMs - player.endShowMs / 10)).toBeLessThanOrEqual(FRAME_MS);
        // About the run's own length at ×10 (the issue saw 82 s for a 10 s scenario).
        expect(realMs).toBeLessThanOrEqual(ruleShowMs / 10 + FRAME_MS);
        expect(realMs).toBeLessThan(1.1 * run.trace.durationMs);
        // ×1 takes ten times as long: the speed is the only difference.
        expect(Math.abs(playToEnd(player, 1) - 10 * realMs)).toBeLessThanOrEqual(10 * FRAME_MS);
      });
});
