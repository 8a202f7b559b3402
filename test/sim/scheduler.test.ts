import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/sim/scheduler.ts';

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
});
