import { describe, expect, it } from 'vitest';
import { besideSpots, hopSpots } from '../../src/render/queueSpots.ts';

const GAP = 22;
const R = 10;
/** The spots as [along, aside] pairs. */
const pairs = (spots: Int8Array): [number, number][] => Array.from({ length: spots.length / 2 }, (_, i) => [spots[2 * i]!, spots[2 * i + 1]!]);

describe('besideSpots', () => {
  // A link leaving leftwards from (100, 100): k > 0 is above it (keeping right of the way it goes), k < 0 below.
  const link = [100, 100, -1, 0] as const;

  it('seats six beside the start, one side then the other, where nothing is written', () => {
    expect(pairs(besideSpots(...link, GAP, R, [], []))).toEqual([
      [0, 1],
      [0, -1],
      [0, 2],
      [0, -2],
      [0, 3],
      [0, -3],
    ]);
  });

  it('keeps off a title on one side: the other side as deep as it is free, then further along the link', () => {
    // A card's title row above the start (y 50 to 85): every spot up beside the start covers it.
    const title = { x: 60, y: 50, w: 200, h: 35 };
    const spots = pairs(besideSpots(...link, GAP, R, [title], []));
    expect(spots.slice(0, 3)).toEqual([
      [0, -1],
      [0, -2],
      [0, -3],
    ]);
    expect(spots.length).toBe(6);
    // Beside the start a packet stands between half a packet and a whole one out (the queue's base), a packet more each deeper.
    for (const [j, k] of spots)
      for (const out of j === 0 ? [Math.abs(k) * GAP - GAP / 2, Math.abs(k) * GAP] : [Math.abs(k) * GAP]) {
        const x = 100 - j * GAP;
        const y = 100 - Math.sign(k) * out;
        expect(x + R <= title.x || x - R >= title.x + title.w || y + R <= title.y || y - R >= title.y + title.h, `${j}, ${k}`).toBe(true);
      }
  });

  it("leaves out the link's own ends, and where nothing is free keeps the spots beside the start", () => {
    const own = { x: 100, y: 0, w: 80, h: 300 };
    expect(besideSpots(...link, GAP, R, [own], [own]).length).toBe(12);
    const everywhere = { x: -1000, y: -1000, w: 3000, h: 3000 };
    expect(pairs(besideSpots(...link, GAP, R, [everywhere], []))).toEqual(pairs(besideSpots(...link, GAP, R, [], [])));
  });
});

describe('hopSpots', () => {
  // A hop rightwards from (100, 100), two places long, in a card from (0, 50) to (200, 160):
  // k = -1 is above it, k = 1 below.
  const hop = [100, 100, 1, 0, 2, GAP, R] as const;
  const card = { x: 0, y: 50, w: 200, h: 110 };

  it('seats beside the hop every half packet along it, above then below, nearest the start first, where nothing is written', () => {
    expect(pairs(hopSpots(...hop, [], [], card))).toEqual([
      [0, -1],
      [0, 1],
      [1, -1],
      [1, 1],
      [2, -1],
      [2, 1],
    ]);
  });

  it('keeps off a title above the start and the chips below, before a state chip’s room', () => {
    const title = { x: 10, y: 60, w: 95, h: 18 };
    const chips = { x: 10, y: 115, w: 180, h: 17 };
    const room = { x: 115, y: 60, w: 80, h: 16 };
    const spots = pairs(hopSpots(...hop, [title, chips], [room], card));
    expect(spots[0]).toEqual([2, -1]);
    expect(spots.length).toBe(6);
  });

  it('keeps in its card', () => {
    const low = { x: 0, y: 85, w: 200, h: 75 };
    expect(pairs(hopSpots(...hop, [], [], low))[0]).toEqual([0, 1]);
  });
});
