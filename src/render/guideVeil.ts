/**
 * Guided mode's veil (loaded when a learner or a course first turns guided mode on: guideLayer.ts):
 * the picture points at what the current narration is about. The nodes its lines
 * involve (each line's event, and its request's way there — see player/narrationSpans.ts) stay
 * as drawn, with their pod cards (and, while a line is current, the current step's nodes); a veil dims everything else of the still scene; and the camera
 * frames them. Packets, badges and callouts stay above the veil. With no line about a node
 * current, nothing is dimmed and the whole mesh is framed.
 */
import type { Graphics } from 'pixi.js';
import type { NarrationNow, NodeId } from '../player/index.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';

/** How much the veil hides of what the narration is not about (0: nothing, 1: all). */
export const GUIDE_DIM_ALPHA = 0.6;
/** Room around the framed nodes, world units. */
const FRAME_PAD = 36;
/** The closest guided mode frames what the narration is about (what is around it stays in sight). */
const GUIDE_MAX_ZOOM = 1.25;

export class GuideVeil {
  private key = '';
  /** What is framed now, world coordinates (null: the whole picture). */
  framed: Box | null = null;
  /** The lines it was framed for. */
  private framedFor = '';
  /** The boxes left bright, for tests. */
  private bright: Box[] = [];

  /**
   * `root`: the veil, drawn in the world above the scene and links, below packets and badges; made
   * by guideLayer.ts, with the background's colour: this module imports nothing from pixi.js or
   * the palette at run time, so its lazy chunk stays its own (sharing them moved pixi.js into a
   * chunk of its own and made first play 0.8 KB larger).
   */
  constructor(
    private readonly layout: Layout,
    readonly root: Graphics,
    private readonly background: number,
  ) {
    this.root.label = 'guide veil';
  }

  /**
   * Dims what `lines` are not about, and says what the camera should do: frame a region (world
   * coordinates), go back to the `whole` picture, or nothing (null). While a line is current, the
   * current step's nodes (`stepNodes`) are part of what it is about too. The camera moves for a
   * new line, or when the step leaves the region framed; not at every step.
   */
  update(lines: readonly NarrationNow[], stepNodes: readonly NodeId[], on: boolean, screen: { width: number; height: number }): Box | 'whole' | null {
    const region = this.veil(lines, stepNodes, on);
    if (region === undefined) return null;
    const seqs = lines.map((n) => n.seq).join(',');
    const held = this.framed;
    if (!region) {
      this.framed = null;
      this.framedFor = '';
      return held ? 'whole' : null;
    }
    const inside = held && region.x >= held.x && region.y >= held.y && region.x + region.w <= held.x + held.w && region.y + region.h <= held.y + held.h;
    if (held && inside && seqs === this.framedFor) return null;
    const w = Math.max(region.w, screen.width / GUIDE_MAX_ZOOM);
    const h = Math.max(region.h, screen.height / GUIDE_MAX_ZOOM);
    this.framed = { x: region.x - (w - region.w) / 2, y: region.y - (h - region.h) / 2, w, h };
    this.framedFor = seqs;
    return this.framed;
  }

  /** Draws the veil; returns the region left bright (null: none), or undefined when nothing changed. */
  private veil(lines: readonly NarrationNow[], stepNodes: readonly NodeId[], on: boolean): Box | null | undefined {
    const nodes = new Set<NodeId>();
    if (on) for (const n of lines) for (const id of n.nodes) if (this.layout.nodes.has(id)) nodes.add(id);
    if (nodes.size) for (const id of stepNodes) if (this.layout.nodes.has(id)) nodes.add(id);
    const key = [...nodes].sort().join(',');
    if (key === this.key) return undefined;
    this.key = key;
    const g = this.root.clear();
    this.bright = [];
    if (!nodes.size) return null;
    // A node's pod card stays bright with it (its title and state chips say whose it is).
    const bright = new Set<Box>();
    for (const id of nodes) {
      const box = this.layout.nodes.get(id)!;
      const card = this.layout.pods.find((p) => p.app === box.node.id || p.proxy === box.node.id || p.members.some((m) => box.node.pod === m));
      bright.add(card ?? box);
    }
    this.bright = [...bright];
    const b = this.layout.bounds;
    // The veil: every cell of the grid the bright boxes' edges make, but theirs (rectangles, no
    // holes cut: the build fills no shape with holes — build/pixiLean.ts).
    const holes = this.bright.map((r) => ({ x: r.x - 4, y: r.y - 4, w: r.w + 8, h: r.h + 8 }));
    const edges = (lo: number, hi: number, of: (h: Box) => number[]): number[] => [...new Set([lo, hi, ...holes.flatMap(of)])].sort((p, q) => p - q);
    const xs = edges(b.x - 2000, b.x + b.w + 2000, (h) => [h.x, h.x + h.w]);
    const ys = edges(b.y - 2000, b.y + b.h + 2000, (h) => [h.y, h.y + h.h]);
    for (let j = 0; j + 1 < ys.length; j++)
      for (let i = 0; i + 1 < xs.length; i++) {
        const [cx, cy] = [(xs[i]! + xs[i + 1]!) / 2, (ys[j]! + ys[j + 1]!) / 2];
        if (!holes.some((h) => cx > h.x && cx < h.x + h.w && cy > h.y && cy < h.y + h.h)) g.rect(xs[i]!, ys[j]!, xs[i + 1]! - xs[i]!, ys[j + 1]! - ys[j]!);
      }
    g.fill({ color: this.background, alpha: GUIDE_DIM_ALPHA });
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const r of this.bright) {
      x0 = Math.min(x0, r.x);
      y0 = Math.min(y0, r.y);
      x1 = Math.max(x1, r.x + r.w);
      y1 = Math.max(y1, r.y + r.h);
    }
    return { x: x0 - FRAME_PAD, y: y0 - FRAME_PAD, w: x1 - x0 + 2 * FRAME_PAD, h: y1 - y0 + 2 * FRAME_PAD };
  }

  /** The boxes left bright (world coordinates). */
  brightBoxes(): readonly Box[] {
    return this.bright;
  }
}
