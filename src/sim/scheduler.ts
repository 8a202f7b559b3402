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

/**
 * Tasks due this far ahead of the clock when scheduled or further wait in a heap of their own
 * ({@link Scheduler}'s `far`): a certificate's renewal hours away, one per proxy. In the one heap
 * every pop moved its last entry — most often such a timer — to the top and sifted it down past
 * all the others, and every near task pushed climbed past them: at 30 replicas per service 1,200
 * renewals sat under the ~30 tasks in flight, ten levels instead of seven.
 */
export const FAR_MS = 60_000;

/**
 * A binary heap of tasks ordered by (time, seq), in parallel arrays: free of per-entry objects,
 * the hot loop allocates nothing but the task closure the caller already made.
 */
class TaskHeap {
  readonly times: number[] = [];
  readonly seqs: number[] = [];
  readonly tasks: Task[] = [];

  push(t: number, seq: number, task: Task): void {
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

  pop(): Task {
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

export class Scheduler {
  /** Current virtual time in whole milliseconds. */
  now = 0;
  /** Number of tasks run so far (the benchmark's "engine events"); cancelled ones never count. */
  processed = 0;

  /** Tasks due within {@link FAR_MS} of the clock when scheduled. */
  private readonly near = new TaskHeap();
  /** Tasks due further ahead; the next task is whichever heap's top comes first. */
  private readonly far = new TaskHeap();
  private nextSeq = 0;
  /**
   * Seqs of cancelled tasks. Cancellation is lazy: the entry stays in its heap and is dropped
   * when it reaches the top. A seq that is not in a heap (its task already ran) may get in here
   * too; {@link cancel} purges such strays once they outnumber the heaps, so they cost amortized O(1).
   */
  private cancelled = new Set<number>();

  /** Runs `task` at virtual time `atMs` (rounded to a whole millisecond, never in the past). */
  at(atMs: number, task: Task): TimerId {
    const t = Math.max(this.now, Math.round(atMs));
    const seq = this.nextSeq++;
    (t - this.now >= FAR_MS ? this.far : this.near).push(t, seq, task);
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
    // Only strays (tasks that had already run) can make the set outgrow the heaps; drop them.
    if (cancelled.size > 2 * (this.near.seqs.length + this.far.seqs.length) + 64) {
      const live = new Set<number>();
      for (const heap of [this.near, this.far]) for (const seq of heap.seqs) if (cancelled.has(seq)) live.add(seq);
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
    const near = this.near;
    const far = this.far;
    for (;;) {
      // The heap whose top comes first, by time, then seq.
      let heap = near;
      if (near.times.length === 0) {
        if (far.times.length === 0) break;
        heap = far;
      } else if (far.times.length > 0) {
        const ft = far.times[0]!;
        const nt = near.times[0]!;
        if (ft < nt || (ft === nt && far.seqs[0]! < near.seqs[0]!)) heap = far;
      }
      const t = heap.times[0]!;
      if (t > untilMs) break;
      const cancelled = this.cancelled.size > 0 && this.cancelled.delete(heap.seqs[0]!);
      const task = heap.pop();
      if (cancelled) continue;
      this.now = t;
      this.processed++;
      task();
    }
    if (untilMs > this.now && Number.isFinite(untilMs)) this.now = untilMs;
  }
}
