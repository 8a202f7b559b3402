/**
 * What the camera frames when the learner has not moved it: the picture at a readable zoom
 * (labels ≥ 11 CSS px) or whole (the Fit to view button), and — in a compare pane whose picture
 * does not show whole at that zoom — the nodes of the current step, panned to when they leave
 * the view (the zoom stays; the pan moves only when it must, not at every step). A step shown
 * again is framed as it was (stepping forward then back returns the same picture).
 */
import type { NodeId } from '../player/index.ts';
import { Camera, MIN_ZOOM } from './camera.ts';
import { MIN_FONT, type Box, type Layout } from './layout.ts';

/** The smallest label size a fit may show, in CSS px (issue 12: readable at any size). */
export const READABLE_PX = 11;
/** Room kept between the step's nodes and the canvas's edge when following them, CSS px. */
const FOLLOW_MARGIN_PX = 16;

export class Framing {
  /** Fit keeps labels readable (≥ 11 CSS px): a big picture is framed from its top left instead of shrunk whole. */
  readable = true;
  /** Pan to the current step's nodes when they are out of view (compare panes). */
  follow = false;
  /** Where the camera stood on each step it framed since the last fit, by the step's `seq` (-1: before the first step). */
  private readonly framed = new Map<number, { x: number; y: number; zoom: number; width: number; height: number; layout: Layout }>();

  constructor(
    private readonly camera: Camera,
    private readonly screen: () => { width: number; height: number },
  ) {}

  /** Frames `layout`: readable (unless {@link readable} is off or `whole`), or all of it. */
  fit(layout: Layout, whole = false): void {
    const minZoom = this.readable && !whole ? READABLE_PX / MIN_FONT : MIN_ZOOM;
    const { width, height } = this.screen();
    this.camera.fit(layout.bounds, width, height, minZoom);
    this.framed.clear();
  }

  /**
   * With {@link follow} on and the camera where a fit put it: frames step `seq` (its `nodes`) as
   * it was framed before, if it was (same layout, zoom and canvas); else {@link followNodes}, and
   * remembers where. The pan moves only when it must, so it depends on the steps shown before:
   * without this, stepping back onto a step kept the pan a later step had moved to.
   */
  followStep(layout: Layout, seq: number, nodes: readonly NodeId[]): void {
    if (!this.follow || this.camera.moved) return;
    const { width, height } = this.screen();
    const zoom = this.camera.zoom;
    const seen = this.framed.get(seq);
    if (seen && seen.layout === layout && seen.zoom === zoom && seen.width === width && seen.height === height) {
      const at = this.camera.toScreen(0, 0);
      if (at.x !== seen.x || at.y !== seen.y) this.camera.panTo(seen.x, seen.y);
      return;
    }
    this.followNodes(layout, nodes);
    const at = this.camera.toScreen(0, 0);
    this.framed.set(seq, { x: at.x, y: at.y, zoom, width, height, layout });
  }

  /**
   * With {@link follow} on and the camera where a fit put it: when the boxes of `nodes` are not
   * all in view, pans (keeping the zoom) to centre them, the picture's edge never further in than
   * the canvas's. Returns whether the camera moved.
   */
  followNodes(layout: Layout, nodes: readonly NodeId[]): boolean {
    if (!this.follow || this.camera.moved || !nodes.length) return false;
    const { width, height } = this.screen();
    const zoom = this.camera.zoom;
    const b = layout.bounds;
    // The whole picture is in view: nothing to follow.
    if (b.w * zoom <= width + 1 && b.h * zoom <= height + 1) return false;
    const m = FOLLOW_MARGIN_PX;
    const centre = this.camera.toWorld(width / 2, height / 2);
    // A box longer than the view along a side (a node proxy's strip) is in view wherever it
    // crosses it: along that side only its point nearest the view's centre counts.
    const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
    const boxes = nodes.flatMap((n) => {
      const x = layout.nodes.get(n);
      if (!x) return [];
      const long = { w: x.w * zoom > width - 2 * m, h: x.h * zoom > height - 2 * m };
      return [
        {
          x: long.w ? clamp(centre.x, x.x, x.x + x.w) : x.x,
          y: long.h ? clamp(centre.y, x.y, x.y + x.h) : x.y,
          w: long.w ? 0 : x.w,
          h: long.h ? 0 : x.h,
        },
      ];
    });
    if (!boxes.length) return false;
    const x0 = Math.min(...boxes.map((x) => x.x));
    const y0 = Math.min(...boxes.map((x) => x.y));
    const union: Box = { x: x0, y: y0, w: Math.max(...boxes.map((x) => x.x + x.w)) - x0, h: Math.max(...boxes.map((x) => x.y + x.h)) - y0 };
    // Nodes too far apart to show together: the step's first (what it is about) is framed.
    const target = union.w * zoom <= width - 2 * m && union.h * zoom <= height - 2 * m ? union : boxes[0]!;
    const tl = this.camera.toScreen(target.x, target.y);
    const inView = tl.x >= m && tl.y >= m && tl.x + target.w * zoom <= width - m && tl.y + target.h * zoom <= height - m;
    if (inView) return false;
    // Centre the nodes, then keep the picture's edges at or past the canvas's along a side it overflows.
    const along = (room: number, start: number, size: number, at: number, span: number): number => {
      if (size * zoom <= room) return (room - size * zoom) / 2 - start * zoom;
      const centred = room / 2 - (at + span / 2) * zoom;
      return Math.min(-start * zoom, Math.max(room - (start + size) * zoom, centred));
    };
    this.camera.panTo(along(width, b.x, b.w, target.x, target.w), along(height, b.y, b.h, target.y, target.h));
    return true;
  }
}
