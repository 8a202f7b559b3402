/**
 * "More this way": where the picture goes on past the canvas's edge — a picture too big to show
 * whole at the 11 px text floor (a compare pane's ingress-gateway, retry-storm, a small window),
 * framed from its top left or following the current step — a small tab on that edge says so
 * (issue 12: a control plane cut at the canvas's top left a learner no cue that it was there).
 * The tab sits at the middle of its edge, or slid along it to the nearest spot that covers no
 * word (titles, captions, chips, badges, link tags), else the spot covering least. Drawn on the
 * stage, over the world, in CSS pixels; placed again when the view moves or the words do.
 */
import type { Container, Text } from 'pixi.js';
import type { Camera } from './camera.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import { slide } from './moreSlide.ts';
import type { MoreKit, Side } from './moreTabs.ts';

const WORDS: Record<Side, string> = { top: '▴ more', bottom: '▾ more', left: '◂ more', right: 'more ▸' };
const SIDE_BIT: Record<Side, number> = { top: 1, bottom: 2, left: 4, right: 8 };

/**
 * Loaded the first time a picture goes past an edge (moreTabs.ts), so not part of the first play.
 * What it draws with comes in `kit`: a static import of pixi.js or the render modules from here
 * would make the bundler split everything they share with the page into a chunk of its own, and
 * the first play would grow by more than this file saves.
 */
export class MoreCue {
  private readonly tabs = new Map<Side, { root: Container; text: Text; w: number; h: number }>();
  /** The sides the tab shows at now. */
  private shown: Side[] = [];
  /** The layout's words (world coordinates), worked out once per layout. */
  private still: { layout: Layout; words: Box[] } | null = null;
  /** What the tabs were placed for last: the sides, the view, the canvas and the words' boxes, as numbers (compared each draw while a tab shows: no string built). */
  private readonly placedFor: number[] = [];

  /** `words`: what is written on the picture beyond the layout's titles, captions and chips (the pipes' labels, badges, link tags), world coordinates. */
  constructor(
    private readonly kit: MoreKit,
    private readonly root: Container,
    private readonly words: () => readonly Box[] = () => [],
  ) {}

  /**
   * Shows a tab at each side of the `screen` the picture of `layout` goes past, as `camera` shows
   * it, where it covers no words. Cheap when nothing moved: no tab, or the same view and words.
   */
  update(camera: Camera, layout: Layout, screen: { width: number; height: number }): void {
    const { width: w, height: h } = screen;
    const { sides, a } = this.kit.sidesPast(camera, layout, screen);
    this.shown = sides;
    for (const [side, tab] of this.tabs) tab.root.visible = sides.includes(side);
    if (!sides.length) {
      this.placedFor.length = 0;
      return;
    }
    if (this.still?.layout !== layout)
      this.still = { layout, words: this.kit.wordObstacles(layout, 0).flatMap((o) => (o.card === undefined ? [o.words ?? o.box] : [])) };
    const moving = this.words();
    if (this.samePlace(sides, a, camera.zoom, w, h, moving)) return;
    const z = camera.zoom;
    const onScreen = (r: Box): Box => ({ x: a.x + (r.x - layout.bounds.x) * z, y: a.y + (r.y - layout.bounds.y) * z, w: r.w * z, h: r.h * z });
    const words = [...this.still.words, ...moving].map(onScreen);
    for (const side of sides) {
      const tab = this.tabs.get(side) ?? this.make(side);
      tab.root.visible = true;
      const across = side === 'top' || side === 'bottom';
      // The strip the tab slides in, and each word's span along it.
      const strip = { x: side === 'right' ? w - tab.w : 0, y: side === 'bottom' ? h - tab.h : 0, w: across ? w : tab.w, h: across ? tab.h : h };
      const spans = words.flatMap((r) => {
        const dx = Math.min(r.x + r.w, strip.x + strip.w) - Math.max(r.x, strip.x);
        const dy = Math.min(r.y + r.h, strip.y + strip.h) - Math.max(r.y, strip.y);
        if (dx <= 0 || dy <= 0) return [];
        return [across ? { from: r.x, to: r.x + r.w, depth: dy } : { from: r.y, to: r.y + r.h, depth: dx }];
      });
      const at = slide(across ? w : h, across ? tab.w : tab.h, spans);
      tab.root.position.set(across ? at : strip.x, across ? strip.y : at);
      // The tabs placed already are words to the next.
      words.push({ x: tab.root.x, y: tab.root.y, w: tab.w, h: tab.h });
    }
  }

  /** Whether the tabs were last placed for these sides, view, canvas and words; if not, remembers these. */
  private samePlace(sides: readonly Side[], a: { x: number; y: number }, zoom: number, w: number, h: number, moving: readonly Box[]): boolean {
    const key = this.placedFor;
    let n = 0;
    let same = true;
    const put = (v: number): void => {
      if (key[n] !== v) {
        key[n] = v;
        same = false;
      }
      n++;
    };
    put(sides.reduce((bits, s) => bits | SIDE_BIT[s], 0));
    put(a.x);
    put(a.y);
    put(zoom);
    put(w);
    put(h);
    for (const m of moving) {
      put(m.x);
      put(m.y);
      put(m.w);
      put(m.h);
    }
    if (key.length !== n) {
      key.length = n;
      same = false;
    }
    return same;
  }

  /** The tabs shown, with their words, in CSS px (for tests). */
  onScreen(): (Box & { text: string })[] {
    return this.shown.map((side) => {
      const t = this.tabs.get(side)!;
      return { x: t.root.x, y: t.root.y, w: t.w, h: t.h, text: t.text.text };
    });
  }

  private make(side: Side): { root: Container; text: Text; w: number; h: number } {
    const root = new this.kit.Container();
    const text = this.kit.label(WORDS[side], { fontSize: 11, fontWeight: 'bold', fill: 0xffffff });
    const w = Math.ceil(text.width) + 12;
    const h = 17;
    text.position.set(6, 1);
    const bg = new this.kit.Graphics().roundRect(0, 0, w, h, 6).fill({ color: this.kit.COLOURS.muted, alpha: 0.92 });
    root.addChild(bg, text);
    this.root.addChild(root);
    const tab = { root, text, w, h };
    this.tabs.set(side, tab);
    return tab;
  }
}
