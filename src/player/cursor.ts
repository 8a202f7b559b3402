/**
 * A point in the replay and what has happened there: every index of the player (steps, flights,
 * transitions, requests) is in (show time, seq) order, so what is done at a cursor is a prefix,
 * found by binary search.
 */

/** A point in the replay: show time `showMs`, with events at exactly that show time done up to `seq`. */
export interface Cursor {
  showMs: number;
  /** Events at exactly `showMs` with a larger `seq` have not happened yet. */
  seq: number;
}

/** Whether the event at (`showMs`, `seq`) has happened at `cursor`. */
export function done(showMs: number, seq: number, cursor: Cursor): boolean {
  return showMs < cursor.showMs || (showMs === cursor.showMs && seq <= cursor.seq);
}

/** Number of items in a (show, seq)-ordered list that have happened at `cursor`. */
export function countDone(shows: ArrayLike<number>, seqOf: (i: number) => number, cursor: Cursor): number {
  return countDoneOf(shows.length, (i) => shows[i]!, seqOf, cursor);
}

/** {@link countDone} of a list of `length` items whose show times are read through `showOf` (a list that keeps only `seq`s). */
export function countDoneOf(length: number, showOf: (i: number) => number, seqOf: (i: number) => number, cursor: Cursor): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (done(showOf(mid), seqOf(mid), cursor)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of the ascending `sorted` are below `n` (where `n` is, or would go). */
export function countBelow(sorted: ArrayLike<number>, n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
