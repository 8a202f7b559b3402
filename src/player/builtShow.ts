/**
 * Show maps made when the site was built (build/libraryRuns.ts ships each library run's beside
 * it): the page's first play indexes its run without making one (pace.ts buildShowMap: ~0.15 of
 * the first frame's task). Shipped smaller than made: a flight's start is its event's own show
 * time, and its end is given as its length (a few values, repeated: 110, 150…), which compresses
 * to a fraction of the end times ({@link shipShowMap} checks both come back exactly).
 */
import type { Trace } from '../sim/index.ts';
import { buildShowMap } from './pace.ts';
import type { ShowMap } from './showTime.ts';

export type { ShowMap };

/** A show map as shipped: each flight's show length (NaN: not a flight) instead of its start and end. */
export type ShippedShowMap = Omit<ShowMap, 'flightStart' | 'flightEnd'> & { flightLength: Float64Array };

/** `show` to ship; throws if its flights' starts and ends would not come back exactly ({@link unship}). */
export function shipShowMap(show: ShowMap): ShippedShowMap {
  const { flightStart, flightEnd, ...rest } = show;
  const shipped = { ...rest, flightLength: flightEnd.map((end, seq) => end - show.eventShow[seq]!) };
  const back = unship(shipped);
  for (let seq = 0; seq < flightEnd.length; seq++)
    if (!Object.is(back.flightStart[seq], flightStart[seq]) || !Object.is(back.flightEnd[seq], flightEnd[seq]))
      throw new Error(`show map: flight ${seq} (${flightStart[seq]}–${flightEnd[seq]}) does not ship exactly`);
  return shipped;
}

/** The show map `shipped` was made of. */
function unship(shipped: ShippedShowMap): ShowMap {
  const { flightLength, ...rest } = shipped;
  const n = flightLength.length;
  const flightStart = new Float64Array(n);
  const flightEnd = new Float64Array(n);
  for (let seq = 0; seq < n; seq++) {
    const length = flightLength[seq]!;
    const start = shipped.eventShow[seq]!;
    flightStart[seq] = Number.isNaN(length) ? NaN : start;
    flightEnd[seq] = start + length;
  }
  return { ...rest, flightStart, flightEnd };
}

/** Show maps made when the site was built, by the trace they are of. */
const builtMaps = new WeakMap<Trace, ShowMap>();

/**
 * Takes `shipped` as `trace`'s show map: made when the site was built, by {@link buildShowMap}, of
 * the same run (test/ui/libraryRuns.test.ts checks it is the one made now). Read, never written.
 */
export function useBuiltShowMap(trace: Trace, shipped: ShippedShowMap): void {
  builtMaps.set(trace, unship(shipped));
}

/** `trace`'s own show map: the one made when the site was built, if any, else made now. */
export function showMapOf(trace: Trace): ShowMap {
  return builtMaps.get(trace) ?? buildShowMap(trace.events, trace.durationMs);
}
