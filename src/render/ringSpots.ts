/**
 * Where the rings go (ringLayer.ts draws them): around the current step's nodes, the selected
 * node and compare mode's difference, each kept off its card's writing — below the title's
 * letters and above the chip strip.
 */
import type { NodeId } from '../player/index.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';

/**
 * How far below a pod card's top its title's ink ends, and a little air: the title is written 4
 * px down in 12 px bold, its letters end ~15 px down; the boxes under it start 20 px down.
 */
const TITLE_INK = 17.5;

/** A step's ring (and compare mode's difference ring): drawn `pad` units outside its box, `width` wide. */
export const STEP_RING = { pad: 4, width: 3 } as const;
/** How far a step's ring reaches past its box, its line's outer half included, in world units. */
export const STEP_RING_REACH = STEP_RING.pad + STEP_RING.width / 2;

/** A ring: the rectangle its line runs along, what it rings for, the line's width and its corners' radius. */
export interface RingDrawn extends Box {
  kind: 'step' | 'selected' | 'differs';
  width: number;
  radius: number;
}

/**
 * The rectangle of a ring `pad` outside box `b`, drawn `width` wide — but in a pod's card the
 * ring's top keeps below the title's letters (a ring 4 px over reviews-1's sidecar ran through
 * the bottom of "reviews-1") and its bottom above the card's chip strip ("config v1 ✓", "ready").
 */
export function ringRect(layout: Pick<Layout, 'pods'>, b: Box, pad: number, width: number): Box {
  let top = pad;
  let bottom = pad;
  for (const p of layout.pods)
    if (p.title && b.x >= p.x && b.x + b.w <= p.x + p.w && b.y >= p.y && b.y + b.h <= p.y + p.h) {
      top = Math.min(pad, Math.max(0, b.y - p.y - TITLE_INK - width / 2));
      const c = p.chips;
      if (c.w > 0 && c.y >= b.y + b.h && c.x < b.x + b.w + pad && b.x - pad < c.x + c.w)
        bottom = Math.min(pad, Math.max(0, c.y - (b.y + b.h) - width / 2 - 0.5));
    }
  return { x: b.x - pad, y: b.y - top, w: b.w + 2 * pad, h: b.h + bottom + top };
}

/**
 * The rings to draw. The difference ring runs where a step ring would: one ring, dashed over the
 * step's ring when it rings the same box (the double ring 9 and 13 px out stacked three rings
 * around a sidecar and ran through its card's title and chips).
 */
export function ringsOf(layout: Pick<Layout, 'pods' | 'nodes'>, stepNodes: readonly NodeId[], selected: NodeId | null, differs: NodeId | null): RingDrawn[] {
  const out: RingDrawn[] = [];
  for (const id of stepNodes) {
    const b = layout.nodes.get(id);
    if (b) out.push({ kind: 'step', width: STEP_RING.width, radius: 8, ...ringRect(layout, b, STEP_RING.pad, STEP_RING.width) });
  }
  const s = selected ? layout.nodes.get(selected) : undefined;
  if (s) out.push({ kind: 'selected', width: 3, radius: 10, ...ringRect(layout, s, 7, 3) });
  const d = differs ? layout.nodes.get(differs) : undefined;
  if (d) out.push({ kind: 'differs', width: STEP_RING.width, radius: 8, ...ringRect(layout, d, STEP_RING.pad, STEP_RING.width) });
  return out;
}
