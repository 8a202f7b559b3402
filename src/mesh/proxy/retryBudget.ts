/** Sliding-window retry budget (Linkerd ServiceProfile retryBudget, FIDELITY B3). */
import type { RetryBudget } from '../config.ts';

/** Requests and retries a proxy sent to one service, within the budget's time span. */
export class RetryBudgetState {
  private requests: number[] = [];
  private retries: number[] = [];

  deposit(nowMs: number, ttlMs: number): void {
    this.requests.push(nowMs);
    this.trim(nowMs, ttlMs);
  }

  /** Takes one retry from the budget if there is room. */
  withdraw(nowMs: number, b: RetryBudget): boolean {
    this.trim(nowMs, b.ttlMs);
    const allowed = b.minPerSec * (b.ttlMs / 1000) + b.ratio * this.requests.length;
    if (this.retries.length >= allowed) return false;
    this.retries.push(nowMs);
    return true;
  }

  private trim(nowMs: number, ttlMs: number): void {
    const from = nowMs - ttlMs;
    while (this.requests.length > 0 && this.requests[0]! <= from) this.requests.shift();
    while (this.retries.length > 0 && this.retries[0]! <= from) this.retries.shift();
  }
}
