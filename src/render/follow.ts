/**
 * Following the step in a compare pane (framing.ts's {@link Framing.follow}): the pan that brings
 * the step's boxes into view, its edges off the cards and boxes it shows. Loaded when a page first
 * shows two panes or more (loadFollow), so a single pane's first play does not carry it.
 */
import type { NodeId } from '../player/index.ts';
import type { Camera } from './camera.ts';
import type { Box, Layout } from './layout.ts';
import { STEP_RING_REACH } from './ringSpots.ts';

/** Room kept between the step's nodes and the canvas's edge when following them, CSS px. */
const FOLLOW_MARGIN_PX = 16;
/** How far past the view's edge a piece left out of view goes where it can, CSS px: its frame's stroke (≤ 2.5 units, half outside its box) and antialiasing too. */
const OUTSIDE_PX = 2;
/**
 * The picture's edge left out by at most this, CSS px, leaves out only its frames' room and lines
 * (a dense layout's cluster and band padding and bounds, 14 units, past its last strip or card),
 * under a "more" tab that shows nothing else (ambient-waypoint-l7's ambient pane at 5.3 s, its
 * strips two lines tall: the cluster's bottom line 5 px under the pane's edge).
 */
const EDGE_NEAR_PX = 20;

/**
 * The picture's bounds and the rings any of its boxes may get as a step's node, in world units: a
 * dense layout's bounds keep 2 units around what is drawn (layoutTypes.ts' boundsPad), a ring
 * reaches 5.5 past its box. Compare panes frame and follow these (framing.ts, followNodes), not the
 * bare bounds: flush with a pane's edge, api.partner.com's ring was cut by Istio's pane in
 * egress-control at 3 s. Only a box at the picture's edge widens it (a cluster's frame around the
 * boxes takes none: config-push's panes keep their size, and reviews-1's list its free spot).
 */
export function ringedBounds(layout: Pick<Layout, 'bounds' | 'nodes'>): Box {
  const b = layout.bounds;
  let x0 = b.x;
  let y0 = b.y;
  let x1 = b.x + b.w;
  let y1 = b.y + b.h;
  for (const n of layout.nodes.values()) {
    x0 = Math.min(x0, n.x - STEP_RING_REACH);
    y0 = Math.min(y0, n.y - STEP_RING_REACH);
    x1 = Math.max(x1, n.x + n.w + STEP_RING_REACH);
    y1 = Math.max(y1, n.y + n.h + STEP_RING_REACH);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * When the boxes of `nodes` are not all in view, pans (keeping the zoom) to centre them, the
 * picture's edge never further in than the canvas's. With `settleInView`, when they are in view
 * the pan still moves, as little as it can, off the cards and boxes the view's edges cut (the
 * first view of a pane: framed from its top left, retry-storm's compare panes cut db-1 across the
 * bottom edge). Returns whether the camera moved.
 */
export function followNodes(
  camera: Camera,
  screen: { width: number; height: number },
  layout: Layout,
  nodes: readonly NodeId[],
  settleInView = false,
): boolean {
  if (!nodes.length) return false;
  const { width, height } = screen;
  const zoom = camera.zoom;
  // The whole picture is in view: nothing to follow.
  if (layout.bounds.w * zoom <= width + 1 && layout.bounds.h * zoom <= height + 1) return false;
  // The picture with room for a step's ring at its edge: the pans below stop there, not flush with a box.
  const b = ringedBounds(layout);
  const m = FOLLOW_MARGIN_PX;
  const centre = camera.toWorld(width / 2, height / 2);
  // A box longer than the view along a side (a node proxy's strip) is in view wherever it
  // crosses it: along that side only its point nearest the view's centre counts.
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const boxes = nodes.flatMap((n) => {
    const x = layout.nodes.get(n);
    if (!x) return [];
    const long = { w: x.w * zoom > width - 2 * m, h: x.h * zoom > height - 2 * m };
    return [
      {
        x: long.w ? clamp(centre.x, x.x, x.x + x.w) : x.x,
        y: long.h ? clamp(centre.y, x.y, x.y + x.h) : x.y,
        w: long.w ? 0 : x.w,
        h: long.h ? 0 : x.h,
      },
    ];
  });
  if (!boxes.length) return false;
  const x0 = Math.min(...boxes.map((x) => x.x));
  const y0 = Math.min(...boxes.map((x) => x.y));
  const union: Box = { x: x0, y: y0, w: Math.max(...boxes.map((x) => x.x + x.w)) - x0, h: Math.max(...boxes.map((x) => x.y + x.h)) - y0 };
  // Nodes too far apart to show together: the step's first (what it is about) is framed.
  const target = union.w * zoom <= width - 2 * m && union.h * zoom <= height - 2 * m ? union : boxes[0]!;
  const tl = camera.toScreen(target.x, target.y);
  const inView = tl.x >= m && tl.y >= m && tl.x + target.w * zoom <= width - m && tl.y + target.h * zoom <= height - m;
  if (inView && !settleInView) return false;
  const now = camera.toScreen(0, 0);
  // Centre the nodes (in view, settling: from where the view stands), then keep the picture's edges at or past the canvas's along a side it overflows.
  const along = (room: number, start: number, size: number, at: number, span: number): number => {
    if (size * zoom <= room) return (room - size * zoom) / 2 - start * zoom;
    const centred = room / 2 - (at + span / 2) * zoom;
    return Math.min(-start * zoom, Math.max(room - (start + size) * zoom, centred));
  };
  // Then an edge of the view that cuts a card or a box moves off it, if the step stays in view.
  const pieces = piecesOf(layout);
  const px = settle(
    inView ? now.x : along(width, b.x, b.w, target.x, target.w),
    width,
    zoom,
    m,
    b.x,
    b.w,
    target.x,
    target.w,
    pieces,
    'x',
    viewAlong(camera, height, zoom, 'y'),
  );
  const py = settle(inView ? now.y : along(height, b.y, b.h, target.y, target.h), height, zoom, m, b.y, b.h, target.y, target.h, pieces, 'y', {
    lo: -px / zoom,
    hi: (width - px) / zoom,
  });
  if (px === now.x && py === now.y) return false;
  camera.panTo(px, py);
  return true;
}

/** The world range the view shows along `axis` as the camera stands. */
function viewAlong(camera: Camera, room: number, zoom: number, axis: 'x' | 'y'): { lo: number; hi: number } {
  const lo = -camera.toScreen(0, 0)[axis] / zoom;
  return { lo, hi: lo + room / zoom };
}

/** What the view should not cut in two: the pods' cards, the boxes in none (gateways, waypoints, strips), the control plane. */
function piecesOf(layout: Layout): Box[] {
  const inCard = (x: Box): boolean => layout.pods.some((p) => x.x >= p.x && x.y >= p.y && x.x + x.w <= p.x + p.w && x.y + x.h <= p.y + p.h);
  const cp = layout.controlPlane;
  const inPlane = (x: Box): boolean => cp !== null && x.x >= cp.x && x.y >= cp.y && x.x + x.w <= cp.x + cp.w && x.y + x.h <= cp.y + cp.h;
  return [...layout.pods, ...layout.boxes.filter((x) => !inCard(x) && !inPlane(x)), ...(cp ? [cp] : [])];
}

/**
 * The pan along `axis` (screen offset of the world's origin) nearest `at` at which the view cuts
 * the fewest `pieces` across its edges — of those the view shows along the other axis (`across`),
 * shorter than the view — keeping the step's span (`start`, `size`) `m` px inside the view and the
 * picture (`from`, `span`), where it is longer than the view, at most `m` px in from the view's
 * edges (the control plane's bottom 5 px at the top of ambient-waypoint-l7's ambient pane).
 */
function settle(
  at: number,
  room: number,
  zoom: number,
  m: number,
  from: number,
  span: number,
  start: number,
  size: number,
  pieces: readonly Box[],
  axis: 'x' | 'y',
  across: { lo: number; hi: number },
): number {
  const other = axis === 'x' ? 'y' : 'x';
  const len = axis === 'x' ? 'w' : 'h';
  const otherLen = axis === 'x' ? 'h' : 'w';
  const shown = pieces
    .filter((p) => p[other] < across.hi && p[other] + p[otherLen] > across.lo && p[len] * zoom <= room - 2 * m)
    .map((p) => ({ lo: p[axis], hi: p[axis] + p[len] }));
  const ok = (off: number): boolean => {
    const s = off + start * zoom;
    if (s < m - 0.5 || s + size * zoom > room - m + 0.5) return false;
    return span * zoom <= room || (off <= -from * zoom + m && off >= room - (from + span) * zoom - m);
  };
  // The pieces cut across an edge; a tenth for each left out flush with an edge, its frame's
  // stroke (drawn half outside its box) showing as a line along it (the control plane's orange
  // line along the top of retry-storm's Istio pane, under its "▴ more" tab); a tenth for the
  // picture's edge left out by a little (EDGE_NEAR_PX).
  const cuts = (off: number): number => {
    const lo = -off / zoom;
    const hi = lo + room / zoom;
    const out = OUTSIDE_PX / zoom;
    const near = EDGE_NEAR_PX / zoom;
    let n = (from < lo - 0.5 && from >= lo - near ? 0.1 : 0) + (from + span > hi + 0.5 && from + span <= hi + near ? 0.1 : 0);
    for (const p of shown) {
      if ((p.lo < lo - 0.5 && p.hi > lo + 0.5) || (p.lo < hi - 0.5 && p.hi > hi + 0.5)) n++;
      else if ((p.hi > lo - out && p.hi <= lo + 0.5) || (p.lo < hi + out && p.lo >= hi - 0.5)) n += 0.1;
    }
    return n;
  };
  // Each piece whole just inside either edge, or just outside it (flush, or its stroke too); the picture's edge at the view's.
  const offs = [at, -from * zoom, room - (from + span) * zoom];
  for (const p of shown)
    offs.push(m - p.lo * zoom, -p.hi * zoom, -p.hi * zoom - OUTSIDE_PX, room - m - p.hi * zoom, room - p.lo * zoom, room - p.lo * zoom + OUTSIDE_PX);
  let best = at;
  let bestCuts = cuts(at);
  for (const off of offs) {
    if (!ok(off)) continue;
    const n = cuts(off);
    if (n < bestCuts || (n === bestCuts && Math.abs(off - at) < Math.abs(best - at))) {
      best = off;
      bestCuts = n;
    }
  }
  return best;
}
