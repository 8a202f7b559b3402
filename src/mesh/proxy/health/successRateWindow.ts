/**
 * The success-rate window of Linkerd's `unified` failure accrual (FIDELITY C3, Linkerd 2.20):
 * ten buckets of a tenth of the window each (at least 1 ms: a window is at least 10 ms), rolled by
 * whole buckets as time passes, so answers older than the window drop out on their own and an idle
 * endpoint starts cold again. Source: linkerd2-proxy linkerd/app/outbound/src/http/breaker/success_rate.rs
 * (`BUCKETS = 10`, `MIN_BUCKET_WIDTH = 1ms`, `roll`, `should_trip`).
 */
const BUCKETS = 10;

export class SuccessRateWindow {
  private readonly successes = new Uint32Array(BUCKETS);
  private readonly totals = new Uint32Array(BUCKETS);
  private readonly bucketMs: number;
  private current = 0;
  private lastRollMs: number;

  constructor(windowMs: number, nowMs: number) {
    this.bucketMs = Math.max(windowMs, BUCKETS) / BUCKETS;
    this.lastRollMs = nowMs;
  }

  private roll(nowMs: number): void {
    const steps = Math.floor((nowMs - this.lastRollMs) / this.bucketMs);
    if (steps <= 0) return;
    for (let i = 1; i <= Math.min(steps, BUCKETS); i++) {
      const idx = (this.current + i) % BUCKETS;
      this.successes[idx] = 0;
      this.totals[idx] = 0;
    }
    this.current = (this.current + steps) % BUCKETS;
    this.lastRollMs += steps * this.bucketMs;
  }

  /** Counts one answer at `nowMs`. */
  record(success: boolean, nowMs: number): void {
    this.roll(nowMs);
    this.totals[this.current]! += 1;
    if (success) this.successes[this.current]! += 1;
  }

  /** Successes and answers in the window as of the last record. */
  counts(): { successes: number; total: number } {
    let successes = 0;
    let total = 0;
    for (let i = 0; i < BUCKETS; i++) {
      successes += this.successes[i]!;
      total += this.totals[i]!;
    }
    return { successes, total };
  }

  /** Trips once at least `minRequests` answers are in the window and their success ratio is below `threshold`. */
  shouldTrip(minRequests: number, threshold: number): boolean {
    const { successes, total } = this.counts();
    return total > 0 && total >= minRequests && successes / total < threshold;
  }

  /** Empties the window (after recovery the endpoint starts cold). */
  reset(nowMs: number): void {
    this.successes.fill(0);
    this.totals.fill(0);
    this.current = 0;
    this.lastRollMs = nowMs;
  }
}
