/**
 * Compare mode's panes held back at a jump to an event. The panes' steps merge into one show
 * order (mergeSteps.ts), and a pane whose conversation plays behind (pace.ts: serial handshake
 * flights staggered) shows its step of 6 ms after the other pane's steps of up to 27 ms
 * (ambient-authz-fail-closed, Istio against Istio ambient, the first difference). On that step,
 * with the clock reading the event's 6 ms (Player.seekEvent), the other pane would show 27 ms:
 * so each other pane is held on its last step whose clock — over that pane's own steps — has not
 * passed the event's time, until the cursor moves. A pane is only held back, never put ahead of
 * where the merged order has it, so playing on from there moves no pane backwards.
 */
import { lastStepBy } from './stepClock.ts';
import type { Cursor, Timeline } from './timeline.ts';

/**
 * Per pane, where it is held at simulated time `t`: on its last step whose own clock has not
 * passed `t` (before its first step when none) where `current(i)`, the pane's cursor as the
 * merged order reads it, has later steps done; else null. Pane `keep` (the one whose event the
 * jump landed on) is left as the cursor has it. Empty when no pane is held.
 */
export function holdAt(timelines: readonly Timeline[], current: (i: number) => Cursor, t: number, keep: number): (Cursor | null)[] {
  const held = timelines.map((tl, i) => {
    if (i === keep) return null;
    const last = lastStepBy(tl.steps, t);
    if (tl.stepIndexAt(current(i)) <= last) return null;
    const step = tl.steps[last];
    return step ? { showMs: step.showMs, seq: step.seq } : { showMs: 0, seq: -1 };
  });
  return held.some(Boolean) ? held : [];
}
