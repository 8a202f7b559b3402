/**
 * The player: a timeline and a cursor. Stepping, seeking, playing at any speed and stepping back
 * are cursor moves; the caller drives playback with {@link Player.advance} from its own frame
 * loop (the player reads no clock). Swapping the trace (a mesh switch) keeps the simulated time.
 */
import type { Trace } from '../sim/index.ts';
import { showAtTime, timeAtShow } from './pace.ts';
import { Timeline, type Cursor } from './timeline.ts';
import { viewAt, type View } from './view.ts';
import { metricsAt, type MetricsAt } from './metrics.ts';
import type { Step } from './steps.ts';

/** Speeds offered by the Speed control, slowest first. */
export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10] as const;

/** With reduced motion, playback shows one step per this much real time at ×1, without motion. */
export const STEP_DWELL_MS = 600;

const END_SEQ = Number.MAX_SAFE_INTEGER;

export class Player {
  private tl: Timeline;
  private cursor: Cursor = { showMs: 0, seq: -1 };
  private cached: View | null = null;
  private dwellMs = 0;
  /** Where a run of forward steps began between two steps, and the step it went to. */
  private anchor: { from: Cursor; index: number } | null = null;
  playing = false;
  /** Multiplies show time per real time; from 0.1 to 10. */
  speed = 1;
  /** Play step by step with no motion (prefers-reduced-motion). */
  reducedMotion = false;

  constructor(trace: Trace) {
    this.tl = new Timeline(trace);
  }

  get timeline(): Timeline {
    return this.tl;
  }

  get trace(): Trace {
    return this.tl.trace;
  }

  /** Where the cursor is (show time and the last `seq` done there). */
  get position(): Cursor {
    return this.cursor;
  }

  /** Simulated time at the cursor. */
  get timeMs(): number {
    return timeAtShow(this.tl.show, this.cursor.showMs);
  }

  get stepIndex(): number {
    return this.tl.stepIndexAt(this.cursor);
  }

  get steps(): readonly Step[] {
    return this.tl.steps;
  }

  get atEnd(): boolean {
    return this.cursor.showMs >= this.tl.endShowMs && this.stepIndex === this.tl.steps.length - 1;
  }

  /** The world at the cursor (cached until the cursor moves). */
  view(): View {
    this.cached ??= viewAt(this.tl, this.cursor);
    return this.cached;
  }

  /** Service metrics at the cursor. */
  metrics(): MetricsAt {
    return metricsAt(this.tl, this.cursor, this.timeMs);
  }

  private moveTo(cursor: Cursor): void {
    this.anchor = null;
    if (cursor.showMs === this.cursor.showMs && cursor.seq === this.cursor.seq) return;
    this.cursor = cursor;
    this.cached = null;
  }

  /** Moves to show time `s`, with everything at `s` done. */
  seekShow(s: number): void {
    this.moveTo({ showMs: Math.min(Math.max(0, s), this.tl.endShowMs), seq: END_SEQ });
  }

  /** Moves to the moment simulated time reaches `t`. */
  seekTime(t: number): void {
    this.seekShow(showAtTime(this.tl.show, t));
  }

  /** Moves to step `i` (-1: before the first step). */
  seekStep(i: number): void {
    const steps = this.tl.steps;
    const index = Math.min(Math.max(-1, i), steps.length - 1);
    const step = steps[index];
    this.moveTo(step ? { showMs: step.showMs, seq: step.seq } : { showMs: 0, seq: -1 });
  }

  /** Whether the cursor sits exactly on step `i` (not somewhere after it). */
  private onStep(i: number): boolean {
    const step = this.tl.steps[i];
    if (!step) return this.cursor.showMs === 0 && this.cursor.seq === -1;
    return this.cursor.showMs === step.showMs && this.cursor.seq === step.seq;
  }

  /** Next step. From between two steps, remembers where it was so that stepping back returns there. */
  stepForward(): void {
    this.pause();
    const i = this.stepIndex;
    const from = this.cursor;
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

  /** Plays `realMs` of real time; returns whether the cursor moved. Stops at the end. */
  advance(realMs: number): boolean {
    if (!this.playing) return false;
    const before = this.cursor;
    if (this.reducedMotion) {
      this.dwellMs += realMs * this.speed;
      while (this.dwellMs >= STEP_DWELL_MS && this.stepIndex < this.tl.steps.length - 1) {
        this.dwellMs -= STEP_DWELL_MS;
        this.seekStep(this.stepIndex + 1);
      }
    } else {
      this.seekShow(this.cursor.showMs + realMs * this.speed);
    }
    const lastStepDone = this.reducedMotion && this.stepIndex >= this.tl.steps.length - 1;
    if (lastStepDone || this.cursor.showMs >= this.tl.endShowMs) {
      this.seekShow(this.tl.endShowMs);
      this.pause();
    }
    return this.cursor !== before;
  }

  /** Replaces the trace (another mesh, another seed), keeping the simulated time. */
  replaceTrace(trace: Trace): void {
    const t = this.timeMs;
    const atStart = this.cursor.seq === -1 && this.cursor.showMs === 0;
    this.tl = new Timeline(trace);
    this.cached = null;
    this.cursor = { showMs: -1, seq: -1 };
    if (atStart) this.seekStep(-1);
    else this.seekTime(t);
  }
}
