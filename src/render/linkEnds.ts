/**
 * Where the line between two boxes starts and ends — the edge layer draws it and the packet layer
 * flies along it, so both ask here.
 *
 * A line aims at the boxes' centres and leaves each box where it crosses the edge. Between two pod
 * proxies in different rows of different columns that puts the end on the box's top (or bottom)
 * edge near its corner, right under the pod card's title: the packets arriving there stood on
 * "reviews-v2-0" (config-push at 2.4 s). Such an end moves to the middle of the side that faces the
 * other end, when the sidecar sits on that side of its card (nothing of the pod between) and the
 * line then crosses no other box.
 *
 * A straight line that would still cross another box, a service, the control plane or words
 * written (a card's title or chips, a service's header, a frame's title) bends around them
 * instead (linkRoute.ts): the line is then a polyline, and the edge layer, the packets and the
 * wires all follow it.
 */
import { anchors, clipTo, segmentCrosses, type Box } from './geometry.ts';
import { FONT, type Layout, type NodeBox } from './layoutTypes.ts';
import { laneLine, occupy } from './linkLanes.ts';
import { blocked, routeBetween, type Point } from './linkRoute.ts';
import { PACKET_R, nearestBox, packetTrack } from './packetTrack.ts';
import { textWidth } from './textMetrics.ts';

export type { Point };

/**
 * The visible line from one box to another: its points (two for a straight line, more where it
 * bends), whether an end was moved to a side of a sidecar, and whether it bends.
 */
export interface LinkLine {
  points: readonly Point[];
  onSide: boolean;
  bent: boolean;
}

/** Where a line leaves its first box and reaches its second; `onSide`: an end was moved to a side. */
export type Ends = [from: Point, to: Point, onSide: boolean];

const cache = new WeakMap<Layout, Map<NodeBox, Map<NodeBox, LinkLine>>>();

/** Where the visible line from box `a` to box `b` of `layout` leaves `a` and reaches `b`. */
export function linkEnds(layout: Layout, a: NodeBox, b: NodeBox): Ends {
  const { points, onSide } = linkLine(layout, a, b);
  return [points[0]!, points[points.length - 1]!, onSide];
}

/** The visible line from box `a` to box `b` of `layout`, worked out once per layout and pair. */
export function linkLine(layout: Layout, a: NodeBox, b: NodeBox): LinkLine {
  const known = cache.get(layout)?.get(a)?.get(b);
  if (known) return known;
  const [s, t] = ordered(a, b);
  store(layout, s, t, laid(layout, s, t, lineOf(layout, s, t)));
  return cache.get(layout)!.get(a)!.get(b)!;
}

/**
 * Lays the lines between `pairs` of `layout` at once (the wires do, before anything asks for one
 * line): the straight ones first, so each bent one takes a lane beside those it runs along
 * (linkLanes.ts) whatever order the pairs come in.
 */
export function layLinks(layout: Layout, pairs: Iterable<readonly [NodeBox, NodeBox]>): void {
  const bent: [NodeBox, NodeBox, Found][] = [];
  const asked = new Map<NodeBox, Set<NodeBox>>();
  for (const [a, b] of pairs) {
    const [s, t] = ordered(a, b);
    const mine = asked.get(s) ?? asked.set(s, new Set()).get(s)!;
    if (s === t || mine.has(t) || cache.get(layout)?.get(s)?.has(t)) continue;
    mine.add(t);
    const found = lineOf(layout, s, t);
    if (found.bent) bent.push([s, t, found]);
    else store(layout, s, t, laid(layout, s, t, found));
  }
  // The lines between pods first (their lanes must keep their packets off titles: they move
  // least), then the others (the control plane's wires) beside them.
  bent.sort((p, q) => Number(!p[2].fits) - Number(!q[2].fits));
  for (const [s, t, found] of bent) store(layout, s, t, laid(layout, s, t, found));
}

/** A pair in the order its line is worked out in (once for both directions: a reply flies back along its request's line). */
const ordered = (a: NodeBox, b: NodeBox): [NodeBox, NodeBox] => (a.x < b.x || (a.x === b.x && a.y <= b.y) ? [a, b] : [b, a]);

/** Keeps `line` (from `a` to `b`) for both directions. */
function store(layout: Layout, a: NodeBox, b: NodeBox, line: LinkLine): void {
  let byA = cache.get(layout);
  if (!byA) cache.set(layout, (byA = new Map()));
  for (const [from, to, l] of [
    [a, b, line],
    [b, a, { ...line, points: [...line.points].reverse() }],
  ] as const) {
    let byFrom = byA.get(from);
    if (!byFrom) byA.set(from, (byFrom = new Map()));
    byFrom.set(to, l);
  }
}

/** A line as first found: straight, or bent around boxes and still to take its lanes (`fits`, between two pods: what a lane must keep). */
type Found = LinkLine & { fits?: (line: readonly Point[]) => boolean };

/** `found` laid: a bent line in its lanes, a straight one keeping its own. */
function laid(layout: Layout, a: NodeBox, b: NodeBox, found: Found): LinkLine {
  const { points, onSide, bent, fits } = found;
  if (bent) return { points: laneLine(layout, a, b, points, fits ?? (() => true)), onSide, bent };
  occupy(layout, points[0]!, points[1]!);
  return { points, onSide, bent };
}

function lineOf(layout: Layout, a: NodeBox, b: NodeBox): Found {
  const [p, q, onSide] = straight(layout, a, b);
  const crosses = blocked(layout, a, b, p, q);
  // Between two pods, the packets keep off every pod's title too (a line arriving steeply at a
  // sidecar's side passed the card's corner: the packets stood on "reviews-v2-0").
  const pods = inPod(layout, a) && inPod(layout, b);
  const near = pods ? titleClearance(layout, [p, q]) : Infinity;
  if (!crosses && near >= TITLE_CLEAR) return { points: [p, q], onSide, bent: false };
  const route = routeBetween(layout, a, b);
  const points = route && cut(route, a, b);
  // A route only near titles, not across boxes, is taken where its packets keep further off them.
  const clear = points && pods ? titleClearance(layout, points) : Infinity;
  if (points && (crosses || clear > near)) {
    const fits = pods ? (line: readonly Point[]): boolean => titleClearance(layout, line) >= Math.min(clear, TITLE_CLEAR) : undefined;
    return { points, onSide: false, bent: true, fits };
  }
  return { points: [p, q], onSide, bent: false };
}

/**
 * How near a packet's centre may come to a pod's title: its ring's reach, less a pixel — a packet
 * arriving level at a sidecar under its card's title stands 14.1 from the title's corner, where the
 * text's box is empty (below the letters' baseline).
 */
const TITLE_CLEAR = PACKET_R - 1;

/** Where each pod card's title is written (sceneStatic.ts: at the card's corner + (8, 4), 15 high). */
function titles(layout: Layout): Box[] {
  let boxes = titleBoxes.get(layout);
  if (!boxes) {
    boxes = layout.pods.filter((c) => c.title).map((c) => ({ x: c.x + 8, y: c.y + 4, w: textWidth(c.title, FONT.title, true), h: 15 }));
    titleBoxes.set(layout, boxes);
  }
  return boxes;
}
const titleBoxes = new WeakMap<Layout, Box[]>();

/**
 * How near the packets flying along `line`, either way, come to a pod's title — up to
 * {@link TITLE_CLEAR}: {@link lineOf} asks no more (a line that far off every title is clear, and
 * a line's clearance is compared with another's only where one is nearer), so no title further
 * off is measured.
 */
function titleClearance(layout: Layout, line: readonly Point[]): number {
  const near = nearestBox(packetTrack(line), titles(layout), TITLE_CLEAR);
  return Math.min(near, nearestBox(packetTrack([...line].reverse()), titles(layout), near));
}

const inPod = (layout: Layout, n: Box): boolean => layout.pods.some((p) => n.x >= p.x && n.y >= p.y && n.x + n.w <= p.x + p.w && n.y + n.h <= p.y + p.h);

/** `route` (from inside `a` to inside `b`) from where it leaves `a` to where it reaches `b`; null if it never leaves them. */
function cut(route: readonly Point[], a: Box, b: Box): Point[] | null {
  const within = (box: Box, p: Point): boolean => p.x >= box.x && p.x <= box.x + box.w && p.y >= box.y && p.y <= box.y + box.h;
  let i = 0;
  while (i < route.length && within(a, route[i]!)) i++;
  let j = route.length - 1;
  while (j >= 0 && within(b, route[j]!)) j--;
  // i = j + 1: one stretch goes from inside `a` straight into `b` (past a narrower card under `b`).
  if (i === 0 || j === route.length - 1 || i > j + 1) return null;
  return [clipTo(a, route[i - 1]!, route[i]!), ...route.slice(i, j + 1), clipTo(b, route[j + 1]!, route[j]!)];
}

function straight(layout: Layout, a: NodeBox, b: NodeBox): Ends {
  const [ca, cb] = anchors(a, b);
  const p = clipTo(a, ca, cb);
  const q = clipTo(b, cb, ca);
  if (a.role !== 'sidecar' || b.role !== 'sidecar') return [p, q, false];
  const sideP = onTopOrBottom(a, p) ? facingSide(layout, a, cb) : null;
  const sideQ = onTopOrBottom(b, q) ? facingSide(layout, b, ca) : null;
  // Both ends moved if the line then crosses nothing, else the one that can be.
  const tries: [Point, Point][] = [];
  if (sideP && sideQ) tries.push([sideP, sideQ]);
  if (sideQ) tries.push([p, sideQ]);
  if (sideP) tries.push([sideP, q]);
  for (const [s, t] of tries) if (!crossesOthers(layout, a, b, s, t)) return [s, t, true];
  return [p, q, false];
}

function onTopOrBottom(b: Box, p: Point): boolean {
  return (Math.abs(p.y - b.y) < 0.5 || Math.abs(p.y - b.y - b.h) < 0.5) && p.x > b.x + 0.5 && p.x < b.x + b.w - 0.5;
}

/**
 * The middle of the side of sidecar `box` that faces `toward`, if `toward` lies beyond that side and
 * nothing else of the pod (its app) is on that side.
 */
function facingSide(layout: Layout, box: NodeBox, toward: Point): Point | null {
  const left = toward.x < box.x;
  if (!left && toward.x <= box.x + box.w) return null;
  const y = box.y + box.h / 2;
  for (const other of layout.nodes.values())
    if (other !== box && other.node.pod !== undefined && other.node.pod === box.node.pod && other.y < y && other.y + other.h > y)
      if (left ? other.x + other.w <= box.x : other.x >= box.x + box.w) return null;
  return { x: left ? box.x : box.x + box.w, y };
}

function crossesOthers(layout: Layout, a: NodeBox, b: NodeBox, s: Point, t: Point): boolean {
  for (const other of layout.nodes.values()) if (other !== a && other !== b && segmentCrosses(s, t, other)) return true;
  return false;
}
