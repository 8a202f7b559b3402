/**
 * Rings around what the current step points at (its nodes, in the highlight colour), around
 * the node the learner selected, and — in compare mode — around the node where this pane just
 * did what another pane did not (a double ring, in the difference colour).
 */
import { Graphics } from 'pixi.js';
import type { NodeId } from '../player/index.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import { COLOURS } from './palette.ts';

/**
 * How far below a pod card's top its title's ink ends, and a little air: the title is written 4
 * px down in 12 px bold, its letters end ~15 px down; the boxes under it start 20 px down.
 */
const TITLE_INK = 17.5;

/**
 * The rectangle of a ring `pad` outside box `b`, drawn `width` wide — but over its card's title
 * the ring's top keeps below the title's letters (a ring 4 px over reviews-1's sidecar ran
 * through the bottom of "reviews-1").
 */
function ringRect(layout: Pick<Layout, 'pods'>, b: Box, pad: number, width: number): Box {
  let top = pad;
  for (const p of layout.pods)
    if (p.title && b.x >= p.x && b.x + b.w <= p.x + p.w && b.y >= p.y && b.y + b.h <= p.y + p.h)
      top = Math.min(pad, Math.max(0, b.y - p.y - TITLE_INK - width / 2));
  return { x: b.x - pad, y: b.y - top, w: b.w + 2 * pad, h: b.h + pad + top };
}

export class RingLayer {
  /** Kept across layouts: only its drawing is redone. */
  readonly root = new Graphics();
  private key = '';

  /** Forgets what was drawn (a new layout). */
  reset(): void {
    this.key = '';
  }

  draw(layout: Layout, stepNodes: readonly NodeId[], selected: NodeId | null, differs: NodeId | null = null): void {
    const key = `${stepNodes.join(',')}|${selected}|${differs}`;
    if (key === this.key) return;
    this.key = key;
    const g = this.root.clear();
    for (const id of stepNodes) {
      const b = layout.nodes.get(id);
      if (!b) continue;
      const r = ringRect(layout, b, 4, 3);
      g.roundRect(r.x, r.y, r.w, r.h, 8).stroke({ width: 3, color: COLOURS.highlight });
    }
    const s = selected ? layout.nodes.get(selected) : undefined;
    if (s) {
      const r = ringRect(layout, s, 7, 3);
      g.roundRect(r.x, r.y, r.w, r.h, 10).stroke({ width: 3, color: COLOURS.selected });
    }
    const d = differs ? layout.nodes.get(differs) : undefined;
    if (d) {
      g.roundRect(d.x - 9, d.y - 9, d.w + 18, d.h + 18, 11).stroke({ width: 2, color: COLOURS.differs });
      g.roundRect(d.x - 13, d.y - 13, d.w + 26, d.h + 26, 13).stroke({ width: 2, color: COLOURS.differs });
    }
  }
}
