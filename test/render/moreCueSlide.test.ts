/** Where a "more" tab goes along its edge (render/moreSlide.ts): the middle when free, else the nearest free spot, else the least covered. */
import { describe, expect, it } from 'vitest';
import { GAP, slide } from '../../src/render/moreSlide.ts';

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

  it('gives up its 2 px of room from the lines above and below rather than slide a long way', () => {
    // ingress-gateway's Istio pane in compare, its right edge (17 px tab, 400 px): a title ends at
    // 133, the next starts at 152, the lines go on below the middle; above 95 is free. Keeping 2 px
    // each side, the gap is too small and the tab went to 75, 117 px from the middle.
    const words = [
      { from: 97, to: 110, depth: 5 },
      { from: 114, to: 133, depth: 54 },
      { from: 152, to: 170, depth: 54 },
      { from: 176, to: 192, depth: 25 },
      { from: 202, to: 219, depth: 54 },
      { from: 229, to: 247, depth: 54 },
      { from: 253, to: 270, depth: 25 },
      { from: 279, to: 296, depth: 54 },
      { from: 310, to: 330, depth: 54 },
      { from: 349, to: 364, depth: 54 },
      { from: 372, to: 388, depth: 25 },
      { from: 397, to: 400, depth: 54 },
    ];
    const at = slide(400, 17, words);
    expect(covered(at, 17, words)).toBe(0);
    expect(at).toBeGreaterThanOrEqual(133);
    expect(at + 17).toBeLessThanOrEqual(152);
    // With room to keep, it keeps it: a gap of 21 takes the tab 2 px from each side.
    expect(slide(400, 17, [...words.slice(0, 2), { from: 154, to: 400, depth: 54 }])).toBe(135);
  });

  it('keeps 6 px from words on its own line (a tab on the top or bottom edge) unless that costs a long slide', () => {
    // A title ends at 240 along the bottom edge, the middle is at 207.
    const title = [{ from: 120, to: 240, depth: 13 }];
    expect(slide(469, 54, title, GAP.words)).toBe(246);
    expect(slide(469, 54, title, GAP.lines)).toBe(242);
  });

  it('sits at the middle of an edge shorter than itself', () => {
    expect(slide(40, 54, [])).toBe(0);
  });

  it('of the spots covering no words, takes one off the boxes: beside the box nearest the middle, not on its edge', () => {
    // As in ambient-waypoint-l7's ambient pane, its right edge (17 px tab): "node proxy ↓" (180–196)
    // in its dashed box (172–212), "ready" below (222–236); the middle (203) is free of words but on the box.
    const words = [
      { from: 180, to: 196, depth: 40 },
      { from: 222, to: 236, depth: 30 },
    ];
    const boxes = [{ from: 172, to: 212, depth: 54 }];
    expect(covered(slide(423, 17, words), 17, boxes)).toBeGreaterThan(0);
    const at = slide(423, 17, words, GAP.lines, boxes);
    expect(covered(at, 17, words)).toBe(0);
    expect(covered(at, 17, boxes)).toBe(0);
    // The nearest such spot: under "ready", 2 px off it (above the box, at 155, is further).
    expect(at).toBe(238);
    // Where every spot free of words is on a box, the words still come first.
    expect(covered(slide(423, 17, words, GAP.lines, [{ from: 0, to: 423, depth: 54 }]), 17, words)).toBe(0);
  });
});
