/**
 * A sealed store's flight arrivals kept as lengths (TraceStore.arriveRelative): a flight's `x` is
 * its arrival time, and in a long run those need 4 bytes (the 10-minute load's run to 600,000 ms)
 * where the lengths — arrival less the flight's time, a few ms — need 2. Only when every time and
 * arrival is whole (their columns in integer widths): then each length is exact, and so is the time
 * plus its length read back (TraceStore.arriveAt).
 */
import { type Column, narrowed, release, widthNeededInt } from './traceColumns.ts';
import { FLIGHT } from './traceViews.ts';

/**
 * `x` with each flight's arrival less its time (`t`), in a column as narrow as that allows; null
 * when a time or an arrival is not whole, or a length would not fit in 32 bits. `x` is given back
 * (release) when it is replaced: it is a sealed store's, which takes the result instead.
 */
export function arrivalsAsLengths(t: Column, x: Column, type: Uint8Array, length: number): Column | null {
  if (t instanceof Float64Array || x instanceof Float64Array) return null;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < length; i++)
    if (type[i] === FLIGHT) {
      const d = x[i]! - t[i]!;
      if (d < lo) lo = d;
      else if (d > hi) hi = d;
    }
  if (lo < -0x80000000 || hi > 0x7fffffff) return null;
  // Worked out in 32 bits (a length may need more than its arrival did), then narrowed again.
  const wide = x instanceof Int32Array ? x : Int32Array.from(x);
  for (let i = 0; i < length; i++) if (type[i] === FLIGHT) wide[i] = wide[i]! - t[i]!;
  const out = narrowed(wide, length, widthNeededInt(wide, length));
  if (out !== wide) release(wide);
  if (x !== wide && x !== out) release(x);
  return out;
}
