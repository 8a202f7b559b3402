/**
 * "More this way": where the picture goes on past the canvas's edge — a picture too big to show
 * whole at the 11 px text floor (a compare pane's ingress-gateway, retry-storm, a small window),
 * framed from its top left or following the current step — a small tab at the middle of that
 * edge says so (issue 12: a control plane cut at the canvas's top left a learner no cue that it
 * was there). Drawn on the stage, over the world, in CSS pixels; redrawn when the view moves.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { Box } from './geometry.ts';
import { COLOURS } from './palette.ts';
import { label } from './text.ts';

/** How far past an edge the picture must go (CSS px) for the tab to show: less is margin, not more picture. */
const PAST = 6;

type Side = 'top' | 'bottom' | 'left' | 'right';
const WORDS: Record<Side, string> = { top: '▴ more', bottom: '▾ more', left: '◂ more', right: 'more ▸' };

export class MoreCue {
  readonly root = new Container();
  private readonly tabs = new Map<Side, { root: Container; text: Text; w: number; h: number }>();
  /** The sides the tab shows at now. */
  private shown: Side[] = [];

  /** Shows a tab at each side of the `w` × `h` canvas that `drawn` (the picture's bounds in CSS px) goes past. */
  update(drawn: Box, w: number, h: number): void {
    const sides: Side[] = [];
    if (drawn.y < -PAST) sides.push('top');
    if (drawn.y + drawn.h > h + PAST) sides.push('bottom');
    if (drawn.x < -PAST) sides.push('left');
    if (drawn.x + drawn.w > w + PAST) sides.push('right');
    this.shown = sides;
    for (const [side, tab] of this.tabs) tab.root.visible = sides.includes(side);
    for (const side of sides) {
      const tab = this.tabs.get(side) ?? this.make(side);
      tab.root.visible = true;
      const x = side === 'left' ? 0 : side === 'right' ? w - tab.w : (w - tab.w) / 2;
      const y = side === 'top' ? 0 : side === 'bottom' ? h - tab.h : (h - tab.h) / 2;
      tab.root.position.set(Math.round(x), Math.round(y));
    }
  }

  /** The tabs shown, with their words, in CSS px (for tests). */
  onScreen(): (Box & { text: string })[] {
    return this.shown.map((side) => {
      const t = this.tabs.get(side)!;
      return { x: t.root.x, y: t.root.y, w: t.w, h: t.h, text: t.text.text };
    });
  }

  private make(side: Side): { root: Container; text: Text; w: number; h: number } {
    const root = new Container();
    const text = label(WORDS[side], { fontSize: 11, fontWeight: 'bold', fill: 0xffffff });
    const w = Math.ceil(text.width) + 12;
    const h = 17;
    text.position.set(6, 1);
    // Rounded away from the edge it sits on.
    const r = 6;
    const bg = new Graphics().roundRect(0, 0, w, h, r).fill({ color: COLOURS.muted, alpha: 0.92 });
    root.addChild(bg, text);
    this.root.addChild(root);
    const tab = { root, text, w, h };
    this.tabs.set(side, tab);
    return tab;
  }
}
