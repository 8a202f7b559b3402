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

/**
 * The picture's bounds and the rings any of its boxes may get as a step's node, in world units: a
 * dense layout's bounds keep 2 units around what is drawn (layoutTypes.ts' boundsPad), a ring
 * reaches 5.5 past its box. Compare panes frame and follow these (framing.ts, follow.ts), not the
 * bare bounds: flush with a pane's edge, api.partner.com's ring was cut by Istio's pane in
 * egress-control at 3 s. Only a box at the picture's edge widens it (a cluster's frame around the
 * boxes takes none: config-push's panes keep their size, and reviews-1's list its free spot).
 */
export function ringedBounds(layout: Pick<Layout, 'bounds' | 'nodes'>): Box {
  const known = ringed.get(layout);
  if (known) return known;
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
  const out = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  ringed.set(layout, out);
  return out;
}
/** {@link ringedBounds} of each layout asked (a compare pane asks at every step it follows). */
const ringed = new WeakMap<Pick<Layout, 'bounds' | 'nodes'>, Box>();

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
