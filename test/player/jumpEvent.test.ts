/**
 * Compare mode has one playhead and one clock. A jump to an event (a difference's "Go there", the
 * divergence key, "Show me") lands on its step, and the clock reads the event's own time — what the
 * panel says ("First divergence at 0.006 s"): ambient-authz-fail-closed, Istio against Istio
 * ambient, whose first difference (ambient's deny at 6 ms) plays behind its conversation, after
 * steps of Istio's pane at up to 27 ms and the warp's 136 ms. Every pane's view reads the clock the
 * player reads (the page's clock is the followed pane's view; its state the player's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PANE_STRIDE, Player, divergences, runScenario } from '../../src/player/index.ts';
import { stepClockMs } from '../../src/player/stepClock.ts';
import type { Trace } from '../../src/sim/index.ts';

/** The clock of the last step pane `i` has done at the player's cursor, over that pane's own steps (-Infinity before its first). */
function paneClock(player: Player, i: number): number {
  const tl = player.timelines[i]!;
  const index = tl.stepIndexAt(player.paneCursor(i));
  return index < 0 ? -Infinity : stepClockMs(tl.steps, index);
}

/** The own times of the packets pane `i` draws at the cursor. */
function packetTimes(player: Player, i: number): number[] {
  const frame = player.viewOf(i).packets;
  const events = player.timelines[i]!.trace.events;
  return Array.from({ length: frame.length }, (_, k) => events[frame.packet(k).seq]!.t);
}

function tracesOf(id: string, meshes: readonly string[]): Trace[] {
  const file = `scenarios/${id}.yaml`;
  return meshes.map((mesh) => {
    const o = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
    if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
    return o.trace;
  });
}

const cases = [
  { id: 'ambient-authz-fail-closed', meshes: ['istio', 'ambient'] },
  { id: 'retries-flaky-pod', meshes: ['istio', 'linkerd'] },
];

describe('a jump to an event in compare mode', () => {
  it.each(cases)('$id ($meshes): lands on the event’s step, every pane’s clock reading the event’s time', ({ id, meshes }) => {
    const traces = tracesOf(id, meshes);
    const player = new Player(traces);
    const ds = divergences(traces);
    expect(ds.length).toBeGreaterThan(0);
    let late = 0;
    for (const d of ds) {
      player.seekEvent(d.pane, d.seq);
      const step = player.steps[player.stepIndex]!;
      expect(step.seq, `${d.text}`).toBe(d.pane * PANE_STRIDE + d.seq);
      expect(player.timeMs, d.text).toBe(d.timeMs);
      for (let i = 0; i < traces.length; i++) expect(player.viewOf(i).timeMs, `pane ${i}: ${d.text}`).toBe(d.timeMs);
      // No other pane runs ahead of the clock: its steps and its packets are no later than the event's time.
      for (let i = 0; i < traces.length; i++) {
        if (i === d.pane) continue;
        expect(paneClock(player, i), `pane ${i}: ${d.text}`).toBeLessThanOrEqual(d.timeMs);
        for (const t of packetTimes(player, i)) expect(t, `pane ${i}'s packet: ${d.text}`).toBeLessThanOrEqual(d.timeMs);
      }
      if (step.showMs > player.showAt(d.timeMs)) late++;
      // Stepping on and back returns to it, the clock reading its time again.
      const at = player.position;
      player.stepForward();
      player.stepBack();
      expect(player.position).toEqual(at);
      expect(player.timeMs).toBe(d.timeMs);
      for (let i = 0; i < traces.length; i++)
        if (i !== d.pane) expect(paneClock(player, i), `pane ${i} after a step on and back: ${d.text}`).toBeLessThanOrEqual(d.timeMs);
      // Playing on from there moves no pane backwards.
      const before = traces.map((_, i) => player.timelines[i]!.stepIndexAt(player.paneCursor(i)));
      player.stepForward();
      traces.forEach((_, i) =>
        expect(player.timelines[i]!.stepIndexAt(player.paneCursor(i)), `pane ${i} on the next step: ${d.text}`).toBeGreaterThanOrEqual(before[i]!),
      );
    }
    // Differences that play after the warp passed their time occur here (else this tells nothing).
    if (id === 'ambient-authz-fail-closed') expect(late).toBeGreaterThan(0);
  });

  it('ambient-authz-fail-closed: its first difference is at 6 ms, and the jump reads 6 ms, not a later time the other pane reached', () => {
    const traces = tracesOf('ambient-authz-fail-closed', ['istio', 'ambient']);
    const player = new Player(traces);
    const first = divergences(traces)[0]!;
    expect(first.timeMs).toBe(6);
    player.seekEvent(first.pane, first.seq);
    expect(player.timeMs).toBe(6);
    expect(player.viewOf(0).timeMs).toBe(6);
    // Istio's pane shows no step past 6 ms (it showed steps up to 27 ms, its 200 of 27 ms in flight).
    expect(first.pane).toBe(1);
    expect(paneClock(player, 0)).toBeLessThanOrEqual(6);
    expect(Math.max(...packetTimes(player, 0))).toBeLessThanOrEqual(6);
  });
});

describe('compare mode’s one clock', () => {
  it.each(cases)('$id ($meshes): on every step, each pane’s view reads the player’s clock', ({ id, meshes }) => {
    const player = new Player(tracesOf(id, meshes));
    const n = Math.min(player.steps.length, 3000);
    for (let i = 0; i < n; i++) {
      player.seekStep(i);
      const t = player.timeMs;
      for (let p = 0; p < meshes.length; p++) expect(player.viewOf(p).timeMs, `step ${i}, pane ${p}`).toBe(t);
    }
  });
});
