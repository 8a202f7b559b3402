/**
 * Where a floating label (a packet's caption) can go without covering what is written on the
 * picture: the boxes' captions, the pods' titles and chips, the services' headers. A label tries
 * above its anchor, then below, right and left, and takes the first free spot (or the one that
 * covers least).
 */
import type { Box, Layout } from './layout.ts';

/** The rectangles labels should keep off. */
export function obstaclesOf(layout: Layout): Box[] {
  const out: Box[] = [...layout.boxes];
  for (const p of layout.pods) {
    out.push({ x: p.x, y: p.y, w: p.w, h: 20 }); // title row
    out.push(p.chips);
  }
  for (const s of layout.services) out.push({ x: s.x, y: s.y, w: s.w, h: 34 });
  return out;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The top-left corner for a `w` × `h` label next to point (x, y), `gap` away from it. */
export function labelSpot(obstacles: readonly Box[], x: number, y: number, w: number, h: number, gap = 9): { x: number; y: number } {
  const candidates = [
    { x: x - w / 2, y: y - gap - h },
    { x: x - w / 2, y: y + gap },
    { x: x + gap, y: y - h / 2 },
    { x: x - gap - w, y: y - h / 2 },
    { x: x - w / 2, y: y - gap - 2 * h },
    { x: x - w / 2, y: y + gap + h },
  ];
  let best = candidates[0]!;
  let bestCover = Infinity;
  for (const c of candidates) {
    const rect = { x: c.x, y: c.y, w, h };
    let cover = 0;
    for (const o of obstacles) cover += overlap(rect, o);
    if (cover === 0) return c;
    if (cover < bestCover) {
      bestCover = cover;
      best = c;
    }
  }
  return best;
}
