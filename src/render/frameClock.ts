/**
 * How much real time each animation frame plays (MeshView.onFrame). A frame normally plays the
 * time since the one before, so that ×10 plays ten times as fast as ×1 whatever the frame rate —
 * software WebGL draws 2–4 frames a second, and a fixed 250 ms cap made ×10 play at ×5–×7.5
 * there. Only a stall far longer than the frames around it (a hidden tab, a long task) is cut,
 * to {@link STALL_FRAMES} typical frames and at most {@link MAX_FRAME_MS}, so playback does not
 * leap ahead after it.
 */

/** A frame longer than this many typical frames is a stall. */
export const STALL_FRAMES = 4;
/** A frame never plays less than this, however fast the frames before it were. */
export const MIN_CAP_MS = 250;
/** Nor more than this: slower frames than 1 a second are stalls, not a frame rate. */
export const MAX_FRAME_MS = 1000;
/** How many recent frames tell the typical frame time (their median). */
const RECENT = 9;

export class FrameClock {
  private last: number | null = null;
  private readonly recent: number[] = [];

  /** The real time the frame at `now` (ms, as requestAnimationFrame gives it) plays: 0 for the first. */
  tick(now: number): number {
    const last = this.last;
    this.last = now;
    if (last === null) return 0;
    const delta = Math.max(0, now - last);
    const cap = Math.min(MAX_FRAME_MS, Math.max(MIN_CAP_MS, STALL_FRAMES * this.typical()));
    this.recent.push(Math.min(delta, MAX_FRAME_MS));
    if (this.recent.length > RECENT) this.recent.shift();
    return Math.min(delta, cap);
  }

  /** The median of the recent frames (0 before any). */
  private typical(): number {
    if (this.recent.length === 0) return 0;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  }
}
