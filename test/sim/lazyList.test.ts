import { describe, expect, it } from 'vitest';
import { lazyList } from '../../src/sim/lazyList.ts';

describe('lazyList', () => {
  it('keeps no slot per element: two lists of 10 million grow the heap by well under 1 MB (a slot each would be 160 MB)', () => {
    const before = process.memoryUsage().heapUsed;
    const lists = [lazyList(10_000_000, (i) => i), lazyList(10_000_000, (i) => -i)];
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(1_000_000);
    expect(lists[0]![9_999_999]).toBe(9_999_999);
    expect(lists[1]!.length).toBe(10_000_000);
  });

  it('has its length as an array has it, and no own keys but its indexes and length', () => {
    const list = lazyList(3, (i) => i * 2);
    expect(Object.getOwnPropertyDescriptor(list, 'length')).toEqual({ value: 3, writable: true, enumerable: false, configurable: false });
    expect(Reflect.ownKeys(list)).toEqual(['0', '1', '2', 'length']);
    expect(0 in list).toBe(true);
    expect(Array.from(list)).toEqual([0, 2, 4]);
    expect(lazyList(0, () => 1)).toEqual([]);
  });
});
