/** Where a "more" tab goes along its canvas edge (moreCue.ts): pure, so it is tested without a canvas. */

/**
 * The room a tab keeps from the words beside it (CSS px), where it can: 2 from a line above or
 * below (a tab on a side edge), 6 from words on its own line (a tab on the top or bottom edge,
 * which closer reads as one more word of theirs: "service reviews ▾ more").
 */
export const GAP = { lines: 2, words: 6 } as const;
/**
 * What a pixel of that room is worth, in pixels slid further from the middle: the room is kept
 * unless keeping it sends the tab a long way (ingress-gateway's compare pane: a 19 px gap between
 * a service's title and its first pod's, the tab 17 px high — keeping 2 px each side sent it from
 * the middle of its edge onto the cluster frame's line, 117 px up).
 */
const GAP_WORTH = 20;

/** A span along a tab's edge: what lies across the tab's strip from `from` to `to`, covering `depth` of the strip's width. */
export interface Span {
  from: number;
  to: number;
  depth: number;
}

/**
 * Where along its edge a tab `size` long goes, on an edge `length` long: the middle when it is
 * free, else the nearest start that covers none of `words` (each the span it takes along the
 * edge, of the words across the tab's strip, with how much of the strip it covers) — keeping
 * `gap` from them where that costs little — else the start covering least (the nearest such
 * to the middle). Of the starts covering as little of the words, one covering less of `boxes`
 * (the picture's boxes: a proxy, an app, a dashed empty-sidecar box) is taken: a tab on a box's
 * edge reads as part of it (reviews-0's "node proxy ↓" box in ambient-waypoint-l7's ambient pane).
 */
export function slide(length: number, size: number, words: readonly Span[], gap: number = GAP.lines, boxes: readonly Span[] = []): number {
  const max = Math.max(0, length - size);
  const middle = Math.min(max, Math.max(0, (length - size) / 2));
  const along = (at: number, from: number, to: number): number => Math.max(0, Math.min(at + size, to) - Math.max(at, from));
  /** How much of `spans` the tab at `at` covers. */
  const cover = (at: number, spans: readonly Span[]): number => {
    let c = 0;
    for (const w of spans) c += along(at, w.from, w.to) * w.depth;
    return c;
  };
  /** How far the tab at `at` is from the middle, and the room it takes from the words beside it. */
  const far = (at: number): number => {
    let c = Math.abs(at - middle);
    for (const w of words) c += GAP_WORTH * (along(at, w.from - gap, w.from) + along(at, w.to, w.to + gap));
    return c;
  };
  // The spots worth trying: the middle, against either side of each word (touching or a gap away), of each box, and steps along the edge.
  const spots = [middle];
  for (const w of words) spots.push(w.from - gap - size, w.from - size, w.to, w.to + gap);
  for (const b of boxes) spots.push(b.from - size, b.to);
  for (let at = 0; at <= max; at += 4) spots.push(at);
  spots.push(max);
  // Least words covered, then least of the boxes, then nearest the middle (keeping its room).
  const cost = (at: number): [number, number, number] => [cover(at, words), cover(at, boxes), far(at)];
  const less = (a: readonly number[], b: readonly number[]): boolean => a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && a[2]! < b[2]!)));
  let best = middle;
  let bestCost = cost(middle);
  for (const raw of spots) {
    const at = Math.min(max, Math.max(0, raw));
    const c = cost(at);
    if (less(c, bestCost)) {
      best = at;
      bestCost = c;
    }
  }
  return Math.round(best);
}
