/**
 * Reading a link's line when it bends (linkRoute.ts): the point a fraction along it, how far a
 * point is from it, its longest stretch — for what is placed on a link (its tag, its lock, a
 * pipe's label) rather than per frame (the packets read packetPaths.ts's table) — and its path
 * traced into a Graphics.
 */
import type { Point } from './linkRoute.ts';
import { across, type Box } from './geometry.ts';

/** The point fraction `f` of the way along `points`, and whether the stretch it lies on is level (more across than up or down). */
export function pointAt(points: readonly Point[], f: number): { x: number; y: number; level: boolean } {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  let left = Math.max(0, Math.min(1, f)) * total;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1]!;
    const q = points[i]!;
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    if (left <= len || i === points.length - 1) {
      const s = len ? Math.min(1, left / len) : 0;
      return { x: p.x + (q.x - p.x) * s, y: p.y + (q.y - p.y) * s, level: Math.abs(q.x - p.x) >= Math.abs(q.y - p.y) };
    }
    left -= len;
  }
  const p = points[0]!;
  return { x: p.x, y: p.y, level: true };
}

/** How far point (x, y) is from the line through `points`. */
export function distanceTo(points: readonly Point[], x: number, y: number): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1]!;
    const q = points[i]!;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const f = Math.max(0, Math.min(1, ((x - p.x) * dx + (y - p.y) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(p.x + dx * f - x, p.y + dy * f - y));
  }
  return best;
}

/** The longest straight stretch of `points`: its two ends. */
export function longestStretch(points: readonly Point[]): [Point, Point] {
  let best: [Point, Point] = [points[0]!, points[points.length - 1]!];
  let most = -1;
  for (let i = 1; i < points.length; i++) {
    const len = Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
    if (len > most) {
      most = len;
      best = [points[i - 1]!, points[i]!];
    }
  }
  return best;
}

/** Traces the line through `points` into `g` (a Graphics), ready to stroke. */
export function tracePolyline<G extends { moveTo(x: number, y: number): G; lineTo(x: number, y: number): G }>(g: G, points: readonly Point[]): G {
  g.moveTo(points[0]!.x, points[0]!.y);
  for (let i = 1; i < points.length; i++) g.lineTo(points[i]!.x, points[i]!.y);
  return g;
}

/** How long a stretch of the line through `points` runs inside box `b`. */
export function lengthInside(points: readonly Point[], b: Box): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1]!;
    const q = points[i]!;
    const f = across(b, p.x, p.y, q.x - p.x, q.y - p.y);
    if (f) total += (f[1] - f[0]) * Math.hypot(q.x - p.x, q.y - p.y);
  }
  return total;
}
