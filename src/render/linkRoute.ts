/**
 * Links that bend around boxes (issue 12): where the straight line between two boxes would cross
 * another box — a pod card, a service, a node proxy's strip, the control plane — or words written
 * (a card's title or chips, a service's header, the cluster's or a band's title), the link runs
 * instead in the gaps between them, in straight stretches at right angles
 * (sidecar-vs-ambient-footprint: lines ran through other apps' cards and hid "reviews"; under
 * ambient they dropped through the stacked cards to the strip).
 *
 * The gaps are a grid: a line down the middle of every gap between two edges of what is drawn
 * (boxes, cards, services, bands, the cluster), and the lines through the two ends' anchors. The
 * route is the cheapest walk on that grid from one end's anchor to the other's — its length
 * outside the ends, and a penalty per bend — through no box but the ends and what holds them.
 * Worked out once per layout (the grid) and once per link (linkEnds.ts keeps the answer), never per frame.
 */
import { anchors, crossesBox, type Box } from './geometry.ts';
import { FONT, type Layout, type NodeBox } from './layoutTypes.ts';
import { COUNTER_W, serviceTitles } from './freeSpot.ts';
import { textWidth } from './textMetrics.ts';
import { Heap } from './minHeap.ts';

export interface Point {
  x: number;
  y: number;
}

/** A bend costs as much as this much more line. */
const BEND = 24;
/** Travel inside either end counts this much of its length (the route leaves near the anchor). */
const INSIDE = 0.25;
/**
 * A gap narrower than this is a poor lane: a line down it runs along the edges on either side (a
 * pipe between two ztunnels ran under the strips, along the cluster's bottom line; a line down
 * the edge of a column of cards passed their titles, its packets on them). Travel along it costs
 * {@link NARROW_PRICE} times its length, so a route takes a wider gap where one is near.
 */
const NARROW = 16;
const NARROW_PRICE = 2;

/** What a link keeps off: a box or words written, and whether it may hold an end (then the link may run inside it). */
interface Thing extends Box {
  holder: boolean;
}

/** The grid of one layout: gap lines and, for each crossing, what of {@link Thing} it lies in. */
interface Grid {
  things: Thing[];
  /** Each thing's extent, four numbers a thing (left, top, right, bottom): {@link blocked} passes by what its segment's extent does not reach. */
  extent: Float64Array;
  xs: number[];
  ys: number[];
  /** What a unit of travel along each line of `xs` (up or down) and of `ys` (across) costs: more in a narrow gap. */
  px: Float64Array;
  py: Float64Array;
  /** How wide the gap each line of `xs` and `ys` runs down is (a box's middle line: Infinity). */
  wx: Float64Array;
  wy: Float64Array;
  /** For crossing (i, j) at `j * xs.length + i`, the indices of the things it lies in (in `inside`, from `start[k]` to `start[k + 1]`). */
  start: Int32Array;
  inside: Int32Array;
  /** Scratch space for one route at a time (a search's costs, steps and zones), reused by every link of the layout. */
  cost: Float64Array;
  from: Int32Array;
  where: Int8Array;
  /** {@link allowed}'s answer per pair of ends, either way round (asked once per segment a route or a lane tries). */
  allowedFor: Map<NodeBox, Map<NodeBox, Uint8Array>>;
}

const grids = new WeakMap<Layout, Grid>();

/**
 * What a link may not cross: every box, card, service and the control plane; the pod cards'
 * titles and chip strips (a line between two pods that crossed the title of either's card hid its
 * first letters under the packets: config-push, a pod two rows below; a line from the control
 * plane into a card along its title or chips flew its packets over them); and the words of the
 * frames: each service's header (its name and counter line), the cluster's, the bands' and the
 * control plane's titles (the control plane's lines to the sidecars ran straight over "service
 * reviews / no request finished yet", "node node-2" and "Kubernetes cluster").
 */
function thingsOf(layout: Layout): Thing[] {
  const out: Thing[] = [];
  for (const b of layout.boxes) out.push({ x: b.x, y: b.y, w: b.w, h: b.h, holder: false });
  for (const p of layout.pods) {
    out.push({ x: p.x, y: p.y, w: p.w, h: p.h, holder: true });
    if (p.title) out.push({ x: p.x + 6, y: p.y + 2, w: textWidth(p.title, FONT.title, true) + 4, h: 18, holder: false });
    if (p.chips.w > 0 && p.chips.h > 0) out.push({ ...p.chips, holder: false });
  }
  for (const s of layout.services) out.push({ x: s.x, y: s.y, w: s.w, h: s.h, holder: true });
  if (layout.controlPlane) out.push({ ...layout.controlPlane, holder: true });
  for (const w of headerWords(layout)) out.push({ ...w, holder: false });
  return out;
}

/**
 * Where the frames' words are written: each service's header as sceneStatic.ts writes it (its
 * name, and under it the counter line at its widest; none over a grid of named cards), and the
 * cluster's, bands' and control plane's titles.
 */
function headerWords(layout: Layout): Box[] {
  const out: Box[] = [];
  if (!layout.namedBoxes)
    for (const { box, region } of serviceTitles(layout)) {
      out.push(box);
      if (!layout.compactHeaders) out.push({ x: region.x, y: region.y + 19, w: Math.min(region.w, COUNTER_W + 12), h: 15 });
    }
  return [...out, ...layout.titles];
}

/** The middles of the gaps between the sorted distinct `edges`, each with the gap's width. */
function gaps(edges: number[]): Map<number, number> {
  const sorted = [...new Set(edges.map((e) => Math.round(e * 2) / 2))].sort((p, q) => p - q);
  const out = new Map<number, number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! > 1) out.set((sorted[i]! + sorted[i - 1]!) / 2, sorted[i]! - sorted[i - 1]!);
  return out;
}

/** The lines of `lanes` in order, and how much a unit of travel along each costs ({@link NARROW}). */
function lanesOf(lanes: Map<number, number>): { at: number[]; price: Float64Array; width: Float64Array } {
  const at = [...lanes.keys()].sort((p, q) => p - q);
  return { at, price: Float64Array.from(at, (v) => (lanes.get(v)! < NARROW ? NARROW_PRICE : 1)), width: Float64Array.from(at, (v) => lanes.get(v)!) };
}

function gridOf(layout: Layout): Grid {
  let grid = grids.get(layout);
  if (grid) return grid;
  const things = thingsOf(layout);
  const frames: Box[] = [...things, ...layout.bands, layout.cluster, layout.bounds];
  const xl = gaps(frames.flatMap((b) => [b.x, b.x + b.w]));
  const yl = gaps(frames.flatMap((b) => [b.y, b.y + b.h]));
  // Each box's middle too: a route leaves and reaches an end there.
  for (const b of layout.boxes) {
    xl.set(b.x + b.w / 2, Infinity);
    yl.set(b.y + b.h / 2, Infinity);
  }
  const { at: ux, price: px, width: wx } = lanesOf(xl);
  const { at: uy, price: py, width: wy } = lanesOf(yl);
  const n = ux.length * uy.length;
  // The crossings each thing holds: the lines strictly inside it either way (found by bisection,
  // the lines being sorted), counted per crossing, then listed per crossing in the things' order.
  const spans = new Int32Array(4 * things.length);
  const start = new Int32Array(n + 1);
  things.forEach((t, k) => {
    const [i0, i1, j0, j1] = [countBelow(ux, t.x, true), countBelow(ux, t.x + t.w), countBelow(uy, t.y, true), countBelow(uy, t.y + t.h)];
    spans.set([i0, i1, j0, j1], 4 * k);
    for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) start[j * ux.length + i + 1]!++;
  });
  for (let c = 0; c < n; c++) start[c + 1]! += start[c]!;
  const inside = new Int32Array(start[n]!);
  const put = start.slice(0, n);
  for (let k = 0; k < things.length; k++)
    for (let j = spans[4 * k + 2]!; j < spans[4 * k + 3]!; j++) for (let i = spans[4 * k]!; i < spans[4 * k + 1]!; i++) inside[put[j * ux.length + i]!++] = k;
  const extent = new Float64Array(4 * things.length);
  things.forEach((t, k) => extent.set([t.x, t.y, t.x + t.w, t.y + t.h], 4 * k));
  grid = {
    things,
    extent,
    xs: ux,
    ys: uy,
    px,
    py,
    wx,
    wy,
    start,
    inside,
    cost: new Float64Array(2 * n),
    from: new Int32Array(2 * n),
    where: new Int8Array(n),
    allowedFor: new Map(),
  };
  grids.set(layout, grid);
  return grid;
}

/**
 * How many of sorted `v` lie below `x` (`orAt`: at or below): the index of the first past it. So
 * the lines strictly inside a span (a, b) are those from `countBelow(v, a, true)` up to `countBelow(v, b)`.
 */
function countBelow(v: readonly number[], x: number, orAt = false): number {
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (v[m]! < x || (orAt && v[m] === x)) lo = m + 1;
    else hi = m;
  }
  return lo;
}

const contains = (outer: Box, b: Box): boolean => b.x >= outer.x && b.y >= outer.y && b.x + b.w <= outer.x + outer.w && b.y + b.h <= outer.y + outer.h;
const same = (t: Box, b: Box): boolean => t.x === b.x && t.y === b.y && t.w === b.w && t.h === b.h;

/** Which things a link between `a` and `b` may cross: the two ends and what holds either. */
function allowed(grid: Grid, a: NodeBox, b: NodeBox): Uint8Array {
  const known = grid.allowedFor.get(a)?.get(b);
  if (known) return known;
  const ok = new Uint8Array(grid.things.length);
  grid.things.forEach((t, k) => {
    if (same(t, a) || same(t, b) || (t.holder && (contains(t, a) || contains(t, b)))) ok[k] = 1;
  });
  for (const [p, q] of [
    [a, b],
    [b, a],
  ] as const) {
    let byEnd = grid.allowedFor.get(p);
    if (!byEnd) grid.allowedFor.set(p, (byEnd = new Map()));
    byEnd.set(q, ok);
  }
  return ok;
}

/** How wide the gap is whose middle an upright (`upright`) or level line at `at` runs down; 0 if no route runs there. */
export function laneWidth(layout: Layout, upright: boolean, at: number): number {
  const grid = gridOf(layout);
  const [lines, widths] = upright ? [grid.xs, grid.wx] : [grid.ys, grid.wy];
  const i = lines.indexOf(at);
  return i < 0 ? 0 : widths[i]!;
}

/** Whether the straight segment from `p` to `q` crosses anything a link between `a` and `b` may not. */
export function blocked(layout: Layout, a: NodeBox, b: NodeBox, p: Point, q: Point): boolean {
  const grid = gridOf(layout);
  const ok = allowed(grid, a, b);
  const { things, extent } = grid;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  // A thing the segment's extent does not reach (by more than rounding) it cannot cross.
  const x0 = Math.min(p.x, q.x) - 1e-6;
  const x1 = Math.max(p.x, q.x) + 1e-6;
  const y0 = Math.min(p.y, q.y) - 1e-6;
  const y1 = Math.max(p.y, q.y) + 1e-6;
  for (let k = 0; k < things.length; k++) {
    if (ok[k] || extent[4 * k]! > x1 || extent[4 * k + 2]! < x0 || extent[4 * k + 1]! > y1 || extent[4 * k + 3]! < y0) continue;
    if (crossesBox(things[k]!, p.x, p.y, dx, dy)) return true;
  }
  return false;
}

/**
 * The route between boxes `a` and `b` of `layout`: from `a`'s anchor to `b`'s, in straight
 * stretches at right angles through nothing but the two ends and what holds them — or null where
 * there is none. The first point is inside `a`, the last inside `b` (linkEnds.ts cuts the route at their edges).
 */
export function routeBetween(layout: Layout, a: NodeBox, b: NodeBox): Point[] | null {
  const grid = gridOf(layout);
  const ok = allowed(grid, a, b);
  const { xs, ys, px, py, start, inside } = grid;
  const nx = xs.length;
  const [ca, cb] = anchors(a, b);
  // The grid line nearest the anchor that runs through the box (its middle line does): a wide
  // box's anchor is off its middle, near its end (geometry.ts anchorOf), and the nearest line
  // there may run just outside it — the control plane's lines then found no route and ran
  // straight across everything.
  const near = (v: number[], x: number, lo: number, hi: number): number => {
    let best = -1;
    for (let i = 0; i < v.length; i++) if (v[i]! > lo && v[i]! < hi && (best < 0 || Math.abs(v[i]! - x) < Math.abs(v[best]! - x))) best = i;
    return best;
  };
  const si = near(xs, ca.x, a.x, a.x + a.w);
  const sj = near(ys, ca.y, a.y, a.y + a.h);
  const ti = near(xs, cb.x, b.x, b.x + b.w);
  const tj = near(ys, cb.y, b.y, b.y + b.h);
  if (si < 0 || sj < 0 || ti < 0 || tj < 0) return null;
  // Where a crossing is: 0 free, 1 in `a`, 2 in `b`, -1 in something the link may not cross (9: not yet known).
  const where = grid.where.fill(9);
  const zone = (c: number): number => {
    if (where[c] !== 9) return where[c]!;
    const x = xs[c % nx]!;
    const y = ys[(c / nx) | 0]!;
    let z = 0;
    for (let k = start[c]!; k < start[c + 1]!; k++) if (!ok[inside[k]!]) z = -1;
    if (z === 0 && x >= a.x && x <= a.x + a.w && y >= a.y && y <= a.y + a.h) z = 1;
    else if (z === 0 && x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) z = 2;
    where[c] = z;
    return z;
  };
  // Dijkstra over (crossing, heading): heading 0 along x, 1 along y.
  const cost = grid.cost.fill(Infinity);
  const from = grid.from.fill(-1);
  const heap = new Heap();
  // A* towards `b`: what is left is at least the way to `b`'s box (inside it travel is cheap).
  const rest = (c: number): number => {
    const x = xs[c % nx]!;
    const y = ys[(c / nx) | 0]!;
    return Math.max(0, b.x - x, x - b.x - b.w) + Math.max(0, b.y - y, y - b.y - b.h);
  };
  const s = sj * nx + si;
  const goal = tj * nx + ti;
  if (zone(s) !== 1 || zone(goal) !== 2) return null;
  cost[2 * s] = cost[2 * s + 1] = 0;
  heap.push(2 * s, rest(s));
  heap.push(2 * s + 1, rest(s));
  let reached = -1;
  while (heap.size) {
    const state = heap.pop();
    const c0 = cost[state]!;
    if (heap.popped > c0 + rest(state >> 1) + 1e-9) continue;
    const c = state >> 1;
    if (c === goal) {
      reached = state;
      break;
    }
    const i = c % nx;
    const j = (c / nx) | 0;
    const here = zone(c);
    for (let step = 0; step < 4; step++) {
      const di = STEP_I[step]!;
      const dj = STEP_J[step]!;
      const i2 = i + di;
      const j2 = j + dj;
      if (i2 < 0 || j2 < 0 || i2 >= nx || j2 >= ys.length) continue;
      const c2 = j2 * nx + i2;
      const there = zone(c2);
      if (there < 0) continue;
      const heading = di !== 0 ? 0 : 1;
      // Along a row (a line of `ys`) or a column (of `xs`), at that line's price.
      const len = di !== 0 ? Math.abs(xs[i2]! - xs[i]!) * py[j]! : Math.abs(ys[j2]! - ys[j]!) * px[i]!;
      const end = here > 0 && there === here;
      const turn = (state & 1) !== heading && !end && here === 0 ? BEND : 0;
      const next = c0 + (end ? INSIDE * len : len) + turn;
      const k = 2 * c2 + heading;
      if (next < cost[k]!) {
        cost[k] = next;
        from[k] = state;
        heap.push(k, next + rest(c2));
      }
    }
  }
  if (reached < 0) return null;
  const cells: number[] = [];
  for (let k = reached; k >= 0; k = from[k]!) cells.push(k >> 1);
  cells.reverse();
  return simplify(cells.map((c) => ({ x: xs[c % nx]!, y: ys[(c / nx) | 0]! })));
}

/** The four steps from a crossing, across (i) and up or down (j): right, left, down, up. */
const STEP_I = [1, -1, 0, 0];
const STEP_J = [0, 0, 1, -1];

/** `pts` without repeated points and without the middle of three in a line. */
export function simplify(pts: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of pts) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 1e-6 && Math.abs(last.y - p.y) < 1e-6) continue;
    const prev = out[out.length - 2];
    if (last && prev) {
      const cross = (last.x - prev.x) * (p.y - last.y) - (last.y - prev.y) * (p.x - last.x);
      if (Math.abs(cross) < 1e-6) out.pop();
    }
    out.push(p);
  }
  return out;
}
