/**
 * Rings around what the current step points at (its nodes, in the highlight colour), around
 * the node the learner selected, and — in compare mode — around the node where this pane just
 * did what another pane did not (a double ring, in the difference colour).
 */
import { Graphics } from 'pixi.js';
import type { NodeId } from '../player/index.ts';
import type { Layout } from './layoutTypes.ts';
import { COLOURS } from './palette.ts';

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
      if (b) g.roundRect(b.x - 4, b.y - 4, b.w + 8, b.h + 8, 8).stroke({ width: 3, color: COLOURS.highlight });
    }
    const s = selected ? layout.nodes.get(selected) : undefined;
    if (s) g.roundRect(s.x - 7, s.y - 7, s.w + 14, s.h + 14, 10).stroke({ width: 3, color: COLOURS.selected });
    const d = differs ? layout.nodes.get(differs) : undefined;
    if (d) {
      g.roundRect(d.x - 9, d.y - 9, d.w + 18, d.h + 18, 11).stroke({ width: 2, color: COLOURS.differs });
      g.roundRect(d.x - 13, d.y - 13, d.w + 26, d.h + 26, 13).stroke({ width: 2, color: COLOURS.differs });
    }
  }
}
