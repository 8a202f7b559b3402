/**
 * Where a card over the picture goes (the question offered at the start, a checkpoint): at the
 * spot among a few around the picture's edges that covers the least of what the learner must see
 * (the control plane, the evidence a checkpoint points at), then the least of the rest of the
 * picture, preferring the top centre when nothing is covered.
 */

/** A box in client (viewport) CSS pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MARGIN = 10;

/** The area `a` and `b` share. */
export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Moves `card` (positioned absolutely in `frame`) to the candidate spot covering least of `must`
 * (weighed far above the rest), then of `rather`, then of the frame's own controls (its zoom
 * buttons); earlier candidates win ties. Returns the spot chosen, in client pixels.
 */
export function placeCard(card: HTMLElement, frame: HTMLElement, must: readonly Rect[], rather: readonly Rect[]): Rect {
  const f = frame.getBoundingClientRect();
  const w = card.offsetWidth;
  const h = card.offsetHeight;
  const controls = [...frame.querySelectorAll<HTMLElement>(':scope > .zoom')].map((z) => {
    const r = z.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  });
  const xs = [(f.width - w) / 2, MARGIN, f.width - w - MARGIN - 44];
  const ys = [MARGIN, f.height - h - MARGIN, (f.height - h) / 2];
  let best: { x: number; y: number; score: number } | null = null;
  let order = 0;
  for (const y of ys)
    for (const x of xs) {
      const spot = { x: f.left + Math.max(0, x), y: f.top + Math.max(0, y), w, h };
      const cover = (rects: readonly Rect[]): number => rects.reduce((sum, r) => sum + overlap(spot, r), 0);
      const score = cover(must) * 1e6 + cover(controls) * 1e3 + cover(rather) + order++ * 1e-3;
      if (!best || score < best.score) best = { x: spot.x - f.left, y: spot.y - f.top, score };
    }
  card.style.left = `${best!.x}px`;
  card.style.top = `${best!.y}px`;
  card.style.transform = 'none';
  return { x: f.left + best!.x, y: f.top + best!.y, w, h };
}
