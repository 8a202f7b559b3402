/**
 * Zoom and pan: the mouse wheel zooms around the pointer, dragging pans, and fit() frames the
 * whole mesh. A click that did not drag is handed on for picking. Compare panes move together:
 * the learner's drag or wheel on one pans or zooms every other pane shown beside it alike.
 */
import type { Container } from 'pixi.js';
import type { Box } from './layout.ts';

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 5;

/** Every camera on the page, for finding the panes shown beside one. */
const cameras = new Set<Camera>();

export class Camera {
  /** True once the learner zoomed or panned: resizing then keeps their view. */
  moved = false;
  private drag: { x: number; y: number; px: number; py: number; dragging: boolean } | null = null;

  constructor(
    private readonly world: Container,
    private readonly canvas: HTMLCanvasElement,
    private readonly onClick: (screenX: number, screenY: number) => void,
    private readonly onZoom: (zoom: number) => void,
    private readonly onPan: () => void,
  ) {
    canvas.addEventListener('wheel', this.wheel, { passive: false });
    canvas.addEventListener('pointerdown', this.down);
    canvas.addEventListener('pointermove', this.move);
    canvas.addEventListener('pointerup', this.up);
    canvas.addEventListener('pointercancel', () => (this.drag = null));
    cameras.add(this);
  }

  /**
   * The cameras of the other panes shown beside this one (compare mode): their canvases are in the
   * same multi-pane picture (the page's `[data-panes]` element) and on screen (a hidden pane is not).
   */
  private peers(): Camera[] {
    const group = this.canvas.closest('[data-panes]');
    if (!group) return [];
    return [...cameras].filter((c) => c !== this && c.canvas.closest('[data-panes]') === group && c.canvas.getClientRects().length > 0);
  }

  get zoom(): number {
    return this.world.scale.x;
  }

  /**
   * Frames `bounds` in a viewport of `w` × `h` CSS pixels, at no less than `minZoom`: a picture
   * too big to show whole at that zoom is framed from its top left (the callers and the control
   * plane), centred along a side that fits, and the rest is a pan or a zoom out away. `margin`
   * CSS px are kept free on every side, and `room` (world units around `bounds`) framed whole too,
   * when the viewport has room for them; a picture that fits only without them is centred.
   */
  fit(bounds: Box, w: number, h: number, minZoom = MIN_ZOOM, margin = 0, room: Box = bounds): void {
    const m = Math.max(0, Math.min(margin, w / 6, h / 6));
    const whole = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min((w - 2 * m) / room.w, (h - 2 * m) / room.h, 1.6)));
    const zoom = Math.max(whole, Math.min(MAX_ZOOM, minZoom));
    // A picture that fits, if not with the margin or its room, is centred (as much room either side), not put at the start.
    const along = (px: number, start: number, size: number, roomStart: number, roomSize: number): number =>
      roomSize * zoom <= px ? (px - roomSize * zoom) / 2 - roomStart * zoom : size * zoom > px ? -start * zoom : (px - size * zoom) / 2 - start * zoom;
    this.world.scale.set(zoom);
    this.world.position.set(along(w, bounds.x, bounds.w, room.x, room.w), along(h, bounds.y, bounds.h, room.y, room.h));
    this.moved = false;
    this.onZoom(zoom);
  }

  /** Moves the world to screen offset (x, y), keeping the zoom: a framing's pan, not the learner's. */
  panTo(x: number, y: number): void {
    this.world.position.set(x, y);
    this.onPan();
  }

  /** Zooms by `factor` around screen point (x, y) of this pane and every pane beside it (the learner's wheel). */
  private zoomAll(factor: number, x: number, y: number): void {
    this.zoomAt(factor, x, y);
    for (const c of this.peers()) c.zoomAt(factor, x, y);
  }

  /** Zooms by `factor` around screen point (x, y). */
  zoomAt(factor: number, x: number, y: number): void {
    const old = this.zoom;
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, old * factor));
    const wx = (x - this.world.x) / old;
    const wy = (y - this.world.y) / old;
    this.world.scale.set(zoom);
    this.world.position.set(x - wx * zoom, y - wy * zoom);
    this.moved = true;
    this.onZoom(zoom);
  }

  /** Screen (CSS px, relative to the canvas) to world coordinates. */
  toWorld(x: number, y: number): { x: number; y: number } {
    return { x: (x - this.world.x) / this.zoom, y: (y - this.world.y) / this.zoom };
  }

  /** World to screen coordinates. */
  toScreen(x: number, y: number): { x: number; y: number } {
    return { x: this.world.x + x * this.zoom, y: this.world.y + y * this.zoom };
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private readonly wheel = (e: WheelEvent): void => {
    e.preventDefault();
    const p = this.local(e);
    this.zoomAll(Math.exp(-e.deltaY * 0.0015), p.x, p.y);
  };

  private readonly down = (e: PointerEvent): void => {
    const p = this.local(e);
    this.drag = { x: p.x, y: p.y, px: this.world.x, py: this.world.y, dragging: false };
  };

  private readonly move = (e: PointerEvent): void => {
    if (!this.drag) return;
    const p = this.local(e);
    const dx = p.x - this.drag.x;
    const dy = p.y - this.drag.y;
    if (!this.drag.dragging && Math.hypot(dx, dy) < 4) return;
    if (!this.drag.dragging) this.canvas.setPointerCapture(e.pointerId);
    this.drag.dragging = true;
    // The panes beside this one move by as much as this one since the last move.
    const step = { x: this.drag.px + dx - this.world.x, y: this.drag.py + dy - this.world.y };
    this.world.position.set(this.drag.px + dx, this.drag.py + dy);
    this.moved = true;
    this.onPan();
    for (const c of this.peers()) c.panBy(step.x, step.y);
  };

  /** Moves the world by (dx, dy) screen px as the learner's pan (of a pane beside this one). */
  private panBy(dx: number, dy: number): void {
    this.world.position.set(this.world.x + dx, this.world.y + dy);
    this.moved = true;
    this.onPan();
  }

  private readonly up = (e: PointerEvent): void => {
    const drag = this.drag;
    this.drag = null;
    if (drag && !drag.dragging) {
      const p = this.local(e);
      this.onClick(p.x, p.y);
    }
  };

  destroy(): void {
    cameras.delete(this);
    this.canvas.removeEventListener('wheel', this.wheel);
    this.canvas.removeEventListener('pointerdown', this.down);
    this.canvas.removeEventListener('pointermove', this.move);
    this.canvas.removeEventListener('pointerup', this.up);
  }
}
