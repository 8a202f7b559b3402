/** Where a link's padlock goes (edgeLayer.ts draws one on a link that carries mTLS). */
import type { Graphics } from 'pixi.js';
import type { Box } from './geometry.ts';
import type { Point } from './linkEnds.ts';
import { drawLock } from './edgeWords.ts';
import { overlap } from './freeSpot.ts';
import { pointAt } from './polyline.ts';

/** Where along its link a lock may go, in order of preference: a fifth of the way, else the nearest free twentieth. */
const LOCK_AT = Array.from({ length: 19 }, (_, i) => (i + 1) / 20).sort((a, b) => Math.abs(a - 0.22) - Math.abs(b - 0.22) || a - b);

/**
 * Draws a lock on the line through `points` a fifth of the way along, or nearer or further where a
 * box of `clear` (a tag, another lock, an end's box) is there (lines side by side in a gap: a tag
 * over a lock left a black bar of it); where every spot is taken, the one that covers least.
 * Returns where it is.
 */
export function placeLock(g: Graphics, points: readonly Point[], clear: readonly Box[]): Box {
  let at = pointAt(points, LOCK_AT[0]!);
  let least = Infinity;
  for (const f of LOCK_AT) {
    const p = pointAt(points, f);
    const box = { x: p.x - 7, y: p.y - 8, w: 14, h: 16 };
    let cover = 0;
    for (const o of clear) cover += overlap(box, o);
    if (cover < least) {
      least = cover;
      at = p;
      if (cover === 0) break;
    }
  }
  return drawLock(g, at.x, at.y);
}
