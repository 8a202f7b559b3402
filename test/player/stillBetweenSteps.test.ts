/**
 * With reduced motion nothing moves, and a picture between two steps holds as on the last step
 * done: no packet lands and no badge goes between steps (retry-storm under Linkerd: without it,
 * 189 of its 1,028 gaps between steps lose a badge before the next step, and 56 a packet), so two
 * moments between the same two steps — two links, a paused picture — show the same. The clock
 * still reads the moment.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Player, runScenario, type View } from '../../src/player/index.ts';

function playerOf(id: string, mesh: string): Player {
  const file = `scenarios/${id}.yaml`;
  const o = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return new Player(o.trace);
}

/** What a still picture draws: the badges and the packets in flight (by event), the step, the states. */
function drawn(v: View): string {
  const packets = Array.from({ length: v.packets.length }, (_, k) => v.packets.packet(k).seq);
  return JSON.stringify([v.badges.map((b) => b.seq), packets, v.step?.seq, v.stateVersion, v.counters]);
}

/** Gaps between steps where the picture just before the next step differs from the one on the step. */
function changing(player: Player): number {
  const steps = player.steps;
  let n = 0;
  for (let i = 0; i + 1 < steps.length; i++) {
    const next = steps[i + 1]!;
    if (next.showMs - steps[i]!.showMs < 1) continue;
    player.seekStep(i);
    const on = drawn(player.view());
    player.seekShow(next.showMs - 0.01);
    expect(player.stepIndex).toBe(i);
    if (drawn(player.view()) !== on) n++;
  }
  return n;
}

describe('reduced motion between steps', () => {
  it.each([
    ['retry-storm', 'linkerd'],
    ['retries-flaky-pod', 'istio'],
  ])('%s under %s: the picture holds as on the last step done, the clock reads the moment', (id, mesh) => {
    const player = playerOf(id, mesh);
    const moving = changing(player);
    player.reducedMotion = true;
    expect(changing(player)).toBe(0);
    // With motion the pictures between steps differ (else this tells nothing).
    expect(moving).toBeGreaterThan(0);
    const at = player.showAt(1000.5);
    player.seekShow(at);
    expect(player.view().timeMs).toBe(player.timeMs);
    expect(player.view().timeMs).toBeGreaterThan(player.steps[player.stepIndex]!.timeMs);
  });

  it('turning reduced motion on or off redraws the same cursor', () => {
    const player = playerOf('retry-storm', 'linkerd');
    const steps = player.steps;
    const i = steps.findIndex((s, k) => k > 0 && steps[k + 1] && steps[k + 1]!.showMs - s.showMs > 100);
    player.seekShow(steps[i + 1]!.showMs - 0.01);
    const moving = player.view();
    player.reducedMotion = true;
    expect(player.view()).not.toBe(moving);
    player.reducedMotion = false;
    expect(drawn(player.view())).toBe(drawn(moving));
  });
});
