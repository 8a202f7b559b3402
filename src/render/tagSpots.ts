/**
 * Where a link's tag may go beside its endpoint (edgeLayer.ts places it), and what it keeps off
 * there besides words and cards: the spots where packets stand at a link's two ends, as they
 * leave and arrive. The current step's packet and its ring are drawn above the tags (they stay in
 * sight), so a tag a few units from a card's edge lost its first or last characters under it
 * (authorization under Istio at 2.5 s: "2/s · 50%" read "●/s · 50%"; circuit-breaking-pool: "1/s"
 * under the SYN-ACK at httpbin's sidecar).
 */
import type { NodeId } from '../player/index.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import { bestSpot, coversWords, type Obstacle } from './freeSpot.ts';
import { linkLine, type Point } from './linkEnds.ts';
import { KEEP_RIGHT, PACKET_R, packetTrack } from './packetTrack.ts';

/** How far a tag's row beside the endpoint moves off the line to clear a packet's ring where the line ends. */
const RING_CLEAR = PACKET_R + KEEP_RIGHT + 2;
/** How far apart the spots tried further from the endpoint are. */
const STEP = 4;

/**
 * Where packets stand at the two ends of the links between `pairs`, each way (packetTrack.ts: a
 * packet's radius inside the line, kept right): a tag keeps a ring's radius from each (the current
 * step's packet is drawn above it). An app's hop to its own sidecar (inside its card) has none.
 */
export function packetEnds(layout: Layout, pairs: Iterable<readonly [NodeId, NodeId]>): Point[] {
  const out: Point[] = [];
  const seen = new Set<string>();
  for (const [from, to] of pairs) {
    const a = layout.nodes.get(from);
    const b = layout.nodes.get(to);
    if (!a || !b || a === b || seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`).add(`${to}>${from}`);
    for (const [p, q] of [
      [a, b],
      [b, a],
    ] as const) {
      const line = linkLine(layout, p, q).points;
      const first = line[0]!;
      const last = line[line.length - 1]!;
      if (line.length === 2 && Math.hypot(last.x - first.x, last.y - first.y) < 30) continue;
      const track = packetTrack(line);
      out.push(track[0]!, track[track.length - 1]!);
    }
  }
  return out;
}

/**
 * The spots beside an endpoint for a `w` × `h` tag, in order of preference: `first` (a few units
 * from the endpoint's card, level with it), then further from the card (`away`: -1 for a card
 * left of it, 1 for one right of it, 0 for a link reaching it from above or below) up to `reach`
 * more; then so on the rows a tag's height above and below; then on rows clear of a packet's ring
 * where the line ends, and a little further, where a narrow gap leaves no room level with the
 * endpoint — those up to half a tag over either card's edge too, the nearest to `first` first.
 */
export function besideEndpoint(first: Point, away: -1 | 0 | 1, reach: number, w: number, h: number): Point[] {
  const out: Point[] = [];
  for (const dy of [0, -h - 3, h + 3]) {
    out.push({ x: first.x, y: first.y + dy });
    for (let d = STEP; away !== 0 && d <= reach; d += STEP) out.push({ x: first.x + away * d, y: first.y + dy });
  }
  if (away === 0) return out;
  // Off the line by a ring's reach and a little more (the line's other end, a link fanning out beside it).
  const shifts: number[] = [];
  for (let d = -w / 2; d <= reach + w / 2; d += STEP) shifts.push(d);
  shifts.sort((a, b) => Math.abs(a) - Math.abs(b));
  for (let d = 0; d <= 3 * STEP; d += STEP)
    for (const dy of [-h / 2 - RING_CLEAR - d, h / 2 + RING_CLEAR + d]) for (const dx of shifts) out.push({ x: first.x + away * dx, y: first.y + dy });
  return out;
}

/** Whether a packet's ring at `c` (its radius {@link PACKET_R}) reaches into box `r`. */
function underRing(r: Box, c: Point): boolean {
  const dx = Math.max(r.x - c.x, 0, c.x - (r.x + r.w));
  const dy = Math.max(r.y - c.y, 0, c.y - (r.y + r.h));
  return dx * dx + dy * dy < PACKET_R * PACKET_R;
}

/**
 * Where a `w` × `h` tag goes of `spots` (in order of preference): of those that cover no words,
 * no box `placed` already and no packet's ring at a link's end (`ends`, packetEnds), the one that
 * covers least (bestSpot: of pods' cards); where none is free, the one that covers least of
 * the words, as before the ends counted — over a ring it loses a character or two under the
 * step's packet, while one over words is left out (edgeLayer.ts).
 */
export function tagSpot(
  spots: readonly Point[],
  w: number,
  h: number,
  obstacles: readonly Obstacle[],
  ends: readonly Point[],
  placed: readonly Box[],
  bounds: Box,
): Point {
  const free = spots.filter((p) => {
    const rect = { x: p.x, y: p.y, w, h };
    return !coversWords(rect, obstacles, placed) && !ends.some((c) => underRing(rect, c));
  });
  return bestSpot(free.length ? free : spots, w, h, obstacles, placed, bounds);
}
