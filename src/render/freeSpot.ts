/**
 * Where a box of words (a badge list, a link's tag) goes: of the spots its layer offers, in order
 * of preference, the first that covers nothing written on the picture, else the one that covers
 * least — the words drawn (box captions, pod titles as wide as their text, state chips, service
 * headers with their counters, the cluster's, bands' and control plane's titles), lightly other
 * pods' cards, what the layer placed already, and the space off the drawing.
 */
import { requestTargets, type Trace } from '../player/index.ts';
import type { Box } from './geometry.ts';
import { COMPACT_HEADER_H, FONT, STRIP_CAPTION_X, stripCaptionY, type Layout, type NodeBox, type PodCard } from './layoutTypes.ts';
import { textWidth } from './textMetrics.ts';

/** The widest a card's state chip right of its title gets ("renew failed" and its padding). */
export const STATUS_W = Math.ceil(textWidth('renew failed', FONT.text)) + 10;
/** A service header's counter line at its widest ("✓ 999 ok · ✕ 999 failed"). */
export const COUNTER_W = Math.ceil(textWidth('✓ 999 ok · ✕ 999 failed', FONT.text));
/** A counter line at its narrowest ("✓ 0 ok · ✕ 0 failed"; before any request ends it reads "no request finished yet", wider): always written. */
const COUNTER_MIN_W = Math.floor(textWidth('✓ 0 ok · ✕ 0 failed', FONT.text));

/** Something a box of words keeps off, and how much covering it costs per unit of area. */
export interface Obstacle {
  box: Box;
  weight: number;
  /** Set for a pod's card itself (its area, not its words). */
  card?: PodCard;
  /** The words in `box`, when it is more than its words (a box: its caption). */
  words?: Box;
  /** Set where `box` is room kept for words rather than the words (a counter line at its widest, a title's row): more than is written now. */
  room?: true;
}

/** A pod's title as written (sceneStatic.ts, 8 in from its card's side), with 2 to spare each way. */
export const titleWords = (p: PodCard): Box => ({ x: p.x + 6, y: p.y + 2, w: Math.ceil(textWidth(p.title, FONT.title, true)) + 6, h: 18 });

/** The room kept for a pod's state chip right of its title, when it has one. */
export const statusRoom = (p: PodCard): Box | null => (p.status ? { x: p.status.x - STATUS_W, y: p.status.y, w: STATUS_W, h: 16 } : null);

export function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The services a request names, whose header has a counter line (as sceneStatic.ts draws it: a
 * caller, or a service reached only through a gateway, has none).
 */
export function countedServices(trace: Trace): Set<string> {
  // From the trace's columns (requestTargets): a long run's events read as views cost ~0.1 s.
  return new Set([...requestTargets(trace)].map((to) => to.split('.')[0]!));
}

/**
 * What is written on the picture, in world coordinates, and the pods' cards (weighing `cardWeight`).
 * `counted`: the services whose header has a counter line (all of them when not told).
 */
export function wordObstacles(layout: Layout, cardWeight: number, counted: ReadonlySet<string> | null = null): Obstacle[] {
  const out: Obstacle[] = [];
  for (const b of layout.boxes) out.push({ box: b, weight: 1, words: captionOf(b) });
  for (const p of layout.pods) {
    out.push({ box: titleWords(p), weight: 1 });
    const room = statusRoom(p);
    if (room) out.push({ box: room, weight: 1 });
    out.push({ box: p.chips, weight: 1 });
    out.push({ box: p, weight: cardWeight, card: p });
  }
  for (const t of serviceTitles(layout)) out.push({ box: t.box, weight: 1 });
  if (!layout.compactHeaders)
    for (const s of layout.services)
      if (!counted || counted.has(s.label)) {
        // Its words, 6 in from the region's edge (sceneStatic.ts), as far as they always reach, then
        // the room kept for more digits: retry-storm in compare, 2.75–5 s, api-0's "↻ retry 1 of 2 ×4"
        // list over "✓ 20 ok · ✕ 0 failed" was weighed as over room alone, and kept.
        const w = Math.min(s.w, COUNTER_W + 12);
        const written = Math.min(w, 6 + COUNTER_MIN_W);
        out.push({ box: { x: s.x, y: s.y + 19, w: written, h: 15 }, weight: 1 });
        out.push({ box: { x: s.x + written, y: s.y + 19, w: w - written, h: 15 }, weight: 1, room: true });
      }
  const { cluster, controlPlane } = layout;
  // Titles kept room for as a whole row, or 190 units, however long their words.
  out.push({ box: { x: cluster.x, y: cluster.y, w: Math.min(cluster.w, 190), h: 24 }, weight: 1, room: true });
  for (const b of layout.bands) out.push({ box: { x: b.x, y: b.y, w: Math.min(b.w, 190), h: 18 }, weight: 1, room: true });
  if (controlPlane) out.push({ box: { x: controlPlane.x, y: controlPlane.y, w: controlPlane.w, h: 24 }, weight: 1, room: true });
  return out;
}

/** Each service's title as written (`service <name>`, or its name alone over a compact card), the region it heads and its name. */
export function serviceTitles(layout: Layout): { box: Box; region: Box; service: string }[] {
  return layout.services.map((s) => {
    // The words as sceneStatic.ts writes them, 6 in from the region's left edge.
    const box = layout.compactHeaders
      ? { x: s.x + 6, y: s.y, w: Math.min(s.w - 6, textWidth(s.label, FONT.title, true) + 1), h: COMPACT_HEADER_H }
      : { x: s.x + 6, y: s.y, w: Math.min(s.w - 6, textWidth(`service ${s.label}`, FONT.title, true) + 1), h: 19 };
    return { box, region: s, service: s.label };
  });
}

/**
 * The words of a box: its caption, centred in it (bold in a standalone proxy's or the control
 * plane's; a node proxy's strip at its left), as sceneStatic.ts writes it.
 */
export function captionOf(b: NodeBox): Box {
  const bold = b.role === 'control-plane' || b.role === 'gateway' || b.role === 'waypoint' || b.role === 'node-proxy';
  const w = Math.min(b.w, Math.ceil(textWidth(b.caption, FONT.text, bold)) + 4);
  const x = b.role === 'node-proxy' ? b.x + STRIP_CAPTION_X - 2 : b.x + (b.w - w) / 2;
  return { x, y: (b.role === 'node-proxy' ? stripCaptionY(b) : b.y + b.h / 2) - 8, w, h: 16 };
}

/** Whether `rect` covers words (of an obstacle that is not a pod's card) or a box in `taken`. */
export function coversWords(rect: Box, obstacles: readonly Obstacle[], taken: readonly Box[]): boolean {
  return obstacles.some((o) => o.card === undefined && overlap(rect, o.words ?? o.box) > 1) || taken.some((t) => overlap(rect, t) > 1);
}

/**
 * The first of `spots` (top-left corners of a `w` × `h` box) that covers nothing, else the one
 * that covers least (a later spot pays a little for being later). `own`: the card the box belongs
 * to (covering it is fine); `taken`: boxes placed already (covering them costs four times as much);
 * `frame`: a box the spot should keep inside (the cluster's, for a box in the cluster) — leaving it
 * costs half as much as covering words (a list over the frame's line is still read whole).
 */
export function bestSpot<S extends { x: number; y: number }>(
  spots: readonly S[],
  w: number,
  h: number,
  obstacles: readonly Obstacle[],
  taken: readonly Box[],
  bounds: Box,
  own: PodCard | null = null,
  frame: Box | null = null,
): S {
  let best: S | null = null;
  let bestCost = Infinity;
  for (const [i, s] of spots.entries()) {
    const rect = { x: s.x, y: s.y, w, h };
    let cost = 0;
    for (const o of obstacles) if (o.card === undefined || o.card !== own) cost += o.weight * overlap(rect, o.box);
    for (const t of taken) cost += 4 * overlap(rect, t);
    // Off the drawing is off the fitted picture.
    cost += 10 * (w * h - overlap(rect, bounds));
    if (frame) cost += 0.5 * (w * h - overlap(rect, frame));
    if (cost < 1) return s;
    cost += i;
    if (cost < bestCost) {
      bestCost = cost;
      best = s;
    }
  }
  return best!;
}
