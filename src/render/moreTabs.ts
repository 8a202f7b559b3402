/**
 * The "more" tabs' first-play half: which edges of the canvas the picture goes on past, and the
 * tabs' layer. The tabs themselves (moreCue.ts: where each goes, what it covers) load the first
 * time a picture goes past an edge — most pictures are shown whole, and the page's first play has
 * no room to spare (issue 11: ≤ 250 KB).
 */
import { Container, Graphics } from 'pixi.js';
import type { Camera } from './camera.ts';
import { countedServices, wordObstacles } from './freeSpot.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import type { Trace } from '../player/index.ts';
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
const KIT = { Container, Graphics, label, COLOURS, wordObstacles, countedServices, sidesPast };
export type MoreKit = typeof KIT;

/**
 * What the picture shows beyond the layout's own words, as the view's layers have it: the tabs
 * keep off all of it. World coordinates, but for the callouts (CSS px on the canvas).
 */
export interface TabSources {
  /** The run drawn: which services' headers have a counter line (a service only a gateway reaches has none). */
  trace: Trace;
  /** The pipes' labels (the still scene's words beyond the layout's). */
  pipes: readonly Box[];
  /** The badge lists and the links' tags; each `version` changes whenever what it draws does. */
  badges: { readonly version: number; drawn(): readonly Box[] };
  tags: { readonly version: number; drawn(): readonly Box[] };
  /** The focused packet's ring and caption (they move while the run plays). */
  packets: { focusDrawn(): readonly Box[] };
  /** The narration's callouts, on the stage. */
  callouts: { onScreen(): readonly Box[] };
}

export class MoreTabs {
  /** The tabs' layer, on the stage over the world. */
  readonly root = new Container();
  private cue: MoreCue | null = null;
  private loading = false;

  /** `sources`: the view's layers, for what the picture shows beyond the layout (null: none built yet); `loaded`: the tabs arrived, place them and draw. */
  constructor(
    private readonly sources: () => TabSources | null,
    private readonly loaded: () => void,
  ) {}

  /** Shows a tab at each side the picture goes past (MoreCue.update); the first time one does, loads the tabs. */
  update(camera: Camera, layout: Layout, screen: { width: number; height: number }): void {
    if (this.cue) return this.cue.update(camera, layout, screen);
    if (this.loading || !sidesPast(camera, layout, screen).sides.length) return;
    this.loading = true;
    void import('./moreCue.ts').then(({ MoreCue }) => {
      if (this.root.destroyed) return;
      this.cue = new MoreCue(KIT, this.root, this.sources);
      this.loaded();
    });
  }

  /** The tabs shown, with their words, in CSS px (for tests). */
  onScreen(): ReturnType<MoreCue['onScreen']> {
    return this.cue?.onScreen() ?? [];
  }
}
