/**
 * The keys that jump: to the next or previous narration line, moment a breakpoint can stop at,
 * or difference between the panes (compare mode's marks on the timeline).
 */
import { breakpointOf, type Player } from '../player/index.ts';
import type { TimelineMark } from './controls.ts';

export type JumpTarget = 'narration' | 'breakpoint' | 'divergence';

/** Moves `p` to the next (1) or previous (-1) `what`; stays where it is when there is none. */
export function jump(p: Player, marks: readonly TimelineMark[], what: JumpTarget, direction: 1 | -1): void {
  if (what === 'divergence') {
    const now = p.position.showMs;
    const at = marks
      .filter((m) => m.at && m.at.pane < p.timelines.length)
      .map((m) => ({ ...m.at!, showMs: p.timelines[m.at!.pane]!.show.eventShow[m.at!.seq] ?? 0 }))
      .sort((a, b) => a.showMs - b.showMs);
    const next = direction > 0 ? at.find((m) => m.showMs > now + 1e-6) : at.filter((m) => m.showMs < now - 1e-6).pop();
    if (next) p.seekEvent(next.pane, next.seq);
    return;
  }
  const steps = p.steps;
  const wanted = (i: number): boolean => {
    const s = steps[i]!;
    return what === 'narration' ? s.kind === 'narration' : s.decision !== undefined && breakpointOf(s.decision) !== undefined;
  };
  for (let i = p.stepIndex + direction; i >= 0 && i < steps.length; i += direction)
    if (wanted(i)) {
      p.seekStep(i);
      return;
    }
}
