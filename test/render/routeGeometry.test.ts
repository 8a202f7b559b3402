/**
 * The geometry the links' routes ask most (linkRoute.ts, linkEnds.ts): a 60-pod layout (the
 * engine benchmark's load, opened in the page) asks whether a segment crosses a box and how near
 * a packet's track comes to the pods' titles hundreds of thousands of times before its first
 * frame. The quick forms must give the very numbers of the plain ones, so that every line is laid
 * where it was: `crossesBox` is `across(…) !== null`, and `nearestBox` is the least

 * `trackDistance` to any of the boxes (up to a distance asked: the least of the two) — on segments and boxes that touch, share an edge, run level,
 * upright or slanted, and lie near or far.
 */
import { describe, expect, it } from 'vitest';
import { across, crossesBox, type Box } from '../../src/render/geometry.ts';
import { nearestBox, packetTrack, trackDistance } from '../../src/render/packetTrack.ts';

/** A seeded generator (mulberry32): the same cases every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(11);
/** A coordinate on a coarse grid half the time (ends on box edges, level and upright stretches), else anywhere. */
const coord = (): number => (random() < 0.5 ? Math.round(random() * 20) * 10 : random() * 200);
const box = (): Box => ({
  x: coord(),
  y: coord(),
  w: random() < 0.1 ? 0 : Math.round(random() * 8) * 10 + 10,
  h: random() < 0.1 ? 0 : Math.round(random() * 8) * 10 + 10,
});

describe('route geometry', () => {
  it('crossesBox answers as across does, on 20,000 segments and boxes', () => {
    let crossing = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = box();
      const x = coord();
      const y = coord();
      const kind = random();
      // Level, upright, a point, or slanted.
      const dx = kind < 0.3 ? coord() - x : kind < 0.6 ? 0 : kind < 0.65 ? 0 : coord() - x;
      const dy = kind < 0.3 ? 0 : kind < 0.6 ? coord() - y : kind < 0.65 ? 0 : coord() - y;
      const want = across(b, x, y, dx, dy) !== null;
      expect(crossesBox(b, x, y, dx, dy), JSON.stringify({ b, x, y, dx, dy })).toBe(want);
      if (want) crossing++;
    }
    // Both answers are well represented.
    expect(crossing).toBeGreaterThan(2_000);
    expect(crossing).toBeLessThan(18_000);
  });

  it('nearestBox is the least trackDistance to the boxes, exactly, on 3,000 tracks', () => {
    for (let i = 0; i < 3_000; i++) {
      const line = Array.from({ length: 2 + Math.floor(random() * 4) }, () => ({ x: coord(), y: coord() }));
      const track = packetTrack(line);
      const boxes = Array.from({ length: Math.floor(random() * 30) }, box);
      const want = boxes.reduce((near, b) => Math.min(near, trackDistance(track, b)), Infinity);
      expect(nearestBox(track, boxes), JSON.stringify({ line, boxes })).toBe(want);
    }
  });

  it('nearestBox up to a distance is the least of that and the nearest box, exactly, on 3,000 tracks', () => {
    let beyond = 0;
    for (let i = 0; i < 3_000; i++) {
      const line = Array.from({ length: 2 + Math.floor(random() * 4) }, () => ({ x: coord(), y: coord() }));
      const track = packetTrack(line);
      const boxes = Array.from({ length: Math.floor(random() * 30) }, box);
      const upTo = random() * 30;
      const near = boxes.reduce((n, b) => Math.min(n, trackDistance(track, b)), Infinity);
      expect(nearestBox(track, boxes, upTo), JSON.stringify({ line, boxes, upTo })).toBe(Math.min(near, upTo));
      if (near > upTo) beyond++;
    }
    // Tracks with every box further off than asked are well represented.
    expect(beyond).toBeGreaterThan(200);
  });
});
