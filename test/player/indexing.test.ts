// The Player's index helpers against plain references: the step order's bucket sort and the pair numbering.
import { describe, expect, it } from 'vitest';
import { sortByShow } from '../../src/player/steps.ts';
import { PairTable } from '../../src/player/pairTable.ts';

/** A small deterministic generator (the tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

/** Steps 0…n-1 by (show, seq), the way a comparison sort orders them. */
function reference(shows: Float64Array): number[] {
  return [...shows.keys()].sort((a, b) => shows[a]! - shows[b]! || a - b);
}

function sorted(shows: Float64Array): number[] {
  const seqs = Int32Array.from(shows.keys());
  sortByShow(seqs, shows);
  return [...seqs];
}

describe('sortByShow', () => {
  it('orders steps by show time, then seq, like a comparison sort', () => {
    const next = lcg(7);
    // Mostly rising with lagging packets behind, many ties (whole milliseconds), a few far behind.
    const shows = Float64Array.from({ length: 5000 }, (_, i) => Math.round(i / 3 + (next() < 0.5 ? next() * 40 : 0) - (next() < 0.01 ? 500 : 0)));
    expect(sorted(shows)).toEqual(reference(shows));
  });

  it('keeps seq order among equal show times, and sorts a crowded bucket (more than 32 steps)', () => {
    const next = lcg(3);
    // 200 steps squeezed into a hair of show time (a fold) among 300 spread out, then all equal.
    const shows = Float64Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? next() * 1000 : 500 + next() * 1e-6));
    expect(sorted(shows)).toEqual(reference(shows));
    expect(sorted(new Float64Array(100).fill(42))).toEqual([...Array(100).keys()]);
  });

  it('orders by (show, seq) whatever order the steps come in (ties by seq, not by the order they came in)', () => {
    const next = lcg(19);
    const shows = Float64Array.from({ length: 4000 }, (_, i) => Math.round(i / 4 + (next() < 0.3 ? next() * 60 : 0)));
    // The steps shuffled, each equal show time's seqs among them out of order.
    const seqs = Int32Array.from(shows.keys());
    for (let i = seqs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [seqs[i], seqs[j]] = [seqs[j]!, seqs[i]!];
    }
    sortByShow(seqs, shows);
    expect([...seqs]).toEqual(reference(shows));
  });

  it('handles fractional show times and a single step', () => {
    const shows = Float64Array.from([3.25, 0.5, 3.25, 1e-9, 0, 2.75]);
    expect(sorted(shows)).toEqual([4, 3, 1, 5, 0, 2]);
    expect(sorted(Float64Array.of(5))).toEqual([0]);
  });
});

describe('PairTable', () => {
  it('numbers pairs from 0 in order of first appearance, the same number each time', () => {
    const next = lcg(11);
    const table = new PairTable(4, 4);
    const seen = new Map<string, number>();
    const got: number[] = [];
    const want: number[] = [];
    for (let k = 0; k < 20_000; k++) {
      // Heads past the table's first size, and nodes shared between heads.
      const head = Math.floor(next() * next() * 3000);
      const node = Math.floor(next() * 12);
      const key = `${head},${node}`;
      if (!seen.has(key)) seen.set(key, seen.size);
      got.push(table.slot(head, node));
      want.push(seen.get(key)!);
    }
    expect(got).toEqual(want);
    expect(table.size).toBe(seen.size);
  });
});
