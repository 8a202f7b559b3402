/**
 * The engine's clock: a discrete-event scheduler in integer virtual milliseconds.
 *
 * Events run in time order; events due at the same millisecond run in the order they were
 * scheduled (insertion order), which is what makes a run reproducible. The scheduler also
 * implements xstate v5's `Clock` interface, so `after:` delays in machines become simulated
 * events instead of real timers.
 */

/** A scheduled callback. */
export type Task = () => void;

/** Handle returned by {@link Scheduler.at}; pass it to {@link Scheduler.cancel}. */
export type TimerId = number;

// Parallel arrays keep the heap free of per-entry objects: the hot loop allocates nothing but the
// task closure the caller already made.
export class Scheduler {
  /** Current virtual time in whole milliseconds. */
  now = 0;
  /** Number of tasks run so far (the benchmark's "engine events"); cancelled ones never count. */
  processed = 0;

  private times: number[] = [];
  private seqs: number[] = [];
  private tasks: Task[] = [];
  private nextSeq = 0;
  /**
   * Seqs of cancelled tasks. Cancellation is lazy: the entry stays in the heap and is dropped
   * when it reaches the top. A seq that is not in the heap (its task already ran) may get in here
   * too; {@link cancel} purges such strays once they outnumber the heap, so they cost amortized O(1).
   */
  private cancelled = new Set<number>();

  /** Runs `task` at virtual time `atMs` (rounded to a whole millisecond, never in the past). */
  at(atMs: number, task: Task): TimerId {
    const t = Math.max(this.now, Math.round(atMs));
    const seq = this.nextSeq++;
    this.push(t, seq, task);
    return seq;
  }

  /** Runs `task` after `delayMs` virtual milliseconds. */
  after(delayMs: number, task: Task): TimerId {
    return this.at(this.now + delayMs, task);
  }

  /** Cancels a scheduled task in O(1); cancelling one that already ran is a no-op. */
  cancel(id: TimerId): void {
    if (id >= this.nextSeq) return;
    const cancelled = this.cancelled;
    cancelled.add(id);
    // Only strays (tasks that had already run) can make the set outgrow the heap; drop them.
    if (cancelled.size > 2 * this.seqs.length + 64) {
      const live = new Set<number>();
      for (const seq of this.seqs) if (cancelled.has(seq)) live.add(seq);
      this.cancelled = live;
    }
  }

  /** xstate `Clock.setTimeout`: the machine's delay becomes a scheduled task. */
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): TimerId {
    return this.after(timeoutMs, fn as Task);
  }

  /** xstate `Clock.clearTimeout`. */
  clearTimeout(id: TimerId): void {
    this.cancel(id);
  }

  /**
   * Runs every task due at or before `untilMs`, in order, then leaves the clock at `untilMs`.
   * Tasks may schedule further tasks; those run too if they are due in time.
   */
  runUntil(untilMs: number): void {
    const times = this.times;
    for (;;) {
      if (times.length === 0) break;
      const t = times[0]!;
      if (t > untilMs) break;
      const cancelled = this.cancelled.size > 0 && this.cancelled.delete(this.seqs[0]!);
      const task = this.pop();
      if (cancelled) continue;
      this.now = t;
      this.processed++;
      task();
    }
    if (untilMs > this.now && Number.isFinite(untilMs)) this.now = untilMs;
  }

  private push(t: number, seq: number, task: Task): void {
    const times = this.times;
    const seqs = this.seqs;
    const tasks = this.tasks;
    let i = times.length;
    times.push(t);
    seqs.push(seq);
    tasks.push(task);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < t || (pt === t && seqs[p]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      tasks[i] = tasks[p]!;
      i = p;
    }
    times[i] = t;
    seqs[i] = seq;
    tasks[i] = task;
  }

  private pop(): Task {
    const times = this.times;
    const seqs = this.seqs;
    const tasks = this.tasks;
    const top = tasks[0]!;
    const lastT = times.pop()!;
    const lastS = seqs.pop()!;
    const lastTask = tasks.pop()!;
    const n = times.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (times[r]! < times[l]! || (times[r] === times[l] && seqs[r]! < seqs[l]!))) c = r;
      const ct = times[c]!;
      if (lastT < ct || (lastT === ct && lastS < seqs[c]!)) break;
      times[i] = ct;
      seqs[i] = seqs[c]!;
      tasks[i] = tasks[c]!;
      i = c;
    }
    times[i] = lastT;
    seqs[i] = lastS;
    tasks[i] = lastTask;
    return top;
  }
}
