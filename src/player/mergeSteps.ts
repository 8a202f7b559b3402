/**
 * Compare mode's merged step list (Player.ts): the panes' steps in one show-time order, each a
 * PaneStep made when read; and the panes' timelines, which share one show-time warp.
 */
import { lazyList, type Trace } from '../sim/index.ts';
import { Timeline, floats } from './timeline.ts';
import { buildSharedShowMaps } from './pace.ts';
import { paneNames } from './meshes.ts';
import { PaneStep, setStepColumns, stepColumns, type Step, type StepColumns } from './steps.ts';

/** Ranks of pane `i`'s events start at `i × PANE_STRIDE` (far above any trace's length). */
export const PANE_STRIDE = 2 ** 26;

/** The timelines of one trace, or of a pane each (compare mode: one shared warp, and their steps merged). */
export function paneTimelines(traces: readonly Trace[]): { timelines: Timeline[]; merged: ReturnType<typeof mergeSteps> | null } {
  if (traces.length === 1) return { timelines: [new Timeline(traces[0]!)], merged: null };
  const shows = buildSharedShowMaps(
    traces.map((t) => t.events),
    Math.max(...traces.map((t) => t.durationMs)),
  );
  const timelines = traces.map((t, i) => new Timeline(t, shows[i]));
  const names = paneNames(traces.map((t) => t.mesh));
  const merged = mergeSteps(
    timelines.map((tl) => tl.steps),
    names,
  );
  return { timelines, merged };
}

/**
 * Compare mode's one list of steps: every pane's steps (each list in show-time order) merged by
 * show time, and at one show time by rank (the first pane's first). Merged from the panes' step
 * columns; step i is a {@link PaneStep} over the pane's own step, made when read (as the panes'
 * own lists are: a re-simulation reads a few of its thousands of steps).
 */
export function mergeSteps(lists: readonly (readonly Step[])[], names: readonly string[]): { steps: Step[]; shows: Float64Array; ranks: Int32Array } {
  const columns = lists.map((l) => stepColumns(l) ?? columnsOfList(l));
  const total = lists.reduce((n, l) => n + l.length, 0);
  const next = new Int32Array(lists.length);
  const paneOf = new Uint8Array(total);
  const indexIn = new Int32Array(total);
  const shows = new Float64Array(total);
  const ranks = new Int32Array(total);
  for (let index = 0; index < total; index++) {
    let pane = -1;
    let best = Infinity;
    for (let p = 0; p < lists.length; p++) {
      const at = next[p]!;
      if (at >= lists[p]!.length) continue;
      const show = columns[p]!.showAt(at);
      // Strictly earlier only: at equal show times the lower pane (the smaller rank) goes first.
      if (pane < 0 || show < best) {
        pane = p;
        best = show;
      }
    }
    const at = next[pane]!++;
    paneOf[index] = pane;
    indexIn[index] = at;
    shows[index] = best;
    ranks[index] = pane * PANE_STRIDE + columns[pane]!.seqAt(at);
  }
  const steps = lazyList<Step>(total, (i) => new PaneStep(i, ranks[i]!, paneOf[i]!, lists[paneOf[i]!]![indexIn[i]!]!, names[paneOf[i]!]!));
  setStepColumns(steps, { seqAt: (i) => ranks[i]!, showAt: (i) => shows[i]!, timeAt: (i) => columns[paneOf[i]!]!.timeAt(indexIn[i]!) });
  return { steps, shows, ranks };
}

/** A step list's columns read off its steps (a list that {@link buildSteps} did not make). */
function columnsOfList(steps: readonly Step[]): StepColumns {
  const shows = floats(steps, (s) => s.showMs);
  return { seqAt: (i) => steps[i]!.seq, showAt: (i) => shows[i]!, timeAt: (i) => steps[i]!.timeMs };
}
