/**
 * Where packets that find no room on their link wait (packetLayer.ts): beside the link's start, a
 * whole packet apart, on spots with nothing written under them — a pod's title, its chips, a
 * service's header (hello-mesh under Linkerd at 1.005 s: six handshake messages leaving reviews-0's
 * sidecar at once stood in a column over "reviews-0" and "no request finished yet"). Past the last
 * spot they wait beside the link further along it (packetLayer.ts; before, past three deep they all stood on one spot).
 */
import type { Box } from './geometry.ts';
import { overlap } from './freeSpot.ts';

/** How many deep queued packets wait on each side of a link's start, and how far along it, at most. */
export const BESIDE_DEEP = 3;
const DEEP = BESIDE_DEEP;
/** How many spots beside a link's start are sought (past them, packets wait further out from the last). */
const BESIDE_SEATS = 2 * DEEP;

/**
 * The spots beside a link's start, in the order queued packets take them: pairs (j, k), the spot
 * j packets along the link from its start and k to its side (negative: the other side). At j = 0,
 * k = ±1 is the queue's base from the link (what clears the last packet on it; up to a whole
 * packet) and each further k a packet more; along the link, k packets out. The spots right beside
 * the start first, one side then the other, as deep as they are free; then those further along;
 * only free ones. Where none is free, the ones beside the start (as before: something is covered).
 *
 * `ax, ay`: the start; `ux, uy`: the link's direction; `gap`: a packet's spacing, `r` its radius;
 * `obstacles`: what must stay readable (`skip`: the link's own ends, which a packet at the start touches).
 */
export function besideSpots(
  ax: number,
  ay: number,
  ux: number,
  uy: number,
  gap: number,
  r: number,
  obstacles: readonly Box[],
  skip: readonly Box[],
): Int8Array {
  const free: number[] = [];
  const near: number[] = [];
  for (let j = 0; j < DEEP; j++)
    for (let k = 1; k <= DEEP; k++)
      for (const s of [1, -1]) {
        if (j === 0) near.push(j, s * k);
        if (free.length >= 2 * BESIDE_SEATS) continue;
        // The packet's square, over the whole range its base may put it in.
        const lo = j === 0 ? gap / 2 + (k - 1) * gap : k * gap;
        const hi = j === 0 ? k * gap : lo;
        const x1 = ax + ux * j * gap - uy * s * lo;
        const y1 = ay + uy * j * gap + ux * s * lo;
        const x2 = ax + ux * j * gap - uy * s * hi;
        const y2 = ay + uy * j * gap + ux * s * hi;
        const box = { x: Math.min(x1, x2) - r, y: Math.min(y1, y2) - r, w: Math.abs(x2 - x1) + 2 * r, h: Math.abs(y2 - y1) + 2 * r };
        if (!obstacles.some((o) => !skip.includes(o) && covers(box, o))) free.push(j, s * k);
      }
  return Int8Array.from(free.length ? free : near);
}

function covers(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Where packets wait beside a short hop (an app and its own sidecar side by side, packetLayer.ts)
 * once it is full along its length: a packet aside from it, j half packets from its start (up to
 * the last of its `places`, packets queued along it: halfway between two of them too), one side
 * then the other, nearest the start first — those whose shape (`r`
 * round it) covers none of `words` (the card's title, its chips, the boxes' captions) and stays
 * in `card` first, then by how much of `rooms` they cover (a state chip's room, right of the
 * title: its chip is mostly narrower), then by how much of the rest. As pairs (j, ±1).
 */
export function hopSpots(
  ax: number,
  ay: number,
  ux: number,
  uy: number,
  places: number,
  gap: number,
  r: number,
  words: readonly Box[],
  rooms: readonly Box[],
  card: Box,
): Int8Array {
  const spots: { j: number; k: number; cost: number }[] = [];
  for (let j = 0; j <= 2 * (places - 1); j++)
    for (const k of [-1, 1]) {
      const x = ax + (ux * j * gap) / 2 - uy * k * gap;
      const y = ay + (uy * j * gap) / 2 + ux * k * gap;
      const box = { x: x - r, y: y - r, w: 2 * r, h: 2 * r };
      let cost = 100 * (4 * r * r - overlap(box, card));
      for (const o of words) cost += 100 * overlap(box, o);
      for (const o of rooms) cost += overlap(box, o);
      spots.push({ j, k, cost });
    }
  return Int8Array.from(spots.sort((a, b) => a.cost - b.cost).flatMap((s) => [s.j, s.k]));
}
