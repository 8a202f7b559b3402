import { describe, expect, it } from 'vitest';
import { FAR_MS, Scheduler } from '../../src/sim/scheduler.ts';

describe('Scheduler', () => {
  it('runs tasks in time order, ties in insertion order', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.at(5, () => seen.push('b5'));
    s.at(1, () => seen.push('a1'));
    s.at(5, () => seen.push('c5'));
    s.at(3, () => seen.push('x3'));
    s.runUntil(10);
    expect(seen).toEqual(['a1', 'x3', 'b5', 'c5']);
    expect(s.now).toBe(10);
  });

  it('rounds times to whole milliseconds and never schedules in the past', () => {
    const s = new Scheduler();
    const at: number[] = [];
    s.at(2.6, () => at.push(s.now));
    s.runUntil(2);
    s.at(0, () => at.push(s.now));
    s.runUntil(5);
    expect(at).toEqual([2, 3]);
  });

  it('skips cancelled tasks and serves as an xstate clock', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    const id = s.setTimeout(() => seen.push(1), 10);
    s.setTimeout(() => seen.push(2), 20);
    s.clearTimeout(id);
    s.runUntil(100);
    expect(seen).toEqual([2]);
    expect(s.processed).toBe(1);
  });

  it('runs tasks scheduled by tasks when they fall due', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.at(1, () => s.after(2, () => seen.push(s.now)));
    s.runUntil(2);
    expect(seen).toEqual([]);
    s.runUntil(3);
    expect(seen).toEqual([3]);
  });
  it('never runs cancelled tasks, keeps time-then-insertion order for the rest, and counts only what ran', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    /** Tasks that must run, as [time, label]; listed in scheduling order. */
    const live: [number, number][] = [];
    // A fixed pseudo-random pattern: many ties, about a third cancelled up front.
    let x = 7;
    const next = (): number => (x = (x * 1103515245 + 12345) & 0x7fffffff);
    const ids: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = next() % 40;
      ids.push(s.at(t, () => seen.push(i)));
      if (next() % 3 === 0) s.cancel(ids[i]!);
      else live.push([t, i]);
    }
    // Cancelling twice, or an id never handed out, changes nothing.
    s.cancel(ids[0]!);
    s.cancel(10_000);
    // A running task cancels one due at the next millisecond; the task tied with it still runs.
    const victim = s.at(45, () => seen.push(-1));
    s.at(45, () => seen.push(-2));
    live.push([45, -2]);
    s.at(44, () => {
      seen.push(-3);
      s.cancel(victim);
    });
    live.push([44, -3]);
    s.runUntil(100);
    // A stable sort by time keeps scheduling order among ties.
    const order = [...live].sort((p, q) => p[0] - q[0]).map(([, label]) => label);
    expect(seen).toEqual(order);
    expect(s.processed).toBe(order.length);
  });

  it('cancelling tasks that already ran is a no-op, however many', () => {
    const s = new Scheduler();
    const ran: number[] = [];
    const old = Array.from({ length: 1000 }, (_, i) => s.at(i % 7, () => ran.push(i)));
    s.runUntil(10);
    for (const id of old) s.cancel(id);
    const seen: string[] = [];
    s.at(20, () => seen.push('a'));
    const b = s.at(20, () => seen.push('b'));
    s.at(20, () => seen.push('c'));
    s.cancel(b);
    s.runUntil(30);
    expect(ran).toHaveLength(1000);
    expect(seen).toEqual(['a', 'c']);
    expect(s.processed).toBe(1002);
  });

  describe(`tasks due ${FAR_MS} ms ahead or more (a heap of their own)`, () => {
    it('run in time order among the near ones, and before a near one due at the same time that was scheduled after them', () => {
      const s = new Scheduler();
      const seen: string[] = [];
      s.at(FAR_MS, () => seen.push('far at FAR_MS'));
      s.at(FAR_MS + 40_000, () => seen.push('far at +40 s'));
      s.at(10, () => seen.push('near at 10'));
      s.runUntil(30_000);
      // Now within FAR_MS of both: near tasks at the same times, scheduled later, run after them.
      s.at(FAR_MS, () => seen.push('near at FAR_MS'));
      s.at(FAR_MS + 40_000, () => seen.push('near at +40 s'));
      s.at(FAR_MS + 20_000, () => seen.push('near at +20 s'));
      s.runUntil(200_000);
      expect(seen).toEqual(['near at 10', 'far at FAR_MS', 'near at FAR_MS', 'near at +20 s', 'far at +40 s', 'near at +40 s']);
      expect(s.processed).toBe(6);
    });

    it('keep time-then-insertion order, cancelled or not, over delays on both sides of the line', () => {
      const s = new Scheduler();
      const seen: number[] = [];
      const live: [number, number][] = [];
      let x = 11;
      const next = (): number => (x = (x * 1103515245 + 12345) & 0x7fffffff);
      // Tasks scheduled at three moments of the clock, each a near or a far delay, ties on purpose.
      for (const at of [0, 25_000, 61_000]) {
        s.runUntil(at);
        for (let i = 0; i < 300; i++) {
          const label = at + i;
          const t = at + (next() % 2 === 0 ? next() % 50 : FAR_MS - 5 + (next() % 10) * 1_000);
          const id = s.at(t, () => seen.push(label));
          if (next() % 4 === 0) s.cancel(id);
          else live.push([t, label]);
        }
      }
      s.runUntil(1_000_000);
      // A stable sort by time keeps scheduling order among ties (the labels grow with it).
      const order = [...live].sort((p, q) => p[0] - q[0]).map(([, label]) => label);
      expect(seen).toEqual(order);
      expect(s.processed).toBe(order.length);
    });

    it('stay cancelled when the cancelled set is purged of tasks that already ran', () => {
      const s = new Scheduler();
      const seen: string[] = [];
      const far = s.at(FAR_MS * 2, () => seen.push('cancelled far task'));
      s.at(FAR_MS * 2, () => seen.push('far task'));
      s.cancel(far);
      const ran = Array.from({ length: 500 }, (_, i) => s.at(i % 5, () => undefined));
      s.runUntil(10);
      // Strays enough to purge the set: the far task's cancellation must survive it.
      for (const id of ran) s.cancel(id);
      s.runUntil(FAR_MS * 3);
      expect(seen).toEqual(['far task']);
      expect(s.processed).toBe(501);
    });
  });
});
