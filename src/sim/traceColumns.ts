/**
 * The trace store's columns, each as narrow as the values it holds. Events are written into a
 * wide chunk (times Float64, ids Int32: one typed array kind per column, so writing stays
 * monomorphic); when the chunk is full, each of its columns is copied into the narrowest typed
 * array that holds every value of it exactly — Int8, Int16, Int32 or Float64 — and the wide chunk
 * is written again. Sealing joins the parts of a column at the widest width any part needed, so
 * every value reads back as it was written.
 *
 * The benchmarks' 60 s load has ~1,000 strings and ~1,700 objects: most id columns take 1–2 bytes
 * and times 4, ~33 bytes an event instead of 57.
 */

/** A column: readers index it (`col[i]`) and get the number that was written. */
export type Column = Int8Array | Int16Array | Int32Array | Float64Array;

/** Widths a column can have, narrowest first (a width is an index here). */
const WIDTHS = [Int8Array, Int16Array, Int32Array, Float64Array] as const;

/** The widest width: holds every number. */
const WIDEST = WIDTHS.length - 1;

/**
 * The narrowest width that holds each of the first `n` entries of `col` exactly. One function per
 * array kind (Float64 times, Int32 ids), so each reads one kind of typed array only.
 */
export function widthNeededFloat(col: Float64Array, n: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    // Not a whole number within Int32 (a fraction, NaN, past ±2^31): only Float64 holds it.
    if (v !== (v | 0)) return WIDEST;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return widthOfRange(lo, hi);
}

/** {@link widthNeededFloat} for an Int32 column: every value is whole and within Int32. */
export function widthNeededInt(col: Int32Array, n: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return widthOfRange(lo, hi);
}

/** The narrowest width holding whole numbers from `lo` to `hi` (within Int32). */
function widthOfRange(lo: number, hi: number): number {
  return lo >= -128 && hi <= 127 ? 0 : lo >= -32768 && hi <= 32767 ? 1 : 2;
}

/** The first `n` entries of `col` in a column of `width`: `col` itself when it already is one, full. */
export function narrowed(col: Column, n: number, width: number): Column {
  if (n === col.length && col instanceof WIDTHS[width]!) return col;
  return convert(width, col.subarray(0, n));
}

/**
 * `col`'s values in a new column of `width`. `TypedArray.from` of a typed array converts in one
 * native loop; `set` from another element type is ~15× slower in Node 20's V8 (measured on 64k
 * Int32 → Int8: 290 µs vs 18 µs), and the load's trace narrows ~12 columns of every 64k events.
 */
function convert(width: number, col: Column): Column {
  return WIDTHS[width]!.from(col);
}

/** The parts one after another as one column of `width` (at least as wide as each part); `drop(k)` once part `k` is copied. */
export function joined(width: number, parts: readonly Column[], drop: (k: number) => void): Column {
  let n = 0;
  for (const p of parts) n += p.length;
  if (parts.length === 1 && parts[0] instanceof WIDTHS[width]!) return parts[0];
  const out = new WIDTHS[width]!(n);
  let at = 0;
  parts.forEach((p, k) => {
    // A part of another width is converted first, then copied as it is (a copy between arrays of one kind).
    out.set(p instanceof WIDTHS[width]! ? p : convert(width, p), at);
    at += p.length;
    drop(k);
  });
  return out;
}

/**
 * Gives `col`'s bytes back now, not at the next full collection: the buffer is detached
 * (`ArrayBuffer.prototype.transfer(0)`, where the engine has it: Chromium; Node 20 only behind
 * --harmony-rab-gsab-transfer), so `col` reads empty afterwards. For a part once it is copied: a
 * long run's parts are old by then, and unreleased they stay beside the joined columns until a
 * full collection (the 10-minute load's seal: +140–170 MB in the renderer for ~0.2 s, ~50 MB with it).
 */
export function release(col: Column | Uint8Array | Uint16Array): void {
  (col.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);
}

/** An empty column. */
export const EMPTY_COLUMN: Column = new Int8Array(0);
