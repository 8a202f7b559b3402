/**
 * Rings around what the current step points at (its nodes, in the highlight colour) and around
 * the node the learner selected.
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

  draw(layout: Layout, stepNodes: readonly NodeId[], selected: NodeId | null): void {
    const key = `${stepNodes.join(',')}|${selected}`;
    if (key === this.key) return;
    this.key = key;
    const g = this.root.clear();
    for (const id of stepNodes) {
      const b = layout.nodes.get(id);
      if (b) g.roundRect(b.x - 4, b.y - 4, b.w + 8, b.h + 8, 8).stroke({ width: 3, color: COLOURS.highlight });
    }
    const s = selected ? layout.nodes.get(selected) : undefined;
    if (s) g.roundRect(s.x - 7, s.y - 7, s.w + 14, s.h + 14, 10).stroke({ width: 3, color: COLOURS.selected });
  }
}
