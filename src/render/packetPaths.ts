/**
 * The path a link's packets take (packetLayer.ts): from one box to the other, kept right of the
 * direction of travel, with what the packet layer reads per packet each frame worked out once per
 * link — its length and direction, where it runs under a box, and where packets with no room on
 * it wait (queueSpots.ts).
 */
import type { NodeId } from '../player/index.ts';
import { CELL } from './packetAtlas.ts';
import { FONT, anchors, type Box, type Layout, type NodeBox } from './layout.ts';
import { across } from './geometry.ts';
import { linkEnds } from './linkEnds.ts';
import { textWidth } from './textMetrics.ts';
import { BESIDE_DEEP, besideSpots } from './queueSpots.ts';

export interface Path {
  ax: number;
  ay: number;
  dx: number;
  dy: number;
  /** Unit vector along the path. */
  ux: number;
  uy: number;
  /** An app's hop to its own sidecar (or back): packets queue beside each other, not back into a caption. */
  short: boolean;
  /**
   * Where along the path (fractions of it, pairs from–to) it runs under a box that is neither of
   * its ends — an app between the control plane and its sidecar: a packet there is drawn under
   * it, as the line is, and the box's caption stays readable. Empty for most paths.
   */
  under: number[];
  /** The path's length (dx, dy), worked out once with the path, not per packet per frame. */
  len: number;
  /** Where packets with no room on the path wait beside its start (queueSpots.ts): (along, aside) pairs. */
  beside: Int8Array;
  /** How many spots {@link beside} has. */
  seats: number;
  /**
   * Past the spots, packets wait beside the path further along: from `pastFrom` packets along, on
   * `pastSpan` places one after the other (both whole numbers).
   */
  pastFrom: number;
  pastSpan: number;
}

/** How far a packet reaches from its centre: the current step's ring around it (scale 1.5). */
export const PACKET_R = CELL * 0.75;
/** A packet's own radius (its shape, without the ring). */
export const SHAPE_R = CELL / 2;
/** How far apart packets queued on one link (or beside a short hop) are drawn: a whole packet and a little. */
export const QUEUE_GAP = CELL + 2;

/**
 * The point of box `b` (its centre `c`) on the way towards `to`, just past its caption's words
 * (centred, {@link FONT.text}) — or the box's edge, if the caption leaves less room than a packet.
 */
function pastCaption(b: NodeBox, c: { x: number; y: number }, to: { x: number; y: number }): { x: number; y: number } {
  const sideways = Math.abs(to.x - c.x) >= Math.abs(to.y - c.y);
  const half = sideways ? textWidth(b.caption, FONT.text) / 2 : FONT.text * 0.65;
  const room = sideways ? b.w / 2 : b.h / 2;
  const d = Math.min(room, half + PACKET_R + 1);
  return sideways ? { x: c.x + Math.sign(to.x - c.x) * d, y: c.y } : { x: c.x, y: c.y + Math.sign(to.y - c.y) * d };
}

/** Whether fraction `f` of a path falls in one of its `under` spans. */
export function isUnder(under: readonly number[], f: number): boolean {
  for (let i = 0; i < under.length; i += 2) if (f >= under[i]! && f <= under[i + 1]!) return true;
  return false;
}

/** The path from `from` to `to` in `layout` (null if either is not drawn); `still`: what queued packets keep off. */
export function pathBetween(layout: Layout, still: readonly Box[], from: NodeId, to: NodeId): Path | null {
  const a = layout.nodes.get(from);
  const b = layout.nodes.get(to);
  if (!a || !b) return null;
  const [ca, cb] = anchors(a, b);
  let [start, end] = linkEnds(layout, a, b);
  // An app and its own sidecar sit side by side: cross both boxes so the hop shows — from
  // just past the caption in one box to just short of it in the other, so a packet (and the
  // ones queued behind it) leaves the boxes' captions readable.
  const short = Math.hypot(end.x - start.x, end.y - start.y) < 30;
  if (short) {
    start = pastCaption(a, ca, cb);
    end = pastCaption(b, cb, ca);
  }
  const len = Math.hypot(end.x - start.x, end.y - start.y) || 1;
  const ux = (end.x - start.x) / len;
  const uy = (end.y - start.y) / len;
  // Between pods, a packet leaves and reaches a box just outside its edge: at the edge it
  // would cover the box's caption (a small box: the control plane's, a CSR arriving at istiod).
  if (!short && len > 6 * SHAPE_R) {
    start = { x: start.x + ux * SHAPE_R, y: start.y + uy * SHAPE_R };
    end = { x: end.x - ux * SHAPE_R, y: end.y - uy * SHAPE_R };
  }
  // Keep right: shift perpendicular to the direction of travel.
  const ox = -uy * 5;
  const oy = ux * 5;
  const ax = start.x + ox;
  const ay = start.y + oy;
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const under: number[] = [];
  if (!short)
    for (const box of layout.boxes) {
      if (box === a || box === b) continue;
      const f = across(box, ax, ay, dx, dy);
      if (f) under.push(f[0], f[1]);
    }
  const beside = short ? new Int8Array(0) : besideSpots(ax, ay, ux, uy, QUEUE_GAP, SHAPE_R, still, [a, b]);
  const length = Math.hypot(dx, dy);
  const places = Math.floor(length / QUEUE_GAP);
  return {
    ax,
    ay,
    dx,
    dy,
    ux,
    uy,
    short,
    under,
    len: length,
    beside,
    seats: beside.length / 2,
    pastFrom: Math.min(BESIDE_DEEP, places),
    pastSpan: Math.max(1, places - BESIDE_DEEP + 1),
  };
}
