/**
 * Where a link's tag goes (edgeLayer.ts writes it and draws its plate): beside the endpoint, on
 * its caller's side, level with it; else along its line, from the endpoint back — of those, a
 * spot that reads as its own line's, clear of words, other tags and the packets standing at the
 * links' ends (tagSpots.ts). Or nowhere: a tag with no such spot is left out unless the picture
 * must show it.
 */
import type { NodeId } from '../player/index.ts';
import type { Box } from './geometry.ts';
import type { Layout, NodeBox } from './layoutTypes.ts';
import type { Point } from './linkEnds.ts';
import { bestSpot, coversWords, type Obstacle } from './freeSpot.ts';
import { distanceTo, pointAt } from './polyline.ts';
import { alongLine, frameOf, ownSpot, segment, slidAlong, tagSpot, zip, type Seg } from './tagSpots.ts';

/** A tag to place: for the links of `callers` (the first's box `a`) to `to` (box `b`), `w` × `h`, along `s`. */
export interface TagAsk {
  callers: readonly NodeId[];
  to: NodeId;
  a: NodeBox;
  b: NodeBox;
  /** The line the tag goes along (the middle one of several callers', or the first's where that bends). */
  s: Seg;
  w: number;
  h: number;
  /** An endpoint's state: its tag stays on the link, read as the nearest card's. */
  tone: boolean;
  /** An endpoint's state, a plaintext connection or an error share: the picture must show it. */
  keep: boolean;
  /** An uneven split's share (edgeWords.ts weightedCallers): shown off its own line or under a ring, not over words. */
  weight: boolean;
}

/** What a tag keeps off: the words written, the tags and lists placed, the lines drawn, where packets stand (tagSpots.ts packetEnds). */
export interface TagRoom {
  layout: Layout;
  obstacles: readonly Obstacle[];
  placed: readonly Box[];
  lines: readonly { from: NodeId; to: NodeId; s: Seg }[];
  ends: readonly Point[];
  stops: readonly Point[];
}

/**
 * Where the tag `ask` goes in `room` (its top-left corner), or null: left out. `worse`: it found
 * no spot clear of words, other tags and the rings at the links' ends.
 */
export function placeTag(ask: TagAsk, room: TagRoom): { spot: Point | null; worse: boolean } {
  const { callers, to, a, b, s, w: tw, h, tone, keep, weight } = ask;
  const { layout, obstacles, placed, lines, ends, stops } = room;
  // Where the line comes to the endpoint from: its last stretch's start.
  const last = s.points[s.points.length - 2]!;
  // Beside the endpoint, on its caller's side, level with it: it reads as that endpoint's
  // (links fanning out from one caller end a card apart). Where that covers a card or words
  // (callers a narrow gap away, a link passing another pod's card), a free spot on the link,
  // from the endpoint's end back towards the caller.
  const cardOf = (n: Box): Box => layout.pods.find((p) => n.x >= p.x && n.x + n.w <= p.x + p.w && n.y >= p.y && n.y + n.h <= p.y + p.h) ?? n;
  const outer = cardOf(b);
  const caller = cardOf(a);
  const fromLeft = last.x < s.bx - 1;
  const fromRight = last.x > s.bx + b.w + 1;
  const y = b.y + b.h / 2 - h / 2;
  // 6 away from the endpoint's card, less in a gap between columns that leaves less room.
  const gap = fromLeft ? outer.x - (caller.x + caller.w) : caller.x - (outer.x + outer.w);
  const margin = Math.max(1, Math.min(6, (gap - tw) / 2));
  const first = fromLeft
    ? { x: outer.x - margin - tw, y }
    : fromRight
      ? { x: outer.x + outer.w + margin, y }
      : { x: s.bx + 6, y: last.y < s.by ? outer.y - h - 4 : outer.y + outer.h + 4 };
  // Those beside the endpoint only where no other caller's link passes nearer than its own
  // (web-0's link climbing to orders-0 had its tag above legacy-batch's level link to it).
  const spots = [first, { x: first.x, y: first.y - h - 3 }, { x: first.x, y: first.y + h + 3 }].filter((p) => {
    const cx = p.x + tw / 2;
    const cy = p.y + h / 2;
    const near = distanceTo(s.points, cx, cy);
    return !lines.some((l) => !callers.includes(l.from) && distanceTo(l.s.points, cx, cy) < near);
  });
  // Then along each caller's line, from the endpoint back, where packets at the links' ends
  // leave it whole (tagSpots.ts). An endpoint's state keeps main's spots on the link (it is
  // read as the nearest card's: outlier-vs-failure-accrual under Linkerd, edgeLabels.test).
  const along = tone ? [] : zip(callers.map((c) => alongLine(segment(layout.nodes.get(c) ?? a, b, layout).points, tw, h)));
  if (tone)
    // On the link, or just beside it (above and below a level stretch, left and right of a steep one).
    for (let f = 0.8; f > 0.05; f -= 0.05) {
      const at = pointAt(s.points, f);
      const level = at.level;
      const x = at.x - tw / 2;
      const y = at.y - h / 2;
      spots.push({ x, y }, level ? { x, y: y - h / 2 - 3 } : { x: x - tw / 2 - 3, y }, level ? { x, y: y + h / 2 + 3 } : { x: x + tw / 2 + 3, y });
    }
  // Of those, the spots where it reads as its own line's (inside its frame, over no other line:
  // tagSpots.ts ownSpot); a tag the picture must show takes another where none is free.
  const others = lines.filter((l) => l.to !== to || !callers.includes(l.from)).map((l) => l.s.points);
  const frame = frameOf(layout, a, b);
  const own = (p: Point): boolean => ownSpot(p, tw, h, frame, others);
  const ownAlong = along.filter(own);
  const mine = tone ? [] : [...spots.filter(own), ...ownAlong];
  const aside = { spots: slidAlong(spots, tw, h, [a, b]).filter(own), stops };
  const at = (all: Point[], line: Point[]): Point & { free?: true; ringed?: true } => tagSpot(all, line, tw, h, obstacles, ends, placed, layout.bounds, aside);
  // None of its own: none (left out), unless it must show.
  let spot: (Point & { free?: true; ringed?: true }) | null = tone
    ? bestSpot(spots, tw, h, obstacles, placed, layout.bounds)
    : mine.length
      ? at(mine, ownAlong)
      : null;
  if (!tone && (keep || weight) && (!spot || !spot.free || spot.ringed)) spot = at([...spots, ...along], along);
  const worse = !tone && spot !== null && !spot.free;
  if (!spot || (!keep && ((spot.ringed && !weight) || coversWords({ x: spot.x, y: spot.y, w: tw, h }, obstacles, placed)))) return { spot: null, worse };
  return { spot: { x: spot.x, y: spot.y }, worse };
}
