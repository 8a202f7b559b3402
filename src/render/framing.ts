/**
 * What the camera frames when the learner has not moved it: the picture at a readable zoom
 * (labels ≥ 11 CSS px) or whole (the Fit to view button), and — in a compare pane whose picture
 * does not show whole at that zoom — the nodes of the current step, panned to when they leave
 * the view (the zoom stays; the pan moves only when it must, not at every step). A step shown
 * again is framed as it was (stepping forward then back returns the same picture).
 */
import type { NodeId } from '../player/index.ts';
import { Camera, MIN_ZOOM } from './camera.ts';
import type * as FollowModule from './follow.ts';
import { MIN_FONT, type Layout } from './layout.ts';

/** The smallest label size a fit may show, in CSS px (issue 12: readable at any size). */
export const READABLE_PX = 11;
/**
 * Room a fit keeps between the picture and the canvas's edge, CSS px, where the canvas has it: a
 * box at the picture's edge is ringed 4 + 1.5 units out (ringSpots.ts), past a dense layout's 2
 * units of bounds (ingress-gateway under Istio: the browser's ring was cut at the left edge).
 * A compare pane keeps no pixels (its picture is small already, and 12 px less of it left a badge
 * list no free spot: config-push in compare at 2 s, reviews-1's "✕×4 ⚡×4" over its "cert ✓" chip),
 * only the units a step's ring needs past the picture's bounds (follow.ts' ringedBounds).
 */
export const FIT_MARGIN_PX = 6;
/** follow.ts's pan, once loaded: only pages with two panes or more follow the step. */
let follower: typeof FollowModule.followNodes | null = null;
let ringed: typeof FollowModule.ringedBounds | null = null;
let followLoading: Promise<void> | null = null;

/** Loads what {@link Framing.followNodes} needs; a page awaits it before it shows two panes. */
export function loadFollow(): Promise<void> {
  followLoading ??= import('./follow.ts').then((m) => {
    follower = m.followNodes;
    ringed = m.ringedBounds;
  });
  return followLoading;
}

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
    if (this.follow) this.camera.fit(layout.bounds, width, height, minZoom, 0, ringed?.(layout));
    else this.camera.fit(layout.bounds, width, height, minZoom, FIT_MARGIN_PX);
    this.framed.clear();
  }

  /**
   * With {@link follow} on and the camera where a fit put it: frames step `seq` (its `nodes`) as
   * it was framed before, if it was (same layout, zoom and canvas); else {@link followNodes} — the
   * first step since the fit settling the view too (follow.ts) — and remembers where. The pan
   * moves only when it must, so it depends on the steps shown before: without this, stepping
   * back onto a step kept the pan a later step had moved to.
   */
  followStep(layout: Layout, seq: number, nodes: readonly NodeId[]): void {
    if (!this.follow || this.camera.moved || !follower) return;
    const { width, height } = this.screen();
    const zoom = this.camera.zoom;
    const seen = this.framed.get(seq);
    if (seen && seen.layout === layout && seen.zoom === zoom && seen.width === width && seen.height === height) {
      const at = this.camera.toScreen(0, 0);
      if (at.x !== seen.x || at.y !== seen.y) this.camera.panTo(seen.x, seen.y);
      return;
    }
    // The first step framed since the fit also settles the view in from the fit's top left: it
    // cuts no card or box across its edges where a pan keeping the step in view avoids that.
    follower(this.camera, { width, height }, layout, nodes, this.framed.size === 0);
    const at = this.camera.toScreen(0, 0);
    this.framed.set(seq, { x: at.x, y: at.y, zoom, width, height, layout });
  }

  /**
   * With {@link follow} on, the camera where a fit put it and follow.ts loaded ({@link loadFollow}):
   * when the boxes of `nodes` are not all in view, pans to them (follow.ts). Returns whether the
   * camera moved.
   */
  followNodes(layout: Layout, nodes: readonly NodeId[]): boolean {
    if (!this.follow || this.camera.moved || !follower) return false;
    return follower(this.camera, this.screen(), layout, nodes);
  }
}
