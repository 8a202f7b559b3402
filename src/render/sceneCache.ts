/**
 * The still scene — cluster, services, pods, wires, labels — drawn once into a texture at twice
 * the screen's resolution for the current zoom, and again only when a state, a counter or the zoom
 * changes; a frame then draws one texture instead of every shape and label. Zoomed in so far
 * that the texture would pass {@link SCENE_CACHE_MAX_PX} a side, the scene is drawn live.
 */
import { Graphics, type Container } from 'pixi.js';
import type { Box } from './geometry.ts';

/** The largest side of the still scene's cached texture, in pixels (WebGL offers at least this almost everywhere). */
const SCENE_CACHE_MAX_PX = 4096;

/**
 * Caches `root` (a scene of `bounds`) as a texture for `zoom`, or draws it live when too big;
 * `current` is the resolution it is cached at now (0: live). Returns the new one.
 */
export function cacheScene(root: Container, bounds: Box, zoom: number, current: number): number {
  // Twice the screen's pixels, so that drawing it at a fraction of a pixel keeps the labels sharp.
  const resolution = 2 * Math.max(1, window.devicePixelRatio || 1) * zoom;
  if (Math.max(bounds.w, bounds.h) * resolution > SCENE_CACHE_MAX_PX) {
    if (current) root.cacheAsTexture(false);
    return 0;
  }
  if (resolution !== current) root.cacheAsTexture({ resolution, antialias: true });
  return resolution;
}

/**
 * Draws every Graphics of the still scene through pixi's batcher, with the one shader program
 * sprites, text and small Graphics use. pixi draws a Graphics of over 400 vertex floats (the
 * cluster, its bands and wires are one) with a shader of its own instead: a second program that
 * would be compiled and linked before the first frame, the slowest step of the first frame in
 * software WebGL. The still scene is drawn into its cached texture, not each frame, so batching
 * its vertices on the CPU costs nothing per frame.
 */
export function batchStill(root: Container): void {
  if (root instanceof Graphics) root.context.batchMode = 'batch';
  for (const child of root.children) batchStill(child);
}
