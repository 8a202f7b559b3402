/**
 * Lanes for lines that share a gap (issue 12): routes run down the middles of the gaps between
 * boxes (linkRoute.ts), so two lines through one gap lay on each other — productpage's lines to
 * reviews-1 and reviews-2 went down one stretch, and under ambient several apps' lines to their
 * ztunnel shared one — and read as one line with both lines' packets on it. Each straight
 * stretch of a bent line takes a lane in its gap: the middle if no stretch laid before overlaps
 * it there, else the nearest free lane {@link SPACING} to one side or the other, as far as the gap
 * leaves room. Laid once per layout and pair (linkEnds.ts keeps the answer), in the order the
 * lines are first asked for — the wires, drawn first, in the trace's order.
 */
import type { Layout, NodeBox } from './layoutTypes.ts';
import { blocked, laneWidth, type Point } from './linkRoute.ts';

/** How far apart lines in one gap run: a thick line's width (loadWidth: up to 7) and a little. */
const SPACING = 8;
/** How far from a gap's middle a lane may be; and what a lane keeps from the gap's edges. */
const FARTHEST = 2 * SPACING;
const EDGE = 4;

/** Stretch p–q as a piece of a gap line: upright or level, the line's place, and the stretch's extent along it; null if slanted. */
function stretchOf(p: Point, q: Point): { upright: boolean; at: number; lo: number; hi: number } | null {
  const upright = Math.abs(p.x - q.x) < 1e-6;
  if (!upright && Math.abs(p.y - q.y) > 1e-6) return null;
  return upright ? { upright, at: p.x, lo: Math.min(p.y, q.y), hi: Math.max(p.y, q.y) } : { upright, at: p.y, lo: Math.min(p.x, q.x), hi: Math.max(p.x, q.x) };
}

/** Keeps the lane of a straight line's stretch, if it is upright or level (a bent line beside it takes another). */
export function occupy(layout: Layout, p: Point, q: Point): void {
  const st = stretchOf(p, q);
  if (st) laneOf(layout, st.upright).push(st.lo, st.hi, st.at);
}

/** What is laid upright (or level) in `layout`. */
function laneOf(layout: Layout, upright: boolean): number[] {
  let lines = laid.get(layout);
  if (!lines) laid.set(layout, (lines = { x: [], y: [] }));
  return upright ? lines.x : lines.y;
}

/** Whether `p` lies on an edge of `box`, 2 or more from its corners. */
function on(box: NodeBox, p: Point): boolean {
  const level = Math.abs(p.y - box.y) < 0.5 || Math.abs(p.y - box.y - box.h) < 0.5;
  const upright = Math.abs(p.x - box.x) < 0.5 || Math.abs(p.x - box.x - box.w) < 0.5;
  return (level && p.x >= box.x + 2 && p.x <= box.x + box.w - 2) || (upright && p.y >= box.y + 2 && p.y <= box.y + box.h - 2);
}

/**
 * The stretches laid in a layout: `x` upright, `y` level; (from, to, where) in threes — where
 * they lie, not which gap line they were moved from (a lane 8 off one gap's line can be another
 * gap line: productpage's line to reviews-2, a lane below its line to reviews-0, lay on the
 * control plane's line into reviews-0).
 */
const laid = new WeakMap<Layout, { x: number[]; y: number[] }>();

/**
 * `points` (a bent line from `a` to `b`) with each stretch moved into a free lane of its gap, and
 * the lanes it takes kept for the lines laid after it. A stretch that would then cross a box,
 * take an end off its box, or make the line no longer `fits` (its packets nearer a title), stays
 * in its gap's middle.
 */
export function laneLine(layout: Layout, a: NodeBox, b: NodeBox, points: readonly Point[], fits: (line: readonly Point[]) => boolean): Point[] {
  const out = points.map((p) => ({ x: p.x, y: p.y }));
  for (let i = 1; i < points.length; i++) {
    const st = stretchOf(points[i - 1]!, points[i]!);
    if (!st) continue;
    const { upright, at, lo, hi } = st;
    const used = laneOf(layout, upright);
    const taken: number[] = [];
    for (let k = 0; k < used.length; k += 3) if (used[k]! < hi - 1 && used[k + 1]! > lo + 1) taken.push(used[k + 2]! - at);
    // As far as the gap leaves room (a box's middle line: as far as the box's half, the end stays on it).
    let width = laneWidth(layout, upright, at);
    if (!Number.isFinite(width)) width = Math.min(upright ? a.w : a.h, upright ? b.w : b.h);
    const most = Math.min(FARTHEST, width / 2 - EDGE);
    // A gap too narrow for lanes a thick line apart takes thin ones half as far apart (the
    // control plane's wires, 1 wide, down the gap between two services).
    const step = most >= SPACING ? SPACING : SPACING / 2;
    // The nearest free lane where the moved stretch and its neighbours still cross nothing the
    // line may not, an end stays on its box's edge and the line still `fits`; else the middle.
    const free = (o: number): boolean => taken.every((t) => Math.abs(t - o) > step / 2);
    let offset = 0;
    if (!free(0))
      for (let n = 1; Math.ceil(n / 2) * step <= most; n++) {
        const o = (n % 2 ? 1 : -1) * Math.ceil(n / 2) * step;
        if (!free(o)) continue;
        const [dx, dy] = upright ? [o, 0] : [0, o];
        const s = { x: out[i - 1]!.x + dx, y: out[i - 1]!.y + dy };
        const t = { x: out[i]!.x + dx, y: out[i]!.y + dy };
        const before = i > 1 ? out[i - 2]! : null;
        const after = i + 1 < out.length ? out[i + 1]! : null;
        const onEnds = (before || on(a, s)) && (after || on(b, t));
        if (
          onEnds &&
          !blocked(layout, a, b, s, t) &&
          (!before || !blocked(layout, a, b, before, s)) &&
          (!after || !blocked(layout, a, b, t, after)) &&
          fits([...out.slice(0, i - 1), s, t, ...out.slice(i + 1)])
        ) {
          out[i - 1] = s;
          out[i] = t;
          offset = o;
          break;
        }
      }
    used.push(lo, hi, at + offset);
  }
  return out;
}
