/**
 * Where an HBONE pipe's label goes (sceneStatic.ts writes one per pipe): beside the pipe, where it
 * covers nothing written, inside the drawing.
 */
import type { Box } from './geometry.ts';
import { labelSpot } from './labelSpots.ts';

/**
 * Where a pipe's `w` × `h` label goes: beside its middle, else beside a point further along it
 * (a third, two thirds, a sixth, five sixths) — the first spot that covers nothing written and
 * stays inside the drawing (`bounds`, which the fit shows whole); else — `anyway` — the middle's,
 * moved inside, or none.
 */
export function pipeLabelSpot(
  obstacles: readonly Box[],
  bounds: Box,
  a: { x: number; y: number },
  b: { x: number; y: number },
  w: number,
  h: number,
  anyway: boolean,
): { x: number; y: number } | null {
  const within = (s: { x: number; y: number }): { x: number; y: number } => ({
    x: Math.min(bounds.x + bounds.w - w, Math.max(bounds.x, s.x)),
    y: Math.min(bounds.y + bounds.h - h, Math.max(bounds.y, s.y)),
  });
  const covers = (s: { x: number; y: number }): boolean => obstacles.some((o) => s.x < o.x + o.w && o.x < s.x + w && s.y < o.y + o.h && o.y < s.y + h);
  for (const f of [1 / 2, 1 / 3, 2 / 3, 1 / 6, 5 / 6]) {
    const s = labelSpot(obstacles, a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f, w, h, 10);
    const inside = within(s);
    if (inside.x === s.x && inside.y === s.y && !covers(s)) return s;
  }
  return anyway ? within(labelSpot(obstacles, (a.x + b.x) / 2, (a.y + b.y) / 2, w, h, 10)) : null;
}
