/**
 * Where a packet's caption (and a link's tag) goes: beside its point, off the picture's own
 * writing — above first, then below, right, left, two rows above, two rows below; when every
 * spot covers something, the one covering least.
 */
import { describe, expect, it } from 'vitest';
import { labelSpot } from '../../src/render/labelSpots.ts';

// A 40 × 10 label at (100, 100), 9 px from the point.
const spot = (obstacles: { x: number; y: number; w: number; h: number }[]): { x: number; y: number } => labelSpot(obstacles, 100, 100, 40, 10);
const ABOVE = { x: 80, y: 81 };
const BELOW = { x: 80, y: 109 };
const RIGHT = { x: 109, y: 95 };
const LEFT = { x: 51, y: 95 };
const TWO_ABOVE = { x: 80, y: 71 };
const TWO_BELOW = { x: 80, y: 119 };

describe('labelSpot', () => {
  it('puts a label above its point when nothing is written there', () => {
    expect(spot([])).toEqual(ABOVE);
    // A box that only touches the spot's edge covers nothing.
    expect(spot([{ x: 0, y: 0, w: 200, h: 81 }])).toEqual(ABOVE);
  });

  it('tries below, right, left, then two rows above and below, in that order', () => {
    const over = (r: { x: number; y: number }): { x: number; y: number; w: number; h: number } => ({ x: r.x + 1, y: r.y + 1, w: 5, h: 5 });
    expect(spot([over(ABOVE)])).toEqual(BELOW);
    expect(spot([over(ABOVE), over(BELOW)])).toEqual(RIGHT);
    expect(spot([over(ABOVE), over(BELOW), over(RIGHT)])).toEqual(LEFT);
    expect(spot([over(ABOVE), over(BELOW), over(RIGHT), over(LEFT)])).toEqual(TWO_ABOVE);
    expect(spot([over(ABOVE), over(BELOW), over(RIGHT), over(LEFT), over(TWO_ABOVE)])).toEqual(TWO_BELOW);
  });

  it('takes the spot covering least when none is free, the earlier of two that cover alike', () => {
    // Everything around the point is written on, except a hole where the right-hand spot covers only 2 × 10.
    const all = { x: 0, y: 0, w: 300, h: 300 };
    expect(spot([all])).toEqual(ABOVE);
    const walls = [
      { x: 0, y: 0, w: 300, h: 95 },
      { x: 0, y: 105, w: 300, h: 195 },
      { x: 0, y: 95, w: 111, h: 10 },
      { x: 149, y: 95, w: 151, h: 10 },
    ];
    expect(spot(walls)).toEqual(RIGHT);
  });

  it('covers a badge list only where every other spot covers a badge too', () => {
    // Everything around the point is written on but for a hole where the right-hand spot covers
    // 2 × 10; a badge list's 1 × 1 corner in that spot sends the label to the first of the others.
    const walls = [
      { x: 0, y: 0, w: 300, h: 95 },
      { x: 0, y: 105, w: 300, h: 195 },
      { x: 0, y: 95, w: 111, h: 10 },
      { x: 149, y: 95, w: 151, h: 10 },
    ];
    const badge = { x: 130, y: 99, w: 1, h: 1 };
    expect(labelSpot([...walls, badge], 100, 100, 40, 10)).toEqual(RIGHT);
    // Above, nudged down to cover less of the walls (into the hole's row), clear of the badge.
    expect(labelSpot(walls, 100, 100, 40, 10, 9, [badge])).toEqual({ x: ABOVE.x, y: ABOVE.y + 8 });
  });

  it('weighs each spot where it is drawn, moved inside `within`', () => {
    // Left of a point near the drawing's left edge the label is moved right, onto a badge: it goes elsewhere.
    const walls = [
      { x: 0, y: 0, w: 300, h: 95 },
      { x: 0, y: 105, w: 300, h: 195 },
      { x: 109, y: 95, w: 40, h: 10 },
    ];
    expect(labelSpot(walls, 100, 100, 40, 10, 9)).toEqual(LEFT);
    const within = { x: 70, y: 0, w: 300, h: 300 };
    expect(labelSpot(walls, 100, 100, 40, 10, 9, [], within)).toEqual({ x: 70, y: 95 });
    expect(labelSpot(walls, 100, 100, 40, 10, 9, [{ x: 100, y: 95, w: 5, h: 10 }], within)).not.toEqual({ x: 70, y: 95 });
  });

  it('nudges the spot covering least up or down, off a line through its words', () => {
    // Words everywhere but a level band from y 60 to 80: two rows above (71 to 81) covers a unit of them.
    const walls = [
      { x: 0, y: 0, w: 300, h: 60 },
      { x: 0, y: 80, w: 300, h: 220 },
    ];
    // Nudged up a unit, it covers nothing.
    expect(labelSpot(walls, 100, 100, 40, 10)).toEqual({ x: TWO_ABOVE.x, y: TWO_ABOVE.y - 1 });
    // A line through the band from y 74 to 76: the label's words, 3 units in from its box, keep off it, inside the band.
    const spot = labelSpot(walls, 100, 100, 40, 10, 9, [], null, [], [{ x: 0, y: 74, w: 300, h: 2 }]);
    expect(spot.x).toBe(TWO_ABOVE.x);
    expect(spot.y + 10 - 3).toBeLessThanOrEqual(74);
    expect(spot.y).toBeGreaterThanOrEqual(60);
  });
});
