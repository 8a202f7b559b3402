/**
 * Show maps made when the site was built (build/libraryRuns.ts ships each library run's beside
 * it): the page's first play indexes its run without making one (pace.ts buildShowMap: ~0.15 of
 * the first frame's task). Shipped smaller than made: a flight's start is its event's own show
 * time, and its end is given as its length (a few values, repeated: 110, 150…), which compresses
 * to a fraction of the end times ({@link shipShowMap} checks they come back exactly).
 */
import type { Trace } from '../sim/index.ts';
import { buildShowMap } from './pace.ts';
import { keepEndsAsLengths } from './flightEnds.ts';
import { flightEndAt, type ShowMap } from './showTime.ts';

export type { ShowMap };

/** A show map as shipped: by `seq`, each flight's show length (NaN: not a flight) instead of its flights' numbers and ends. */
export type ShippedShowMap = Omit<ShowMap, 'flightSeqs' | 'flightEnd' | 'flightLengthIds' | 'flightLengthOf'> & { flightLength: Float64Array };

/** `show` to ship; throws if its flights' ends would not come back exactly ({@link unship}). */
export function shipShowMap(show: ShowMap): ShippedShowMap {
  const { flightSeqs, flightEnd: _, flightLengthIds: __, flightLengthOf: ___, ...rest } = show;
  const endOf = (k: number): number => flightEndAt(show, k, show.eventShow[flightSeqs[k]!]!);
  const flightLength = new Float64Array(show.eventShow.length).fill(NaN);
  flightSeqs.forEach((seq, k) => (flightLength[seq] = endOf(k) - show.eventShow[seq]!));
  const shipped = { ...rest, flightLength };
  const back = unship(shipped);
  if (back.flightSeqs.length !== flightSeqs.length) throw new Error(`show map: ${flightSeqs.length} flights ship as ${back.flightSeqs.length}`);
  for (let k = 0; k < flightSeqs.length; k++)
    if (back.flightSeqs[k] !== flightSeqs[k] || !Object.is(flightEndAt(back, k, back.eventShow[flightSeqs[k]!]!), endOf(k)))
      throw new Error(`show map: flight ${flightSeqs[k]} (${show.eventShow[flightSeqs[k]!]}–${endOf(k)}) does not ship exactly`);
  return shipped;
}

/** The show map `shipped` was made of. */
function unship(shipped: ShippedShowMap): ShowMap {
  const { flightLength, ...rest } = shipped;
  const n = flightLength.length;
  let count = 0;
  for (let seq = 0; seq < n; seq++) if (!Number.isNaN(flightLength[seq])) count++;
  const flightSeqs = new Int32Array(count);
  const flightEnd = new Float64Array(count);
  count = 0;
  for (let seq = 0; seq < n; seq++) {
    const length = flightLength[seq]!;
    if (Number.isNaN(length)) continue;
    flightSeqs[count] = seq;
    flightEnd[count++] = shipped.eventShow[seq]! + length;
  }
  // Its ends kept as lengths where a map made now keeps them so (pace.ts): the same map either way.
  const map: ShowMap = { ...rest, flightSeqs, flightEnd, flightLengthIds: null, flightLengthOf: null };
  keepEndsAsLengths(map);
  return map;
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

/**
 * Takes `show` as `trace`'s show map: made by the simulation worker (workerAnswer.ts) of the same
 * trace, for a long run, so that the page does not make it while it holds the run.
 */
export function useShowMap(trace: Trace, show: ShowMap): void {
  builtMaps.set(trace, show);
}

/** `trace`'s own show map: the one made when the site was built or in the worker, if any, else made now. */
export function showMapOf(trace: Trace): ShowMap {
  return builtMaps.get(trace) ?? buildShowMap(trace.events, trace.durationMs);
}
