/**
 * Where a link's tag may go besides the spots beside its endpoint (edgeLayer.ts places it), and
 * what it keeps off there besides words and cards: the spots where packets stand at a link's two
 * ends, as they leave and arrive. The current step's packet and its ring are drawn above the tags
 * (they stay in sight), so a tag a few units from a card's edge lost its first or last characters
 * under it (authorization under Istio at 2.5 s: "2/s · 50%" read "●/s · 50%"; circuit-breaking-pool:
 * "1/s" under the SYN-ACK at httpbin's sidecar). A tag moves along its own line, never off it: one
 * a tag's height above its line read as the next link's (strict-vs-permissive at 3 s: "plaintext"
 * 25 px above legacy-batch's link to orders-0).
 */
import type { NodeId } from '../player/index.ts';
import { anchors, clipTo, type Box } from './geometry.ts';
import type { NodeBox } from './layoutTypes.ts';
import type { Layout } from './layoutTypes.ts';
import { bestSpot, coversWords, type Obstacle } from './freeSpot.ts';
import { linkLine, type Point } from './linkEnds.ts';
import { PACKET_R, SHORT_LINK, packetTrack } from './packetTrack.ts';
import { lengthInside, pointAt } from './polyline.ts';

/** How far apart the spots along a line are (a long line's are further apart: at most {@link ALONG} of them). */
const STEP = 4;
const ALONG = 40;
/** How far off its line a tag beside it keeps (its box's edge; the line stays the nearest to it). */
const GAP = 3;
/** How far in from a tag's sides its words are written (edgeLayer.ts). */
const WORDS_X = 4;

/**
 * Where packets stand at the two ends of the links between `pairs`, each way (packetTrack.ts: a
 * packet's radius inside the line, kept right): a tag keeps a ring's radius from each (the current
 * step's packet is drawn above it). An app's hop to its own sidecar (inside its card) has none.
 * `stops`: those of the short straight links instead (under {@link SHORT_LINK}: the pipe between
 * two ztunnel strips, its packets a third of the way in), but an app's hop to its own sidecar: a tag
 * with no spot clear of words on its line keeps its words off them ({@link tagSpot}'s `aside`).
 */
export function packetEnds(layout: Layout, pairs: Iterable<readonly [NodeId, NodeId]>): { ends: Point[]; stops: Point[] } {
  const ends: Point[] = [];
  const stops: Point[] = [];
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
      const short = line.length === 2 && Math.hypot(last.x - first.x, last.y - first.y) < SHORT_LINK;
      if (short && p.node.pod !== undefined && p.node.pod === q.node.pod) continue;
      const track = packetTrack(line);
      (short ? stops : ends).push(track[0]!, track[track.length - 1]!);
    }
  }
  return { ends, stops };
}

/**
 * Spots (top-left corners) for a `w` × `h` tag on `line` (from the caller to the endpoint), from
 * the endpoint's end back to the caller's: centred on the line, then beside it ({@link GAP} off,
 * above and below a level stretch, left and right of a steep one) — each reads as this line's.
 */
export function alongLine(line: readonly Point[], w: number, h: number): Point[] {
  const out: Point[] = [];
  let total = 0;
  for (let i = 1; i < line.length; i++) total += Math.hypot(line[i]!.x - line[i - 1]!.x, line[i]!.y - line[i - 1]!.y);
  const step = Math.max(STEP, total / ALONG);
  // From the endpoint's end, a spot every `step` (polyline.ts pointAt: a fraction of the way from the caller's).
  const at = (f: number): void => {
    const { x, y, level } = pointAt(line, f);
    out.push({ x: x - w / 2, y: y - h / 2 });
    if (level) out.push({ x: x - w / 2, y: y - h - GAP }, { x: x - w / 2, y: y + GAP });
    else out.push({ x: x - w - GAP, y: y - h / 2 }, { x: x + GAP, y: y - h / 2 });
  };
  for (let d = 0; d <= total; d += step) at(total ? 1 - d / total : 0);
  // And its middle, the spot furthest from the packets standing at both ends (packetEnds): on a
  // short link the rings leave room for a tag's words there only, narrower than a step (retry-storm
  // at 2 s: "10/s" between web-0 and api-0 had 1.3 units each way, and every step's spot was ringed).
  at(0.5);
  return out;
}

/**
 * `spots` (a `w` × `h` tag's beside its endpoint, edgeLayer.ts) slid along their rows each way, 8 at
 * a time, as far as the tag is wide or a ring and a half: {@link tagSpot}'s `aside`. One slid onto
 * a box of `ends` (the link's two) moves clear of it, above or below as its middle is, by half a
 * unit, or under it by 2: certificate-rotation under ambient at 20 h, "1/s" slid from the gap
 * between the two ztunnel strips under node-1's was 1.5 units onto it; under a strip, 21 units
 * above the cluster's bottom line (placement.ts), a tag 17 high keeps 2 off both.
 */
export function slidAlong(spots: readonly Point[], w: number, h = 0, ends: readonly Box[] = []): Point[] {
  const out: Point[] = [];
  const clear = (p: Point): Point => {
    const on = ends.find((b) => p.x < b.x + b.w && b.x < p.x + w && p.y < b.y + b.h && b.y < p.y + h);
    return !on ? p : { x: p.x, y: p.y + h / 2 < on.y + on.h / 2 ? on.y - h - 0.5 : on.y + on.h + 2 };
  };
  for (let d = 8; d <= Math.max(w, 40); d += 8) for (const p of spots) out.push(clear({ x: p.x - d, y: p.y }), clear({ x: p.x + d, y: p.y }));
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
 * covers least (bestSpot: of pods' cards), marked `free`. A narrow gap between two cards can leave no room on a
 * line clear of the rings at both its ends (authorization under OSM at 2.5 s: 82 units between
 * productpage's and reviews-0's sidecars for a tag 59 wide, each end's rings reaching 25 in), and
 * the tag stays on its line (`onLine`, alongLine): of those spots there that cover no words, one
 * where no ring reaches the tag's words (its plate's margin may lie under one), else the one the
 * rings cover least, marked `ringed`: a packet standing at a link's end hides some of its words
 * (edgeLayer.ts leaves such a tag out unless the picture must show it: strict-vs-permissive
 * compare at 3 s, Linkerd's "1/s · 50%" read "s · 50%" under web-0's ring). Where no spot on its
 * line is clear of words, the one of `spots` that covers least of them, as before the ends counted
 * — one over words is left out (edgeLayer.ts). Where the spot is free or no spot on its line is
 * clear of words, one whose words no packet on a short pipe hides comes first (`aside.stops`,
 * packetEnds), else one of `aside.spots` (slidAlong) clear of words whose words no packet hides:
 * timeouts under ambient at 6.1 s, the step's ring on the pipe between the two ztunnel strips hid
 * "5/s · 50%", placed under them.
 */
export function tagSpot(
  spots: readonly Point[],
  onLine: readonly Point[],
  w: number,
  h: number,
  obstacles: readonly Obstacle[],
  ends: readonly Point[],
  placed: readonly Box[],
  bounds: Box,
  aside: { spots: readonly Point[]; stops: readonly Point[] } = { spots: [], stops: [] },
): Point & { free?: true; ringed?: true } {
  const clear = (p: Point): boolean => !coversWords({ x: p.x, y: p.y, w, h }, obstacles, placed);
  const free = spots.filter((p) => clear(p) && !ends.some((c) => underRing({ x: p.x, y: p.y, w, h }, c)));
  // The words: the plate less its margin (edgeLayer.ts writes them 4 in from its sides, 1 from its top).
  const whole = (p: Point, rings: readonly Point[]): boolean =>
    !rings.some((c) => underRing({ x: p.x + WORDS_X, y: p.y + 1, w: w - 2 * WORDS_X, h: h - 2 }, c));
  // Of `all`, those whose words no packet on a short pipe hides; none such, those of `aside` clear
  // of words whose words no packet hides; none such, null.
  const offStops = (all: readonly Point[]): (Point & { free: true }) | null => {
    const off = all.filter((p) => whole(p, aside.stops));
    const by = off.length ? off : aside.spots.filter((p) => clear(p) && whole(p, ends) && whole(p, aside.stops));
    return by.length ? { ...bestSpot(by, w, h, obstacles, placed, bounds), free: true } : null;
  };
  if (free.length) return offStops(free) ?? { ...bestSpot(free, w, h, obstacles, placed, bounds), free: true };
  const onLineClear = onLine.filter(clear);
  if (!onLineClear.length) return offStops([]) ?? bestSpot(spots, w, h, obstacles, placed, bounds);
  // The rings weigh a quarter of what a card does: their words whole, a ring over a plate's margin
  // hides less than a tag pushed over a card (or where a badge list goes beside it).
  const rings = [...obstacles, ...ends.map((c) => ({ box: { x: c.x - PACKET_R, y: c.y - PACKET_R, w: 2 * PACKET_R, h: 2 * PACKET_R }, weight: 0.25 }))];
  const wordsWhole = onLineClear.filter((p) => whole(p, ends));
  if (wordsWhole.length) return { ...bestSpot(wordsWhole, w, h, rings, placed, bounds), free: true };
  return { ...bestSpot(onLineClear, w, h, rings, placed, bounds), free: true, ringed: true };
}

/** The lists' items taken in turn: the first of each, then the second of each, … */
export function zip<T>(lists: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(0, ...lists.map((l) => l.length)); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** The box in the middle of `boxes` (as wide and high as the first). */
export function meanBox(boxes: readonly Box[]): Box {
  const x = boxes.reduce((n, b) => n + b.x + b.w / 2, 0) / boxes.length;
  const y = boxes.reduce((n, b) => n + b.y + b.h / 2, 0) / boxes.length;
  const { w, h } = boxes[0]!;
  return { x: x - w / 2, y: y - h / 2, w, h };
}

/** The visible line between two boxes: its ends, and every point of it (more than two where it bends). */
export interface Seg {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  points: readonly Point[];
}

/** The visible part of the line between two boxes (of `layout`: then where linkEnds puts it, the line packets fly along). */
export function segment(a: Box, b: Box, layout?: Layout): Seg {
  const points = layout && isNodeBox(a) && isNodeBox(b) ? linkLine(layout, a, b).points : ends(a, b);
  const p = points[0]!;
  const q = points[points.length - 1]!;
  return { ax: p.x, ay: p.y, bx: q.x, by: q.y, points };
}

function ends(a: Box, b: Box): [Point, Point] {
  const [ca, cb] = anchors(a, b);
  return [clipTo(a, ca, cb), clipTo(b, cb, ca)];
}

function isNodeBox(b: Box): b is NodeBox {
  return 'role' in b;
}

/** The innermost frame drawn around both `a` and `b` (a service, a namespace's or node's band, the cluster), else the drawing's bounds. */
export function frameOf(layout: Layout, a: Box, b: Box): Box {
  const inside = (f: Box, n: Box): boolean => n.x >= f.x && n.y >= f.y && n.x + n.w <= f.x + f.w && n.y + n.h <= f.y + f.h;
  const frames = [...layout.services, ...layout.bands, layout.cluster].filter((f) => inside(f, a) && inside(f, b));
  return frames.sort((p, q) => p.w * p.h - q.w * q.h)[0] ?? layout.bounds;
}

/**
 * Whether a `w` × `h` tag at `p` reads as its own line's: inside `frame` (frameOf its line's two
 * ends), and no other link's line (`others`) crossing its plate — a tag over several parallel
 * lines, or outside the frame its line lives in, is one a learner cannot attribute
 * (sidecar-vs-ambient-footprint under ambient at 2.5 s: a column of five left of node-1, outside the cluster).
 */
export function ownSpot(p: Point, w: number, h: number, frame: Box, others: readonly (readonly Point[])[]): boolean {
  if (p.x < frame.x || p.y < frame.y || p.x + w > frame.x + frame.w || p.y + h > frame.y + frame.h) return false;
  const plate = { x: p.x + 1, y: p.y + 1, w: w - 2, h: h - 2 };
  return !others.some((l) => lengthInside(l, plate) > 0);
}
