/**
 * The spots a badge list may take beside its box, in order of preference (badgeLayer.ts picks
 * one): beside a pod's card, or beside a lone box (a node proxy's strip, a gateway).
 */
import type { Box, PodCard } from './layout.ts';
import { STATUS_W, overlap, type Obstacle } from './freeSpot.ts';

/** Where a list goes: its top-left corner, whether its rows are right-aligned, whether it grows upwards. */
export interface ListSpot {
  x: number;
  y: number;
  right: boolean;
  up: boolean;
}

/** The cluster frame's line width: a list inside the frame keeps off it. */
export const FRAME_LINE = 3;

/** Left ends from `to` towards `from` (exclusive), 8 apart: a list slid left along a card's edge. */
function slid(from: number, to: number): number[] {
  const out: number[] = [];
  for (let x = to - 8; x >= from; x -= 8) out.push(x);
  return out;
}

/**
 * The spots for a `w` × `h` list of `rows` rows of `rowH` beside `box` (`card`: when the box is a
 * pod's card). `jut`: how far right a list may reach (past the box's right edge, not past the
 * canvas's); `frame`: the cluster's frame the box is in.
 */
export function listSpots(box: Box, card: PodCard | null, w: number, h: number, rows: number, rowH: number, jut: number, frame: Box | null): ListSpot[] {
  return card
    ? [
        // Over the card's title row, between the title and the state chip right of it, or
        // at the right end (the list grows upwards from there).
        ...(card.status ? [{ x: card.status.x - STATUS_W - 4 - w, y: box.y + 20 - rows * rowH, right: true, up: true }] : []),
        { x: box.x + box.w - 4 - w, y: box.y + 20 - rows * rowH, right: true, up: true },
        // Just above the card, right-aligned; then jutting past its right edge (a service's
        // title can leave too little room above a narrow card).
        { x: box.x + box.w - 4 - w, y: box.y - 1 - h, right: true, up: true },
        { x: jut - w, y: box.y + 20 - rows * rowH, right: true, up: true },
        { x: jut - w, y: box.y - 1 - h, right: true, up: true },
        // Beside the card, level with its title; then below it.
        { x: box.x + box.w + 4, y: box.y, right: false, up: false },
        { x: box.x - 4 - w, y: box.y, right: true, up: false },
        // Level with the title, right of the state chip, reaching past the card's right edge
        // (where the canvas ends too soon for a list beside the card).
        ...(card.status ? [{ x: card.status.x + 3, y: box.y + 20 - rows * rowH, right: false, up: true }] : []),
        { x: box.x + box.w - 4 - w, y: box.y + box.h + 3, right: true, up: false },
        // Below it, jutting past its right edge (the next service's title under a card stays readable).
        { x: jut - w, y: box.y + box.h + 3, right: true, up: false },
        // Just above or below the card, further left (a link's tag beside the card's right end).
        ...slid(box.x + 4, box.x + box.w - 4 - w).map((x) => ({ x, y: box.y - 1 - h, right: true, up: true })),
        ...slid(box.x + 4, box.x + box.w - 4 - w).map((x) => ({ x, y: box.y + box.h + 3, right: true, up: false })),
      ]
    : [
        // Above or below its left end, then its right end (a node proxy's strip spans its
        // Kubernetes node: the other end is as much its own), then beside it.
        // (1 px above it: a pod's chips end 18 px above its node's strip, a list is 17 tall.)
        { x: box.x, y: box.y - 1 - h, right: false, up: true },
        { x: box.x + box.w - w, y: box.y - 1 - h, right: true, up: true },
        // Above its right end, jutting past it, inside the cluster's frame (a waypoint's
        // "deployed at" above node-2's ztunnel; below it the frame ends).
        { x: Math.min(jut, frame ? frame.x + frame.w - 2 : jut) - w, y: box.y - 1 - h, right: true, up: true },
        { x: box.x, y: box.y + box.h + 3, right: false, up: false },
        { x: box.x + box.w - w, y: box.y + box.h + 3, right: true, up: false },
        // Below it, raised to keep off the cluster's bottom line, over the foot of its frame: a
        // strip's "⊘ denied" under it was written across that line (ambient-authz-fail-closed at 1.6 s).
        ...(frame && frame.y + frame.h - FRAME_LINE - h < box.y + box.h + 3 && frame.y + frame.h - FRAME_LINE - h >= box.y + box.h - FRAME_LINE
          ? [
              { x: box.x, y: frame.y + frame.h - FRAME_LINE - h, right: false, up: false },
              { x: box.x + box.w - w, y: frame.y + frame.h - FRAME_LINE - h, right: true, up: false },
            ]
          : []),
        { x: box.x + box.w + 4, y: box.y, right: false, up: false },
        { x: box.x - 4 - w, y: box.y, right: true, up: false },
      ];
}

/** How much of `rect` lies over words (of obstacles that are not a pod's card): those written, and the room kept for words at their widest. */
export function wordsUnder(rect: Box, obstacles: readonly Obstacle[]): { words: number; room: number } {
  let words = 0;
  let room = 0;
  for (const o of obstacles) {
    if (o.card !== undefined) continue;
    if (o.room) room += overlap(rect, o.box);
    else words += overlap(rect, o.words ?? o.box);
  }
  return { words, room };
}
