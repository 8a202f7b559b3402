/**
 * "More this way": where the picture goes on past the canvas's edge — a picture too big to show
 * whole at the 11 px text floor (a compare pane's ingress-gateway, retry-storm, a small window),
 * framed from its top left or following the current step — a small tab on that edge says so
 * (issue 12: a control plane cut at the canvas's top left a learner no cue that it was there).
 * The tab sits at the middle of its edge, or slid along it to the nearest spot that covers no
 * word (titles, captions, chips and counter lines drawn, badges, link tags, the focused packet's
 * ring and caption, the narration's callouts), else the spot covering least; of those, one off
 * the boxes (proxies, apps, the dashed empty-sidecar boxes) where there is one. Drawn on the stage,
 * over the world, in CSS pixels; placed again when the view moves or the words do.
 */
import type { Container, Text } from 'pixi.js';
import type { Camera } from './camera.ts';
import type { Box } from './geometry.ts';
import { placeholderBoxes, type Layout } from './layoutTypes.ts';
import { GAP, slide } from './moreSlide.ts';
import type { MoreKit, Side, TabSources } from './moreTabs.ts';

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
  /** The layout's words drawn and its boxes (proxies, apps, dashed empty-sidecar boxes; world coordinates), worked out once per layout. */
  private still: { layout: Layout; words: Box[]; boxes: Box[] } | null = null;
  /** The words the layers wrote (pipes' labels, badges, link tags), gathered again only when one of them changed; `stamp` counts the gatherings. */
  private written: { pipes: readonly Box[]; badges: object; badgesVersion: number; tags: object; tagsVersion: number; words: Box[]; stamp: number } | null =
    null;
  /** What the tabs were placed for last: the sides, the view, the canvas, the written words' stamp and the passing boxes (compared each draw while a tab shows). */
  private readonly placedFor: number[] = [];

  /** `sources`: the view's layers, for what the picture shows beyond the layout (null: none yet). */
  constructor(
    private readonly kit: MoreKit,
    private readonly root: Container,
    private readonly sources: () => TabSources | null = () => null,
  ) {}

  /**
   * Shows a tab at each side of the `screen` the picture of `layout` goes past, as `camera` shows
   * it, where it covers no words. Cheap when nothing moved: no tab, or the same view and words.
   * The focused packet's caption and the callouts move on their own while the run plays: the tabs
   * are placed again when they move, so where a tab is depends on what the picture shows now, never
   * on how the run got there (a step forward and back leaves the picture as it was; compareFour).
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
    const sources = this.sources();
    if (this.still?.layout !== layout) {
      const counted = sources ? this.kit.countedServices(sources.trace) : null;
      this.still = {
        layout,
        words: this.kit.wordObstacles(layout, 0, counted).flatMap((o) => (o.card === undefined ? [o.words ?? o.box] : [])),
        boxes: [...layout.boxes, ...placeholderBoxes(layout)],
      };
    }
    const stamp = this.gather(sources);
    const z = camera.zoom;
    const onScreen = (r: Box): Box => ({ x: a.x + (r.x - layout.bounds.x) * z, y: a.y + (r.y - layout.bounds.y) * z, w: r.w * z, h: r.h * z });
    const passing = [...(sources?.packets.focusDrawn() ?? []).map(onScreen), ...(sources?.callouts.onScreen() ?? [])];
    if (this.samePlace(sides, a, z, w, h, stamp, passing)) return;
    const words = [...this.still.words, ...(this.written?.words ?? [])].map(onScreen);
    words.push(...passing);
    const boxes = this.still.boxes.map(onScreen);
    for (const side of sides) {
      const tab = this.tabs.get(side) ?? this.make(side);
      tab.root.visible = true;
      const across = side === 'top' || side === 'bottom';
      // The strip the tab slides in, and each word's span along it.
      const strip = { x: side === 'right' ? w - tab.w : 0, y: side === 'bottom' ? h - tab.h : 0, w: across ? w : tab.w, h: across ? tab.h : h };
      const spans = (rects: readonly Box[]) =>
        rects.flatMap((r) => {
          const dx = Math.min(r.x + r.w, strip.x + strip.w) - Math.max(r.x, strip.x);
          const dy = Math.min(r.y + r.h, strip.y + strip.h) - Math.max(r.y, strip.y);
          if (dx <= 0 || dy <= 0) return [];
          return [across ? { from: r.x, to: r.x + r.w, depth: dy } : { from: r.y, to: r.y + r.h, depth: dx }];
        });
      const at = slide(across ? w : h, across ? tab.w : tab.h, spans(words), across ? GAP.words : GAP.lines, spans(boxes));
      tab.root.position.set(across ? at : strip.x, across ? strip.y : at);
      // The tabs placed already are words to the next.
      words.push({ x: tab.root.x, y: tab.root.y, w: tab.w, h: tab.h });
    }
  }

  /** The words the layers wrote, gathered again when a layer or its version changed; returns their stamp. */
  private gather(sources: TabSources | null): number {
    const was = this.written;
    if (!sources) return was?.stamp ?? 0;
    const { pipes, badges, tags } = sources;
    if (was && was.pipes === pipes && was.badges === badges && was.badgesVersion === badges.version && was.tags === tags && was.tagsVersion === tags.version)
      return was.stamp;
    const words = [...pipes, ...badges.drawn(), ...tags.drawn()];
    this.written = { pipes, badges, badgesVersion: badges.version, tags, tagsVersion: tags.version, words, stamp: (was?.stamp ?? 0) + 1 };
    return this.written.stamp;
  }

  /** Whether the tabs were last placed for these sides, view, canvas, written words and passing boxes; if not, remembers these. */
  private samePlace(sides: readonly Side[], a: { x: number; y: number }, zoom: number, w: number, h: number, stamp: number, passing: readonly Box[]): boolean {
    const key = this.placedFor;
    const bits = sides.reduce((b, s) => b | SIDE_BIT[s], 0);
    let same =
      key.length === 7 + 4 * passing.length &&
      key[0] === bits &&
      key[1] === a.x &&
      key[2] === a.y &&
      key[3] === zoom &&
      key[4] === w &&
      key[5] === h &&
      key[6] === stamp;
    for (let i = 0; same && i < passing.length; i++) {
      const p = passing[i]!;
      same = key[7 + 4 * i] === p.x && key[8 + 4 * i] === p.y && key[9 + 4 * i] === p.w && key[10 + 4 * i] === p.h;
    }
    if (same) return true;
    key.splice(0, key.length, bits, a.x, a.y, zoom, w, h, stamp);
    for (const p of passing) key.push(p.x, p.y, p.w, p.h);
    return false;
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
