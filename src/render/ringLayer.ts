/**
 * Rings around what the current step points at (its nodes, in the highlight colour), around
 * the node the learner selected, and — in compare mode — around the node where this pane just
 * did what another pane did not (dashed, in the difference colour). Every ring keeps off its
 * card's writing: below the title's letters and above the chip strip.
 */
import { Graphics } from 'pixi.js';
import type { NodeId } from '../player/index.ts';
import type { Layout } from './layoutTypes.ts';
import { COLOURS } from './palette.ts';
import { ringsOf, type RingDrawn } from './ringSpots.ts';

/** Dash and gap along a dashed ring, world units. */
const DASH = 7;
const GAP = 5;

/** Strokes the dashes of rounded rectangle `r` (its corners drawn whole, its sides dashed). */
function dashedRoundRect(g: Graphics, r: RingDrawn, color: number): void {
  const k = Math.min(r.radius, r.w / 2, r.h / 2);
  const side = (x0: number, y0: number, x1: number, y1: number): void => {
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len <= 0) return;
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    // Dashes centred along the side, so the corners' arcs meet a gap or a dash alike on every side.
    const n = Math.max(1, Math.round((len + GAP) / (DASH + GAP)));
    const step = (len + GAP) / n;
    const dash = step - GAP;
    for (let i = 0; i < n; i++) {
      const a = i * step;
      g.moveTo(x0 + ux * a, y0 + uy * a).lineTo(x0 + ux * (a + dash), y0 + uy * (a + dash));
    }
  };
  const { x, y, w, h } = r;
  side(x + k, y, x + w - k, y);
  side(x + w, y + k, x + w, y + h - k);
  side(x + w - k, y + h, x + k, y + h);
  side(x, y + h - k, x, y + k);
  g.stroke({ width: r.width, color });
  // The corners, whole: the ring's shape reads as a ring.
  const corner = (cx: number, cy: number, from: number): void => {
    g.moveTo(cx + k * Math.cos(from), cy + k * Math.sin(from)).arc(cx, cy, k, from, from + Math.PI / 2);
  };
  corner(x + w - k, y + k, -Math.PI / 2);
  corner(x + w - k, y + h - k, 0);
  corner(x + k, y + h - k, Math.PI / 2);
  corner(x + k, y + k, Math.PI);
  g.stroke({ width: r.width, color });
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
    for (const r of ringsOf(layout, stepNodes, selected, differs)) {
      if (r.kind === 'differs') dashedRoundRect(g, r, COLOURS.differs);
      else g.roundRect(r.x, r.y, r.w, r.h, r.radius).stroke({ width: r.width, color: r.kind === 'step' ? COLOURS.highlight : COLOURS.selected });
    }
  }
}
