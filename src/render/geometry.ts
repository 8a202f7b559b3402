/**
 * Plane geometry the layers share: rectangles in world coordinates (one unit is one CSS pixel at
 * zoom 1), their centres, and where the lines between boxes start and end.
 */

/** A rectangle in world coordinates. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Centre of a box. */
export function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/**
 * Where lines to a box aim: its centre, or for a strip (a node proxy along its Kubernetes node)
 * the point of the strip right across from the other end, so a pod's traffic drops straight
 * into its node's proxy.
 */
export function anchorOf(b: Box, toward: { x: number; y: number }): { x: number; y: number } {
  if (b.w <= 3 * b.h) return centre(b);
  return { x: Math.min(b.x + b.w - 12, Math.max(b.x + 12, toward.x)), y: b.y + b.h / 2 };
}

/** Where the segment from `inside` (a point of box `b`) toward `to` leaves the box. */
export function clipTo(b: Box, inside: { x: number; y: number }, to: { x: number; y: number }): { x: number; y: number } {
  const dx = to.x - inside.x;
  const dy = to.y - inside.y;
  if (dx === 0 && dy === 0) return inside;
  const sx = dx > 0 ? (b.x + b.w - inside.x) / dx : dx < 0 ? (b.x - inside.x) / dx : Infinity;
  const sy = dy > 0 ? (b.y + b.h - inside.y) / dy : dy < 0 ? (b.y - inside.y) / dy : Infinity;
  const s = Math.max(0, Math.min(sx, sy));
  return { x: inside.x + dx * s, y: inside.y + dy * s };
}

/** The two ends lines between boxes `a` and `b` aim at. */
export function anchors(a: Box, b: Box): [{ x: number; y: number }, { x: number; y: number }] {
  const pa = anchorOf(a, centre(b));
  const pb = anchorOf(b, pa);
  return [anchorOf(a, pb), pb];
}

/** The fractions of segment (x, y) + f·(dx, dy), f in [0, 1], inside box `b`, or null. */
export function across(b: Box, x: number, y: number, dx: number, dy: number): [number, number] | null {
  let lo = 0;
  let hi = 1;
  for (const [p, d, min, max] of [
    [x, dx, b.x, b.x + b.w],
    [y, dy, b.y, b.y + b.h],
  ] as const) {
    if (Math.abs(d) < 1e-9) {
      if (p < min || p > max) return null;
      continue;
    }
    const a = (min - p) / d;
    const c = (max - p) / d;
    lo = Math.max(lo, Math.min(a, c));
    hi = Math.min(hi, Math.max(a, c));
  }
  return lo < hi ? [lo, hi] : null;
}

/**
 * Whether segment (x, y) + f·(dx, dy), f in [0, 1], passes through box `b`: {@link across} is not
 * null, worked out step for step as it does but with nothing allocated (a layout's routes ask it
 * hundreds of thousands of times: 60 pods' links, linkRoute.ts blocked).
 */
export function crossesBox(b: Box, x: number, y: number, dx: number, dy: number): boolean {
  let lo = 0;
  let hi = 1;
  if (Math.abs(dx) < 1e-9) {
    if (x < b.x || x > b.x + b.w) return false;
  } else {
    const a = (b.x - x) / dx;
    const c = (b.x + b.w - x) / dx;
    lo = Math.max(lo, Math.min(a, c));
    hi = Math.min(hi, Math.max(a, c));
  }
  if (Math.abs(dy) < 1e-9) {
    if (y < b.y || y > b.y + b.h) return false;
  } else {
    const a = (b.y - y) / dy;
    const c = (b.y + b.h - y) / dy;
    lo = Math.max(lo, Math.min(a, c));
    hi = Math.min(hi, Math.max(a, c));
  }
  return lo < hi;
}

/** Whether the segment from `a` to `b` passes through box `box`. */
export function segmentCrosses(a: { x: number; y: number }, b: { x: number; y: number }, box: Box): boolean {
  return crossesBox(box, a.x, a.y, b.x - a.x, b.y - a.y);
}
