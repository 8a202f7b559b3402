/**
 * The player: one timeline, or one per pane in compare mode, and a cursor. Stepping, seeking, playing at any speed and
 * stepping back are cursor moves; the caller drives playback with {@link Player.advance} from its
 * own frame loop (the player reads no clock). Swapping the traces (a mesh switch, a knob, a fault)
 * keeps the simulated time.
 *
 * Compare mode holds 2–4 traces of one scenario under one playhead: their timelines share one
 * show-time warp, so one show time is one simulated time in all, and their steps merge into one
 * list. The cursor's `seq` is then a *rank* (`pane × PANE_STRIDE + seq`), which orders the steps
 * that share a moment: the first pane's first, then the second's, and so on.
 */
import type { Trace } from '../sim/index.ts';
import { PACE, buildSharedShowMaps, showAtTime, timeAtShow } from './pace.ts';
import { stepClockMs } from './stepClock.ts';
import { Timeline, countDone, floats, type Cursor } from './timeline.ts';
import { viewAt, type View } from './view.ts';
import { metricsAt, type MetricsAt } from './metrics.ts';
import { PaneStep, setStepColumns, stepColumns, type Step, type StepColumns } from './steps.ts';
import { lazyList } from '../sim/index.ts';
import { paneNames } from './meshes.ts';

/** Speeds offered by the Speed control, slowest first. */
export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10] as const;

/** With reduced motion, playback shows one step per this much real time at ×1, without motion. */
export const STEP_DWELL_MS = 600;

const END_SEQ = Number.MAX_SAFE_INTEGER;

/** Ranks of pane `i`'s events start at `i × PANE_STRIDE` (far above any trace's length). */
export const PANE_STRIDE = 2 ** 26;

/** A place where playing stops by itself: a breakpoint's decision, or a checkpoint's time. */
export interface Stop {
  /** Show time and rank of the stop (a breakpoint's step; a checkpoint's time, before anything at it). */
  showMs: number;
  seq: number;
  kind: 'breakpoint' | 'checkpoint';
  /** The breakpoint's id, or the checkpoint's index as text. */
  id: string;
}

/**
 * Compare mode's one list of steps: every pane's steps (each list in show-time order) merged by
 * show time, and at one show time by rank (the first pane's first). Merged from the panes' step
 * columns; step i is a {@link PaneStep} over the pane's own step, made when read (as the panes'
 * own lists are: a re-simulation reads a few of its thousands of steps).
 */
function mergeSteps(lists: readonly (readonly Step[])[], names: readonly string[]): { steps: Step[]; shows: Float64Array; ranks: Int32Array } {
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
      const show = columns[p]!.shows[at]!;
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
    ranks[index] = pane * PANE_STRIDE + columns[pane]!.seqs[at]!;
  }
  const steps = lazyList<Step>(total, (i) => new PaneStep(i, ranks[i]!, paneOf[i]!, lists[paneOf[i]!]![indexIn[i]!]!, names[paneOf[i]!]!));
  setStepColumns(steps, { seqs: ranks, shows, timeAt: (i) => columns[paneOf[i]!]!.timeAt(indexIn[i]!) });
  return { steps, shows, ranks };
}

/** A step list's columns read off its steps (a list that {@link buildSteps} did not make). */
function columnsOfList(steps: readonly Step[]): StepColumns {
  return { seqs: Int32Array.from(steps, (s) => s.seq), shows: floats(steps, (s) => s.showMs), timeAt: (i) => steps[i]!.timeMs };
}

/** Orders two cursors: negative when `a` comes first. */
export function compareCursors(a: Cursor, b: Cursor): number {
  return a.showMs - b.showMs || a.seq - b.seq;
}

export class Player {
  private panes: Timeline[];
  private merged: Step[] | null = null;
  private mergedShows: Float64Array | null = null;
  private mergedRanks: Int32Array | null = null;
  private cursor: Cursor = { showMs: 0, seq: -1 };
  private cached: (View | null)[] = [];
  private dwellMs = 0;
  /** Where a run of forward steps began between two steps, and the step it went to. */
  private anchor: { from: Cursor; index: number } | null = null;
  private stops: Stop[] = [];
  /** The stop that playing (or stepping onto a checkpoint) last halted at, until taken. */
  private hitStop: Stop | null = null;
  playing = false;
  /** Multiplies show time per real time; from 0.1 to 10. */
  speed = 1;
  /** Play step by step with no motion (prefers-reduced-motion). */
  reducedMotion = false;

  /** One trace, or one per pane (compare mode). */
  constructor(traces: Trace | readonly Trace[]) {
    this.panes = this.timelinesOf(traces);
  }

  private timelinesOf(traces: Trace | readonly Trace[]): Timeline[] {
    const list = Array.isArray(traces) ? (traces as readonly Trace[]) : [traces as Trace];
    this.cached = list.map(() => null);
    if (list.length === 1) {
      this.merged = null;
      this.mergedShows = null;
      this.mergedRanks = null;
      return [new Timeline(list[0]!)];
    }
    const shows = buildSharedShowMaps(
      list.map((t) => t.events),
      Math.max(...list.map((t) => t.durationMs)),
    );
    const timelines = list.map((t, i) => new Timeline(t, shows[i]));
    const names = paneNames(list.map((t) => t.mesh));
    const merged = mergeSteps(
      timelines.map((tl) => tl.steps),
      names,
    );
    this.merged = merged.steps;
    this.mergedShows = merged.shows;
    this.mergedRanks = merged.ranks;
    return timelines;
  }

  /** The first pane's timeline (the reference in compare mode). */
  get timeline(): Timeline {
    return this.panes[0]!;
  }

  /** Every pane's timeline: one, or one per pane in compare mode. */
  get timelines(): readonly Timeline[] {
    return this.panes;
  }

  get trace(): Trace {
    return this.panes[0]!.trace;
  }

  /** Where the cursor is (show time and the last rank done there). */
  get position(): Cursor {
    return this.cursor;
  }

  /** The cursor as pane `i`'s own timeline reads it. */
  paneCursor(i: number): Cursor {
    const c = this.cursor;
    if (this.panes.length === 1 || c.seq < 0 || c.seq === END_SEQ) return c;
    const pane = Math.floor(c.seq / PANE_STRIDE);
    if (pane === i) return { showMs: c.showMs, seq: c.seq - pane * PANE_STRIDE };
    return { showMs: c.showMs, seq: pane > i ? END_SEQ : -1 };
  }

  /** Whether event `seq` of pane `i` has happened at the cursor. */
  isDone(i: number, seq: number): boolean {
    const c = this.paneCursor(i);
    const s = this.panes[i]!.show.eventShow[seq]!;
    return s < c.showMs || (s === c.showMs && seq <= c.seq);
  }

  /**
   * Simulated time at the cursor: on a step, the latest time the steps up to it reached — its
   * own time unless it plays behind its conversation (stepClock.ts; what the step list says);
   * between steps, the warp's (packets may lag it a little, see pace.ts).
   */
  get timeMs(): number {
    const index = this.stepIndex;
    const step = this.steps[index];
    if (step && this.cursor.showMs === step.showMs && this.cursor.seq === step.seq) return stepClockMs(this.steps, index);
    return timeAtShow(this.panes[0]!.show, this.cursor.showMs);
  }

  get endShowMs(): number {
    return this.panes[0]!.endShowMs;
  }

  get stepIndex(): number {
    if (!this.merged) return this.panes[0]!.stepIndexAt(this.cursor);
    const ranks = this.mergedRanks!;
    return countDone(this.mergedShows!, (i) => ranks[i]!, this.cursor) - 1;
  }

  /** Every step; in compare mode every pane's steps, merged. */
  get steps(): readonly Step[] {
    return this.merged ?? this.panes[0]!.steps;
  }

  get atEnd(): boolean {
    return this.cursor.showMs >= this.endShowMs && this.stepIndex === this.steps.length - 1;
  }

  /** The world at the cursor in the first pane (cached until the cursor moves). */
  view(): View {
    return this.viewOf(0);
  }

  /** The world at the cursor in pane `i`. */
  viewOf(i: number): View {
    return (this.cached[i] ??= viewAt(this.panes[i]!, this.paneCursor(i)));
  }

  /** Service metrics at the cursor, in pane `i`. */
  metrics(i = 0): MetricsAt {
    return metricsAt(this.panes[i]!, this.paneCursor(i), this.timeMs);
  }

  private moveTo(cursor: Cursor): void {
    this.anchor = null;
    if (cursor.showMs === this.cursor.showMs && cursor.seq === this.cursor.seq) return;
    this.cursor = cursor;
    this.cached = this.panes.map(() => null);
  }

  /** Moves to show time `s`, with everything at `s` done. */
  seekShow(s: number): void {
    this.moveTo({ showMs: Math.min(Math.max(0, s), this.endShowMs), seq: END_SEQ });
  }

  /**
   * Moves to simulated time `t`: onto the last step at exactly `t` if there is one (everything
   * that happened then is shown, and the clock reads `t` — so a link written there reopens
   * there), else to the warp's moment for `t`; at or past the run's end, to the end of the show.
   */
  seekTime(t: number): void {
    const durationMs = Math.max(...this.panes.map((p) => p.trace.durationMs));
    if (t >= durationMs) return this.seekShow(this.endShowMs);
    const steps = this.steps;
    const warp = showAtTime(this.panes[0]!.show, t);
    // A step at exactly t (a shared link names the step it was paused on) — unless its packet
    // plays late behind its conversation's earlier ones: then what else happened by t is drawn
    // with it, and the warp's moment is the honest picture of t.
    // The step's clock must read t too (not a step shown after the clock passed it: stepClock.ts).
    for (let i = steps.length - 1; i >= 0; i--)
      if (steps[i]!.timeMs === t && steps[i]!.showMs <= warp + PACE.flightMinShowMs && stepClockMs(steps, i) === t) return this.seekStep(i);
    this.seekShow(warp);
  }

  /** Show time at which simulated time reaches `t`. */
  showAt(t: number): number {
    return showAtTime(this.panes[0]!.show, t);
  }

  /** Moves to step `i` (-1: before the first step). */
  seekStep(i: number): void {
    const steps = this.steps;
    const index = Math.min(Math.max(-1, i), steps.length - 1);
    const step = steps[index];
    this.moveTo(step ? { showMs: step.showMs, seq: step.seq } : { showMs: 0, seq: -1 });
  }

  /** Moves to the step of event `seq` in pane `pane` (for "show me" and divergence markers). */
  seekEvent(pane: number, seq: number): void {
    const rank = this.merged ? pane * PANE_STRIDE + seq : seq;
    const steps = this.steps;
    const i = steps.findIndex((s) => s.seq === rank);
    if (i >= 0) return this.seekStep(i);
    // Not a step (a request's start): go to its moment.
    const tl = this.panes[pane]!;
    this.moveTo({ showMs: tl.show.eventShow[seq] ?? 0, seq: rank });
  }

  /** Whether the cursor sits exactly on step `i` (not somewhere after it). */
  private onStep(i: number): boolean {
    const step = this.steps[i];
    if (!step) return this.cursor.showMs === 0 && this.cursor.seq === -1;
    return this.cursor.showMs === step.showMs && this.cursor.seq === step.seq;
  }

  /** Where playing stops by itself (breakpoints, checkpoints); replaces the previous ones. */
  setStops(stops: readonly Stop[]): void {
    this.stops = [...stops].sort(compareCursors);
  }

  /** The stop playing last halted at, once (null when none since the last call). */
  takeHit(): Stop | null {
    const hit = this.hitStop;
    this.hitStop = null;
    return hit;
  }

  /** The first stop after `from` and no later than `to` (of `kinds`). */
  private stopBetween(from: Cursor, to: Cursor, kinds: readonly Stop['kind'][]): Stop | null {
    for (const s of this.stops) {
      if (compareCursors(s, to) > 0) return null;
      if (compareCursors(from, s) < 0 && kinds.includes(s.kind)) return s;
    }
    return null;
  }

  /** Halts at `stop`: cursor there, paused, the hit remembered. */
  private halt(stop: Stop): void {
    this.moveTo({ showMs: stop.showMs, seq: stop.seq });
    this.pause();
    this.hitStop = stop;
  }

  /**
   * Next step. From between two steps, remembers where it was so that stepping back returns
   * there. A checkpoint on the way stops the step at the checkpoint.
   */
  stepForward(): void {
    this.pause();
    const i = this.stepIndex;
    const from = this.cursor;
    const next = this.steps[i + 1];
    const stop = next ? this.stopBetween(from, { showMs: next.showMs, seq: next.seq }, ['checkpoint']) : null;
    if (stop) return this.halt(stop);
    const anchor = this.anchor ?? (this.onStep(i) ? null : { from, index: i + 1 });
    this.seekStep(i + 1);
    this.anchor = anchor;
  }

  /** Previous step; back to where stepping forward began, or to the step just passed when between steps. */
  stepBack(): void {
    this.pause();
    const i = this.stepIndex;
    const anchor = this.anchor;
    if (anchor && anchor.index === i && this.onStep(i)) this.moveTo(anchor.from);
    else this.seekStep(this.onStep(i) ? i - 1 : i);
    if (anchor && anchor.index < i) this.anchor = anchor;
  }

  /** Back to the start, before the first step. */
  restart(): void {
    this.pause();
    this.seekStep(-1);
  }

  play(): void {
    if (this.atEnd) this.seekStep(-1);
    this.playing = true;
    this.dwellMs = 0;
  }

  pause(): void {
    this.playing = false;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    this.speed = Math.min(10, Math.max(0.1, speed));
  }

  /** Next speed in {@link SPEEDS} up (+1) or down (-1). */
  nudgeSpeed(direction: 1 | -1): void {
    const i = SPEEDS.findIndex((s) => s >= this.speed - 1e-9);
    const at = i === -1 ? SPEEDS.length - 1 : i;
    this.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, at + direction))]!);
  }

  /**
   * Plays `realMs` of real time; returns whether the cursor moved. Stops at the end, and at the
   * first breakpoint or checkpoint on the way (exactly there, whatever the frame rate).
   */
  advance(realMs: number): boolean {
    if (!this.playing) return false;
    const before = this.cursor;
    const all: Stop['kind'][] = ['breakpoint', 'checkpoint'];
    if (this.reducedMotion) {
      this.dwellMs += realMs * this.speed;
      while (this.playing && this.dwellMs >= STEP_DWELL_MS && this.stepIndex < this.steps.length - 1) {
        this.dwellMs -= STEP_DWELL_MS;
        const next = this.steps[this.stepIndex + 1]!;
        const stop = this.stopBetween(this.cursor, { showMs: next.showMs, seq: next.seq }, all);
        if (stop) this.halt(stop);
        else this.seekStep(this.stepIndex + 1);
      }
      if (!this.playing) return this.cursor !== before;
    } else {
      const target = { showMs: Math.min(this.cursor.showMs + realMs * this.speed, this.endShowMs), seq: END_SEQ };
      const stop = this.stopBetween(this.cursor, target, all);
      if (stop) {
        this.halt(stop);
        return this.cursor !== before;
      }
      this.seekShow(target.showMs);
    }
    const lastStepDone = this.reducedMotion && this.stepIndex >= this.steps.length - 1;
    if (lastStepDone || this.cursor.showMs >= this.endShowMs) {
      this.seekShow(this.endShowMs);
      this.pause();
    }
    return this.cursor !== before;
  }

  /** Replaces the trace(s) (another mesh, seed, knob or fault), keeping the simulated time. */
  replaceTrace(traces: Trace | readonly Trace[]): void {
    const t = this.timeMs;
    const atStart = this.cursor.seq === -1 && this.cursor.showMs === 0;
    this.panes = this.timelinesOf(traces);
    this.cursor = { showMs: -1, seq: -1 };
    this.anchor = null;
    this.stops = [];
    this.hitStop = null;
    if (atStart) this.seekStep(-1);
    else this.seekTime(t);
  }
}
