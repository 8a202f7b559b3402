/**
 * The instants of a show-time warp (pace.ts): every distinct simulated time at which something
 * happens in the traces — an event, or a flight's arrival — ascending.
 */
import { FLIGHT, arrivalAt, type EventFacts } from './paceFacts.ts';

/**
 * The distinct instants of the traces (events, and flights' arrivals), with 0 and `durationMs`,
 * ascending. A trace's events come in time order, and its flights arrive soon after they leave: its
 * instants are walked in order ({@link walkedInstants}), with no sort. A trace whose times are out
 * of order is sorted whole, and one with a flight arriving before its time has its arrivals sorted
 * apart and merged with its times.
 */
export function instantsOf(facts: readonly EventFacts[], durationMs: number): Float64Array {
  const inOrder = facts.map((f) => ascending(f.t));
  const walked = facts.map((f, k) => (inOrder[k] ? walkedInstants(f) : null));
  let count = 2;
  for (let k = 0; k < facts.length; k++) {
    const f = facts[k]!;
    if (walked[k]) continue;
    if (!inOrder[k]) count += f.t.length;
    for (let i = 0; i < f.t.length; i++) if (f.flags[i]! & FLIGHT) count++;
  }
  const rest = new Float64Array(count);
  let k = 0;
  rest[k++] = 0;
  rest[k++] = durationMs;
  facts.forEach((f, j) => {
    if (walked[j]) return;
    for (let i = 0; i < f.t.length; i++) {
      if (!inOrder[j]) rest[k++] = f.t[i]!;
      if (f.flags[i]! & FLIGHT) rest[k++] = arrivalAt(f, i);
    }
  });
  rest.sort();
  let all = distinct(rest, rest.length);
  facts.forEach((f, j) => {
    if (inOrder[j]) all = mergeDistinct(all, walked[j] ?? f.t);
  });
  return all;
}

/**
 * The instants of a trace whose times are in order, ascending and without repeats: its times as
 * they come, each flight's arrival held in a heap until the walk passes it (a few flights are on
 * their way at once). Sorting the 10-minute run's 3.6 million arrivals cost ~0.25 s and an array
 * of 29 MB. Null if a flight arrives before its own time.
 */
function walkedInstants(f: EventFacts): Float64Array | null {
  let out = new Float64Array(1024);
  let n = 0;
  const take = (v: number): void => {
    if (n > 0 && out[n - 1] === v) return;
    if (n === out.length) {
      const grown = new Float64Array(2 * n);
      grown.set(out);
      out = grown;
    }
    out[n++] = v;
  };
  // A binary min-heap of the arrivals ahead.
  let heap = new Float64Array(64);
  let size = 0;
  const push = (v: number): void => {
    if (size === heap.length) {
      const grown = new Float64Array(2 * size);
      grown.set(heap);
      heap = grown;
    }
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= v) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = v;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const v = heap[--size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= v) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = v;
    return top;
  };
  for (let i = 0; i < f.t.length; i++) {
    const t = f.t[i]!;
    while (size > 0 && heap[0]! <= t) take(pop());
    take(t);
    if (f.flags[i]! & FLIGHT) {
      const arrive = arrivalAt(f, i);
      // (NaN too.)
      if (!(arrive >= t)) return null;
      push(arrive);
    }
  }
  while (size > 0) take(pop());
  return out.slice(0, n);
}

function ascending(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) return false;
  return true;
}

/** The first `n` entries of ascending `xs` without repeats (`xs` is overwritten). */
function distinct(xs: Float64Array, n: number): Float64Array {
  let m = 0;
  for (let i = 0; i < n; i++) if (m === 0 || xs[i] !== xs[m - 1]) xs[m++] = xs[i]!;
  return xs.slice(0, m);
}

/**
 * Two ascending lists as one, ascending and without repeats: counted first, then written into an
 * array of that length (the 10-minute run's 5.4 million times hold 0.47 million instants: an
 * array for all of them cost 72 MB while its show map was made).
 */
function mergeDistinct(a: Float64Array, b: ArrayLike<number>): Float64Array {
  const merge = (out: Float64Array | null): number => {
    let i = 0;
    let j = 0;
    let n = 0;
    // The last value taken (NaN: none yet); both tails taken after the merge, without repeats.
    let last = NaN;
    const take = (v: number): void => {
      if (v === last) return;
      if (out) out[n] = v;
      n++;
      last = v;
    };
    while (i < a.length && j < b.length) take(a[i]! <= b[j]! ? a[i++]! : b[j++]!);
    for (; i < a.length; i++) take(a[i]!);
    for (; j < b.length; j++) take(b[j]!);
    return n;
  };
  const out = new Float64Array(merge(null));
  merge(out);
  return out;
}
