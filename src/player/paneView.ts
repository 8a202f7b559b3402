/**
 * A pane's view as the player shows it: every pane reads the player's one clock, and with reduced
 * motion the picture between two steps is held as on the last step done — no packet or badge comes
 * or goes between steps, so two moments between the same two steps look the same (a paused picture
 * is still, and a link to either shows one picture).
 */
import type { Cursor, Timeline } from './timeline.ts';
import { viewAt, type View } from './view.ts';

/**
 * The view of `tl` at `cursor`, its clock reading `clockMs`; `still`: as on the last step done.
 */
export function paneViewAt(tl: Timeline, cursor: Cursor, clockMs: number, still: boolean): View {
  let at = cursor;
  if (still) {
    const step = tl.steps[tl.stepIndexAt(cursor)];
    at = step ? { showMs: step.showMs, seq: step.seq } : { showMs: 0, seq: -1 };
    if (at.showMs === cursor.showMs && at.seq === cursor.seq) at = cursor;
  }
  const view = viewAt(tl, at);
  if (at === cursor && clockMs === view.timeMs) return view;
  return { ...view, cursor, atEnd: cursor.showMs >= tl.endShowMs, timeMs: clockMs, edges: clockMs === view.timeMs ? view.edges : tl.edges.at(clockMs) };
}
