/**
 * The player: one timeline, or one per pane in compare mode, and a cursor. Stepping, seeking, playing at any speed and
 * stepping back are cursor moves; the caller drives playback with {@link Player.advance} from its
 * own frame loop (the player reads no clock). Swapping the traces (a mesh switch, a knob, a fault)
 * keeps the simulated time.
 *
 * Compare mode holds 2–6 traces of one scenario under one playhead: their timelines share one
 * show-time warp, so one show time is one simulated time in all, and their steps merge into one
 * list. The cursor's `seq` is then a *rank* (`pane × PANE_STRIDE + seq`), which orders the steps
 * that share a moment: the first pane's first, then the second's, and so on.
 */
import type { Trace } from '../sim/index.ts';
import { showAtTime, timeAtShow } from './pace.ts';
import { lastStepBy, stepClockMs } from './stepClock.ts';
import { Timeline, countDone, type Cursor } from './timeline.ts';
import type { View } from './view.ts';
import { paneViewAt } from './paneView.ts';
import { metricsAt, type MetricsAt } from './metrics.ts';
import type { Step } from './steps.ts';
import { PANE_STRIDE, paneTimelines } from './mergeSteps.ts';
import { compareCursors, stopBetween, type Stop } from './stops.ts';
import { holdAt } from './paneHold.ts';

/** Speeds offered by the Speed control, slowest first. */
export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10] as const;

/** With reduced motion, playback shows one step per this much real time at ×1, without motion. */
export const STEP_DWELL_MS = 600;

const END_SEQ = Number.MAX_SAFE_INTEGER;

export class Player {
  private panes: Timeline[];
  private merged: Step[] | null = null;
  private mergedShows: Float64Array | null = null;
  private mergedRanks: Int32Array | null = null;
  private cursor: Cursor = { showMs: 0, seq: -1 };
  private cached: (View | null)[] = [];
  /** {@link stepIndex} and the cursor's own clock (null: not read yet) at a cursor (the object: a move makes a new one), for `panes`. */
  private indexAt: { cursor: Cursor | null; index: number; timeMs: number | null } = { cursor: null, index: -1, timeMs: null };
  private dwellMs = 0;
  /** What the clock reads after a seek to a time, until the cursor moves (null: the cursor's own). */
  private clockMs: number | null = null;
  /** Compare mode, after a jump to an event: panes held back from where the merged cursor has them (paneHold.ts), until it moves. */
  private held: (Cursor | null)[] = [];
  /** Where a run of forward steps began between two steps (the clock and held panes there), and the step it went to. */
  private anchor: { from: Cursor; clockMs: number | null; held: (Cursor | null)[]; index: number } | null = null;
  private stops: Stop[] = [];
  /** The stop that playing (or stepping onto a checkpoint) last halted at, until taken. */
  private hitStop: Stop | null = null;
  playing = false;
  /** Multiplies show time per real time; from 0.1 to 10. */
  speed = 1;
  private still = false;

  /** Play step by step with no motion (prefers-reduced-motion); between two steps the picture holds as on the last. */
  get reducedMotion(): boolean {
    return this.still;
  }

  set reducedMotion(on: boolean) {
    if (on !== this.still) this.cached = this.panes.map(() => null);
    this.still = on;
  }

  /** One trace, or one per pane (compare mode). */
  constructor(traces: Trace | readonly Trace[]) {
    this.panes = this.timelinesOf(traces);
  }

  private timelinesOf(traces: Trace | readonly Trace[]): Timeline[] {
    const list = Array.isArray(traces) ? (traces as readonly Trace[]) : [traces as Trace];
    this.cached = list.map(() => null);
    this.indexAt = { cursor: null, index: -1, timeMs: null };
    const { timelines, merged } = paneTimelines(list);
    this.merged = merged?.steps ?? null;
    this.mergedShows = merged?.shows ?? null;
    this.mergedRanks = merged?.ranks ?? null;
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
    const held = this.held[i];
    if (held) return held;
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
   * between steps, the warp's (packets may lag it a little, see pace.ts); after a seek to a
   * time, that time until the cursor moves.
   */
  get timeMs(): number {
    if (this.clockMs !== null) return this.clockMs;
    const index = this.stepIndex;
    const at = this.indexAt;
    if (at.timeMs === null) {
      const step = this.steps[index];
      const on = step && this.cursor.showMs === step.showMs && this.cursor.seq === step.seq;
      at.timeMs = on ? stepClockMs(this.steps, index) : timeAtShow(this.panes[0]!.show, this.cursor.showMs);
    }
    return at.timeMs;
  }

  get endShowMs(): number {
    return this.panes[0]!.endShowMs;
  }

  /** The step index at the cursor: searched for once per cursor (a frame reads it, and the clock, several times). */
  get stepIndex(): number {
    if (this.indexAt.cursor === this.cursor) return this.indexAt.index;
    const ranks = this.mergedRanks;
    const index = ranks ? countDone(this.mergedShows!, (i) => ranks[i]!, this.cursor) - 1 : this.panes[0]!.stepIndexAt(this.cursor);
    this.indexAt = { cursor: this.cursor, index, timeMs: null };
    return index;
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
    const cached = this.cached[i];
    if (cached) return cached;
    // One clock (a seek's or a jump's held time; in compare mode the merged steps', where a pane's
    // own view would read the warp on another pane's step); with reduced motion, held still between steps.
    return (this.cached[i] = paneViewAt(this.panes[i]!, this.paneCursor(i), this.timeMs, this.still));
  }

  /** Service metrics at the cursor, in pane `i`. */
  metrics(i = 0): MetricsAt {
    return metricsAt(this.panes[i]!, this.paneCursor(i), this.timeMs);
  }

  private moveTo(cursor: Cursor): void {
    this.anchor = null;
    if (this.clockMs !== null || this.held.length) {
      this.clockMs = null;
      this.held = [];
      this.cached = this.panes.map(() => null);
    }
    if (cursor.showMs === this.cursor.showMs && cursor.seq === this.cursor.seq) return;
    this.cursor = cursor;
    this.cached = this.panes.map(() => null);
  }

  /** Moves to show time `s`, with everything at `s` done. */
  seekShow(s: number): void {
    this.moveTo({ showMs: Math.min(Math.max(0, s), this.endShowMs), seq: END_SEQ });
  }

  /**
   * Moves to simulated time `t` (a link's `t=`, the scrubber, a re-run keeping the time): every
   * step whose clock has not passed `t` is done, none whose clock has, and the clock reads `t`.
   * Steps go in show order and some play behind their conversation (pace.ts, stepClock.ts), after
   * the warp's moment for `t` — authorization under Istio at 2.502 s, whose 403 of 2.501 s plays
   * late. So: the warp's moment for `t` when exactly those steps are done there; else onto the
   * last of them (the warp reaches `t` before it has played), with the clock reading `t` until
   * the cursor moves. A later `t` never lands earlier in the show. At or past the run's end, to
   * the end of the show.
   */
  seekTime(time: number): void {
    const t = Math.max(0, time);
    const durationMs = Math.max(...this.panes.map((p) => p.trace.durationMs));
    if (t >= durationMs) return this.seekShow(this.endShowMs);
    const steps = this.steps;
    const last = lastStepBy(steps, t);
    if (last >= 0 && stepClockMs(steps, last) === t) return this.seekStep(last);
    this.seekShow(this.showAt(t));
    if (this.stepIndex !== last) this.seekStep(last);
    if (this.timeMs !== t) this.setClock(t);
  }

  /** Reads the clock as `t` at the cursor (null: the cursor's own), panes `held` (see {@link seekEvent}), until it moves. */
  private setClock(t: number | null, held: (Cursor | null)[] = []): void {
    this.clockMs = t;
    this.held = held;
    this.cached = this.panes.map(() => null);
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

  /**
   * Moves to the step of event `seq` in pane `pane` ("show me", a difference's "Go there", the
   * divergence key), the clock reading the event's own time until the cursor moves — not the
   * later time the steps before it reached when it plays behind its conversation; the other panes
   * held no later than that time (ambient-authz-fail-closed's first difference, 6 ms, shows after Istio's 27 ms: paneHold.ts).
   */
  seekEvent(pane: number, seq: number): void {
    const rank = this.merged ? pane * PANE_STRIDE + seq : seq;
    const steps = this.steps;
    const i = steps.findIndex((s) => s.seq === rank);
    const tl = this.panes[pane]!;
    if (i >= 0) this.seekStep(i);
    // Not a step (a request's start): go to its moment.
    else this.moveTo({ showMs: tl.show.eventShow[seq] ?? 0, seq: rank });
    const own = tl.trace.events[seq]?.t;
    if (own === undefined) return;
    // The other panes no later than that time either, not where the merged order has them (paneHold.ts).
    const held = this.merged ? holdAt(this.panes, (p) => this.paneCursor(p), own, pane) : [];
    if (this.timeMs !== own || held.length) this.setClock(own, held);
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
    const stop = next ? stopBetween(this.stops, from, { showMs: next.showMs, seq: next.seq }, ['checkpoint']) : null;
    if (stop) return this.halt(stop);
    const anchor =
      this.anchor ?? (this.onStep(i) && this.clockMs === null && !this.held.length ? null : { from, clockMs: this.clockMs, held: this.held, index: i + 1 });
    this.seekStep(i + 1);
    this.anchor = anchor;
  }

  /** Previous step; back to where stepping forward began, or to the step just passed when between steps. */
  stepBack(): void {
    this.pause();
    const i = this.stepIndex;
    const anchor = this.anchor;
    if (anchor && anchor.index === i && this.onStep(i)) {
      this.moveTo(anchor.from);
      if (anchor.clockMs !== null || anchor.held.length) this.setClock(anchor.clockMs, anchor.held);
    } else this.seekStep(this.onStep(i) ? i - 1 : i);
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
        const stop = stopBetween(this.stops, this.cursor, { showMs: next.showMs, seq: next.seq }, all);
        if (stop) this.halt(stop);
        else this.seekStep(this.stepIndex + 1);
      }
      if (!this.playing) return this.cursor !== before;
    } else {
      const target = { showMs: Math.min(this.cursor.showMs + realMs * this.speed, this.endShowMs), seq: END_SEQ };
      const stop = stopBetween(this.stops, this.cursor, target, all);
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
    this.clockMs = null;
    this.held = [];
    this.anchor = null;
    this.stops = [];
    this.hitStop = null;
    if (atStart) this.seekStep(-1);
    else this.seekTime(t);
  }
}
