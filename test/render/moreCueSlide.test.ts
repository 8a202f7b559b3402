/** Where a "more" tab goes along its edge (render/moreSlide.ts): the middle when free, else the nearest free spot, else the least covered. */
import { describe, expect, it } from 'vitest';
import { slide } from '../../src/render/moreSlide.ts';

/** How much of the tab at `at` (`size` long) `words` cover, as slide() counts it (without its gap). */
const covered = (at: number, size: number, words: { from: number; to: number; depth: number }[]): number =>
  words.reduce((c, w) => c + Math.max(0, Math.min(at + size, w.to) - Math.max(at, w.from)) * w.depth, 0);

describe('slide', () => {
  it('keeps the middle when no word is there', () => {
    expect(slide(400, 54, [{ from: 10, to: 60, depth: 17 }])).toBe(173);
  });

  it('goes to the nearest side of a word at the middle, covering nothing', () => {
    // A word from 180 to 220: above it the tab would start at 124, below at 222 (2 px apart from it).
    expect(slide(400, 54, [{ from: 180, to: 220, depth: 13 }])).toBe(124);
    expect(slide(400, 54, [{ from: 160, to: 200, depth: 13 }])).toBe(202);
  });

  it('takes the gap between words that fits it, and stays inside the edge', () => {
    const words = [
      { from: 0, to: 100, depth: 13 },
      { from: 130, to: 300, depth: 13 },
      { from: 320, to: 400, depth: 13 },
    ];
    // Only 100–130 is free, too small for 54: the spot covering least.
    const at = slide(400, 54, words);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThanOrEqual(346);
    for (let other = 0; other <= 346; other++) expect(covered(at, 54, words)).toBeLessThanOrEqual(covered(other, 54, words) + 4 * 13);
    // With room at the far end, it goes there.
    expect(covered(slide(500, 54, words), 54, words)).toBe(0);
    expect(slide(500, 54, words)).toBe(402);
  });

  it('sits at the middle of an edge shorter than itself', () => {
    expect(slide(40, 54, [])).toBe(0);
  });
});
