/**
 * A seek to simulated time t (a link's `t=`, the scrubber, a re-run keeping the time) shows
 * everything that happened by t. Steps go in show order and some play behind their conversation
 * (pace.ts), after the moment the show's time map gives for t: authorization under Istio at
 * `t=2502` landed before the 2.5 s flights, so "denied" was not shown though 2.550 s showed it.
 * The clock on a step is the latest time the steps up to it reached (stepClock.ts); a seek to t
 * must reach every step whose clock has not passed t, and none whose clock has — and the clock
 * must read t (a link written at t reopens reading t: journey 'opens a shared link').
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Player, runScenario, type Step } from '../../src/player/index.ts';
import { AUTHORIZATION } from './scenarios.ts';
import { retriesTrace } from './fixtures.ts';

function playerOf(text: string, file: string, mesh: string): Player {
  const o = runScenario({ text, file, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return new Player(o.trace);
}

/** Each step's clock, read here as its definition says: the largest own time of the steps up to it. */
function clocks(steps: readonly Step[]): number[] {
  let latest = -Infinity;
  return steps.map((s) => (latest = Math.max(latest, s.timeMs)));
}

/** Times to seek to: each step's own time, a millisecond after it, and halfway to the next. */
function timesOf(steps: readonly Step[], durationMs: number): number[] {
  const own = [...new Set(steps.map((s) => s.timeMs))].sort((a, b) => a - b);
  const ts = own.flatMap((t, i) => [t, t + 1, (t + (own[i + 1] ?? durationMs)) / 2]);
  return [...new Set(ts)].filter((t) => t > 0 && t < durationMs);
}

const cases = [
  { name: 'authorization fixture under Istio', text: AUTHORIZATION, file: 'authorization-fixture.yaml', mesh: 'istio' },
  { name: 'authorization under Istio', text: readFileSync('scenarios/authorization.yaml', 'utf8'), file: 'scenarios/authorization.yaml', mesh: 'istio' },
  { name: 'retry-storm under Linkerd', text: readFileSync('scenarios/retry-storm.yaml', 'utf8'), file: 'scenarios/retry-storm.yaml', mesh: 'linkerd' },
];

describe('seeking to a simulated time', () => {
  it.each(cases)('$name: shows every step whose clock has not passed t, none whose clock has, and the clock reads t', ({ text, file, mesh }) => {
    const player = playerOf(text, file, mesh);
    const steps = player.steps;
    const clock = clocks(steps);
    const times = timesOf(steps, player.trace.durationMs).slice(0, 1500);
    let behindTheMap = 0;
    for (const t of times) {
      player.seekTime(t);
      let last = -1;
      while (last + 1 < steps.length && clock[last + 1]! <= t) last++;
      expect(player.stepIndex, `t=${t}`).toBe(last);
      expect(player.timeMs, `t=${t}`).toBe(t);
      expect(player.view().timeMs, `t=${t}`).toBe(t);
      // Where the show's time map puts t before the last such step, the seek went past that step.
      if (last >= 0 && steps[last]!.showMs > player.showAt(t)) behindTheMap++;
    }
    // The case the brief names occurs in these runs (else this test would not tell the rules apart).
    expect(behindTheMap).toBeGreaterThan(0);
  });

  it('authorization under Istio at 2.502 s: the 403 decided at 2.501 s is done, as at 2.550 s', () => {
    const player = playerOf(readFileSync('scenarios/authorization.yaml', 'utf8'), 'scenarios/authorization.yaml', 'istio');
    const deny = player.steps.find((s) => s.decision === 'deny' && s.timeMs > 2400 && s.timeMs <= 2502);
    expect(deny).toBeDefined();
    for (const t of [2502, 2550]) {
      player.seekTime(t);
      expect(player.stepIndex, `t=${t}`).toBeGreaterThanOrEqual(deny!.index);
      expect(player.view().badges.map((b) => b.text)).toContain('denied');
    }
  });

  it('a later time never lands earlier in the show; the clock holds t until the cursor moves, and a link reopens there', () => {
    const player = new Player(retriesTrace('istio'));
    const steps = player.steps;
    // Retries under Istio at 1.281 s: the steps of 1.281 s play staggered, after the warp's moment for 1.2815 s.
    let prev = -1;
    let held = 0;
    for (let t = 1200; t < 1400; t += 0.25) {
      player.seekTime(t);
      expect(player.position.showMs, `t=${t}`).toBeGreaterThanOrEqual(prev);
      prev = player.position.showMs;
      if (player.position.showMs > player.showAt(t)) held++;
    }
    expect(held).toBeGreaterThan(0);
    player.seekTime(1281.5);
    const at = player.position;
    expect(steps[player.stepIndex]!.showMs).toBeGreaterThan(player.showAt(1281.5));
    // The link written there (its clock) reopens at the same moment.
    const again = new Player(retriesTrace('istio'));
    again.seekTime(player.timeMs);
    expect(again.position).toEqual(at);
    expect(again.timeMs).toBe(1281.5);
    // Stepping forward and back returns to t; playing on, the clock goes on from t (never back).
    player.stepForward();
    player.stepBack();
    expect(player.position).toEqual(at);
    expect(player.timeMs).toBe(1281.5);
    player.play();
    player.advance(16);
    expect(player.timeMs).toBeGreaterThan(1281.5);
  });
});
