/** Where a "more" tab goes along its canvas edge (moreCue.ts): pure, so it is tested without a canvas. */

/** The room a tab keeps from the words beside it (CSS px). */
const GAP = 2;

/**
 * Where along its edge a tab `size` long goes, on an edge `length` long: the middle when it is
 * free, else the nearest start that covers none of `words` (each the span it takes along the
 * edge, of the words across the tab's strip, with how much of the strip it covers), else the
 * start covering least (the nearest such to the middle).
 */
export function slide(length: number, size: number, words: readonly { from: number; to: number; depth: number }[]): number {
  const max = Math.max(0, length - size);
  const middle = Math.min(max, Math.max(0, (length - size) / 2));
  const cost = (at: number): number => {
    let c = 0;
    for (const w of words) c += Math.max(0, Math.min(at + size, w.to + GAP) - Math.max(at, w.from - GAP)) * w.depth;
    return c;
  };
  // The spots worth trying: the middle, against either side of each word, and steps along the edge.
  const spots = [middle];
  for (const w of words) spots.push(w.from - GAP - size, w.to + GAP);
  for (let at = 0; at <= max; at += 4) spots.push(at);
  spots.push(max);
  let best = middle;
  let bestCost = cost(middle);
  for (const raw of spots) {
    if (bestCost === 0 && Math.abs(raw - middle) >= Math.abs(best - middle)) continue;
    const at = Math.min(max, Math.max(0, raw));
    const c = cost(at);
    if (c < bestCost || (c === bestCost && Math.abs(at - middle) < Math.abs(best - middle))) {
      best = at;
      bestCost = c;
    }
  }
  return Math.round(best);
}
