/**
 * The "more" tabs' first-play half: which edges of the canvas the picture goes on past, and the
 * tabs' layer. The tabs themselves (moreCue.ts: where each goes, what it covers) load the first
 * time a picture goes past an edge — most pictures are shown whole, and the page's first play has
 * no room to spare (issue 11: ≤ 250 KB).
 */
import { Container, Graphics } from 'pixi.js';
import type { Camera } from './camera.ts';
import { wordObstacles } from './freeSpot.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import type { MoreCue } from './moreCue.ts';
import { COLOURS } from './palette.ts';
import { label } from './text.ts';

/** How far past an edge the picture must go (CSS px) for the tab to show: less is margin, not more picture. */
const PAST = 6;

export type Side = 'top' | 'bottom' | 'left' | 'right';

/** The sides of the `screen` the picture of `layout`, as `camera` shows it, goes past, and where its top left is on screen. */
export function sidesPast(camera: Camera, layout: Layout, screen: { width: number; height: number }): { sides: Side[]; a: { x: number; y: number } } {
  const a = camera.toScreen(layout.bounds.x, layout.bounds.y);
  const b = camera.toScreen(layout.bounds.x + layout.bounds.w, layout.bounds.y + layout.bounds.h);
  const sides: Side[] = [];
  if (a.y < -PAST) sides.push('top');
  if (b.y > screen.height + PAST) sides.push('bottom');
  if (a.x < -PAST) sides.push('left');
  if (b.x > screen.width + PAST) sides.push('right');
  return { sides, a };
}

/** What moreCue.ts draws and measures with, handed to it (see there why). */
const KIT = { Container, Graphics, label, COLOURS, wordObstacles, sidesPast };
export type MoreKit = typeof KIT;

export class MoreTabs {
  /** The tabs' layer, on the stage over the world. */
  readonly root = new Container();
  private cue: MoreCue | null = null;
  private loading = false;

  /** `words`: what is written on the picture beyond the layout's own words (world coordinates); `loaded`: the tabs arrived, place them and draw. */
  constructor(
    private readonly words: () => readonly Box[],
    private readonly loaded: () => void,
  ) {}

  /** Shows a tab at each side the picture goes past (MoreCue.update); the first time one does, loads the tabs. */
  update(camera: Camera, layout: Layout, screen: { width: number; height: number }): void {
    if (this.cue) return this.cue.update(camera, layout, screen);
    if (this.loading || !sidesPast(camera, layout, screen).sides.length) return;
    this.loading = true;
    void import('./moreCue.ts').then(({ MoreCue }) => {
      if (this.root.destroyed) return;
      this.cue = new MoreCue(KIT, this.root, this.words);
      this.loaded();
    });
  }

  /** The tabs shown, with their words, in CSS px (for tests). */
  onScreen(): ReturnType<MoreCue['onScreen']> {
    return this.cue?.onScreen() ?? [];
  }
}
