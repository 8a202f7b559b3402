/**
 * The path a link's packets take (packetLayer.ts): from one box to the other, kept right of the
 * direction of travel, with what the packet layer reads per packet each frame worked out once per
 * link — its length and direction, where it runs under a box, and where packets with no room on
 * it wait (queueSpots.ts). A link that bends around boxes (linkRoute.ts) is a polyline: a table of
 * its corners and how far along each lies, so a packet's place is one short look-up per frame.
 */
import type { NodeId } from '../player/index.ts';
import { FONT, anchors, type Box, type Layout, type NodeBox } from './layout.ts';
import { across } from './geometry.ts';
import { linkLine, type Point } from './linkEnds.ts';
import { textWidth } from './textMetrics.ts';
import { BESIDE_DEEP, besideSpots, hopSpots } from './queueSpots.ts';
import { captionOf, statusRoom, titleWords } from './freeSpot.ts';
import { CELL, KEEP_RIGHT, PACKET_R, SHAPE_R, SHORT_LINK, packetTrack } from './packetTrack.ts';

export { PACKET_R, SHAPE_R };

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
  /** Where packets with no room on the path wait beside its start (queueSpots.ts; a short hop's: beside it, hopSpots, along in half packets): (along, aside) pairs. */
  beside: Int8Array;
  /** How many spots {@link beside} has. */
  seats: number;
  /**
   * Past the spots, packets wait beside the path further along: from `pastFrom` packets along, on
   * `pastSpan` places one after the other (both whole numbers).
   */
  pastFrom: number;
  pastSpan: number;
  /**
   * A bent path's points after its start, in threes (x, y, how far along from the start), kept
   * right as the rest; null for a straight path (then `ax, ay` + f·`dx, dy`).
   */
  bends: Float64Array | null;
}

/** How far apart packets queued on one link (or beside a short hop) are drawn: a whole packet and a little. */
export const QUEUE_GAP = CELL + 2;
/** How far past a short hop's end a packet may stand and still clear the box's caption: its reach less its shape's radius ({@link pastCaption}). */
export const HOP_SLACK = PACKET_R + 1 - SHAPE_R;

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
  const line = linkLine(layout, a, b).points;
  if (line.length > 2) return bentPath(line, still, a, b);
  let start = line[0]!;
  let end = line[1]!;
  // An app and its own sidecar sit side by side: cross both boxes so the hop shows — from
  // just past the caption in one box to just short of it in the other, so a packet (and the
  // ones queued behind it) leaves the boxes' captions readable. Only they: between two ztunnel
  // strips 29 apart the packets flew backwards, from inside the far strip, on its title
  // ("z●nel on node-2", authorization under ambient at 2.5 s).
  const short = a.node.pod !== undefined && a.node.pod === b.node.pod && Math.hypot(end.x - start.x, end.y - start.y) < SHORT_LINK;
  if (short) {
    start = pastCaption(a, ca, cb);
    end = pastCaption(b, cb, ca);
  }
  const len = Math.hypot(end.x - start.x, end.y - start.y) || 1;
  const ux = (end.x - start.x) / len;
  const uy = (end.y - start.y) / len;
  // Between pods, a packet leaves and reaches a box just outside its edge: at the edge it
  // would cover the box's caption (a small box: the control plane's, a CSR arriving at istiod);
  // and it keeps right, shifted perpendicular to the direction of travel (packetTrack.ts).
  const [s, e] = short
    ? [
        { x: start.x - uy * KEEP_RIGHT, y: start.y + ux * KEEP_RIGHT },
        { x: end.x - uy * KEEP_RIGHT, y: end.y + ux * KEEP_RIGHT },
      ]
    : packetTrack([start, end]);
  const ax = s!.x;
  const ay = s!.y;
  const dx = e!.x - s!.x;
  const dy = e!.y - s!.y;
  const under: number[] = [];
  if (!short)
    for (const box of layout.boxes) {
      if (box === a || box === b) continue;
      const f = across(box, ax, ay, dx, dy);
      if (f) under.push(f[0], f[1]);
    }
  const length = Math.hypot(dx, dy);
  const places = Math.floor(length / QUEUE_GAP);
  const beside = short ? hopBeside(layout, a, b, ax, ay, ux, uy, length) : besideSpots(ax, ay, ux, uy, QUEUE_GAP, SHAPE_R, still, [a, b]);
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
    bends: null,
  };
}

/**
 * Where packets wait beside short hop `a` → `b` from (ax, ay), `length` long, once it is full
 * (queueSpots.ts): off its card's title, chips and the boxes' captions (circuit-breaking-pool under
 * Linkerd at 1.5 s: the third GET from httpbin-0's sidecar stood above the first, its ring on "httpbin-0").
 */
function hopBeside(layout: Layout, a: NodeBox, b: NodeBox, ax: number, ay: number, ux: number, uy: number, length: number): Int8Array {
  const card = layout.pods.find((p) => p.app === a.node.id || p.proxy === a.node.id);
  if (!card) return new Int8Array(0);
  const words = [card.chips, titleWords(card), captionOf(a), captionOf(b)];
  const room = statusRoom(card);
  return hopSpots(ax, ay, ux, uy, Math.floor(length / QUEUE_GAP) + 1, QUEUE_GAP, SHAPE_R, words, room ? [room] : [], card);
}

/**
 * The path along a line that bends around boxes (`line`, from `a` to `b`): each point moved right
 * of the direction of travel (a corner by both its stretches' sideways shifts), the ends a packet's
 * radius inside the line (no more than half the first and last stretch), and the table of how far
 * along each corner lies. It crosses no box (linkRoute.ts): nothing of it runs under one.
 */
function bentPath(line: readonly Point[], still: readonly Box[], a: NodeBox, b: NodeBox): Path {
  const shifted = packetTrack(line);
  const bends = new Float64Array(3 * (shifted.length - 1));
  let along = 0;
  for (let i = 1; i < shifted.length; i++) {
    along += Math.hypot(shifted[i]!.x - shifted[i - 1]!.x, shifted[i]!.y - shifted[i - 1]!.y);
    bends[3 * (i - 1)] = shifted[i]!.x;
    bends[3 * (i - 1) + 1] = shifted[i]!.y;
    bends[3 * (i - 1) + 2] = along;
  }
  const start = shifted[0]!;
  const end = shifted[shifted.length - 1]!;
  const l0 = Math.hypot(shifted[1]!.x - shifted[0]!.x, shifted[1]!.y - shifted[0]!.y) || 1;
  const first = { x: (shifted[1]!.x - shifted[0]!.x) / l0, y: (shifted[1]!.y - shifted[0]!.y) / l0 };
  const len = along || 1;
  const places = Math.floor(len / QUEUE_GAP);
  const beside = besideSpots(start.x, start.y, first.x, first.y, QUEUE_GAP, SHAPE_R, still, [a, b]);
  return {
    ax: start.x,
    ay: start.y,
    dx: end.x - start.x,
    dy: end.y - start.y,
    ux: first.x,
    uy: first.y,
    short: false,
    under: [],
    len,
    beside,
    seats: beside.length / 2,
    pastFrom: Math.min(BESIDE_DEEP, places),
    pastSpan: Math.max(1, places - BESIDE_DEEP + 1),
    bends,
  };
}

/**
 * Where a packet `d` along bent path `p` stands, `aside` to the right of its stretch there (a
 * stretch's left for negative), written into `out` (x, y): no allocation per packet per frame.
 * Before the start it stands on the first stretch's line back, past the end on the last's.
 */
export function placeOnBent(p: Path, d: number, aside: number, out: Float64Array): void {
  const t = p.bends!;
  let x0 = p.ax;
  let y0 = p.ay;
  let at = 0;
  let i = 0;
  // The stretch `d` falls on: the last one whose end is not before it.
  while (i + 3 < t.length && t[i + 2]! < d) {
    x0 = t[i]!;
    y0 = t[i + 1]!;
    at = t[i + 2]!;
    i += 3;
  }
  const l = t[i + 2]! - at || 1;
  const ux = (t[i]! - x0) / l;
  const uy = (t[i + 1]! - y0) / l;
  out[0] = x0 + ux * (d - at) - uy * aside;
  out[1] = y0 + uy * (d - at) + ux * aside;
}
