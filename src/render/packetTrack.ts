/**
 * How big a packet is drawn and where along a link's line it flies — kept apart from the packet
 * layer (pixi.js) so the links' routes (linkEnds.ts, linkRoute.ts) can ask where packets will
 * stand before anything is drawn: a line whose packets would stand on a pod's title is routed
 * another way (issue 12: config-push, packets arriving at reviews-v2-0 stood on its title).
 */
import { segmentCrosses } from './geometry.ts';
import type { Point } from './linkRoute.ts';
import { STRIP_CAPTION_X } from './layoutTypes.ts';

/** Size of one packet's frame in world units (packetAtlas.ts draws each shape in a CELL × CELL square). */
export const CELL = 20;
/** How far a packet reaches from its centre: the current step's ring around it (scale 1.5). */
export const PACKET_R = CELL * 0.75;
/** A packet's own radius (its shape, without the ring). */
export const SHAPE_R = CELL / 2;
/** How far right of its line a packet flies (both directions of a link are seen). */
export const KEEP_RIGHT = 5;
/**
 * A straight link shorter than this joins two boxes side by side: an app and its own sidecar
 * (packetPaths.ts crosses both boxes), or two ztunnel strips (their pipe's packets stand a third of
 * the way in: tagSpots.ts packetEnds, pipeLabel.ts).
 */
export const SHORT_LINK = 30;

/**
 * How far in from a short pipe's end its packets stop at least (no further than its middle): a ring
 * there clears a ztunnel strip's title, {@link STRIP_CAPTION_X} in from the strip's edge
 * (ambient-mixed-data-planes at 1 s, tight: between strips 18 apart, a third of the way in left the
 * SYN's ring on "ztunnel on node-2").
 */
const SHORT_CLEAR = PACKET_R - STRIP_CAPTION_X + 0.5;

/**
 * The track of a packet flying along `line` from its first point to its last, away from its
 * ends' boxes: the ends a packet's radius inside the line (a straight line shorter than three radii
 * a third of its length: the pipe between two ztunnel strips 26 apart kept its ends, and a packet
 * at either end stood on the strip's chips or title — now its ring stops short of them; a bent
 * one's ends move no more than half their stretch), each point moved {@link KEEP_RIGHT} right of
 * the direction of travel (a corner by both its stretches' shifts, a mitre). packetPaths.ts flies
 * packets on it.
 */
export function packetTrack(line: readonly Point[]): Point[] {
  const pts = line.map((p) => ({ x: p.x, y: p.y }));
  const first = pts[0]!;
  const end = pts[pts.length - 1]!;
  const l0 = Math.hypot(end.x - first.x, end.y - first.y);
  const pull = (p: Point, q: Point): void => {
    const l = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    const d = Math.min(SHAPE_R, l / 2);
    p.x += ((q.x - p.x) / l) * d;
    p.y += ((q.y - p.y) / l) * d;
  };
  if (pts.length > 2) {
    pull(first, pts[1]!);
    pull(end, pts[pts.length - 2]!);
  } else if (l0 > 0) {
    const d = Math.min(SHAPE_R, Math.max(l0 / 3, Math.min(SHORT_CLEAR, l0 / 2))) / l0;
    const [dx, dy] = [(end.x - first.x) * d, (end.y - first.y) * d];
    Object.assign(first, { x: first.x + dx, y: first.y + dy });
    Object.assign(end, { x: end.x - dx, y: end.y - dy });
  }
  // Each stretch's unit direction, then each point shifted right of the stretches it joins.
  const dirs = pts.slice(1).map((q, i) => {
    const p = pts[i]!;
    const l = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    return { x: (q.x - p.x) / l, y: (q.y - p.y) / l };
  });
  return pts.map((p, i) => {
    const u = dirs[Math.min(i, dirs.length - 1)]!;
    const v = dirs[Math.max(0, i - 1)]!;
    // The right-hand normals of the stretch before and after; their mitre at a corner.
    const nx = -v.y - u.y;
    const ny = v.x + u.x;
    const k = KEEP_RIGHT / (1 + (-v.y * -u.y + v.x * u.x) || 1);
    return { x: p.x + nx * k, y: p.y + ny * k };
  });
}

/** How near `track` comes to box `r` (0 where it touches or crosses it). */
export function trackDistance(track: readonly Point[], r: { x: number; y: number; w: number; h: number }): number {
  let best = Infinity;
  for (let i = 1; i < track.length; i++) best = Math.min(best, segmentToBox(track[i - 1]!, track[i]!, r));
  return best;
}

/**
 * How near `track` comes to the nearest of `boxes`: the least {@link trackDistance}, the same
 * number, found without measuring to a box that lies further from the track's bounding box than
 * the nearest found so far (a 60-pod layout asks it of every title for every lane it tries).
 * With `upTo`, no nearer than that is asked: the answer is the least of the two (a caller that
 * compares it with `upTo` or less measures no box that lies further off).
 */
export function nearestBox(track: readonly Point[], boxes: readonly { x: number; y: number; w: number; h: number }[], upTo = Infinity): number {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of track) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  let best = upTo;
  for (const r of boxes) {
    // No point of the track is nearer the box than its bounding box is (nor than that is across
    // or up and down); the margin covers rounding.
    const across = Math.max(r.x - x1, 0, x0 - r.x - r.w);
    if (across > best + 1e-6) continue;
    const down = Math.max(r.y - y1, 0, y0 - r.y - r.h);
    if (down > best + 1e-6 || Math.hypot(across, down) > best + 1e-6) continue;
    best = Math.min(best, trackDistance(track, r));
  }
  return best;
}

/** Distance from (x, y) to box `r`. */
const pointTo = (r: { x: number; y: number; w: number; h: number }, x: number, y: number): number =>
  Math.hypot(Math.max(r.x - x, 0, x - r.x - r.w), Math.max(r.y - y, 0, y - r.y - r.h));

/** Distance from (x, y) to segment p–q. */
function toSegment(p: Point, q: Point, x: number, y: number): number {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const f = Math.max(0, Math.min(1, ((x - p.x) * dx + (y - p.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x + dx * f - x, p.y + dy * f - y);
}

/** The distance between segment p–q and box `r` (0 if they meet). */
function segmentToBox(p: Point, q: Point, r: { x: number; y: number; w: number; h: number }): number {
  // The nearest pair is an end of one to the other, unless the segment crosses the box.
  if (segmentCrosses(p, q, r)) return 0;
  return Math.min(
    pointTo(r, p.x, p.y),
    pointTo(r, q.x, q.y),
    toSegment(p, q, r.x, r.y),
    toSegment(p, q, r.x + r.w, r.y),
    toSegment(p, q, r.x, r.y + r.h),
    toSegment(p, q, r.x + r.w, r.y + r.h),
  );
}
