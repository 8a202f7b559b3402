/**
 * Show time read: the tuning ({@link PACE}), the warp a show map holds between simulated time and
 * show time, and the two ways of reading it. pace.ts builds show maps; placement.ts places events on them.
 */
import type { FlightEvent } from '../sim/index.ts';
import type { Fold } from './folds.ts';
import { countBelow } from './cursor.ts';

/** The tuning of show time (ms of show time at ×1). */
export const PACE = {
  showPerSimMs: 10,
  flightMinShowMs: 150,
  momentShowMs: 110,
  staggerShowMs: 70,
  maxLagShowMs: 2500,
  maxLagSimMs: 250,
  idleMaxShowMs: 1200,
  fastForwardNoteMinMs: 1000,
  foldShowMs: 3000,
} as const;

/** A stretch of simulated time squeezed into a short show interval, shown with a note. */
export interface FastForward {
  fromMs: number;
  toMs: number;
  fromShowMs: number;
  toShowMs: number;
  /** What a folded run repeats; none for an idle wait. */
  text?: string;
}

/** The warp between simulated time and show time, plus each event's place in show time. */
export interface ShowMap {
  /** Distinct instants (simulated ms), ascending; the first is 0, the last the run's end. */
  instantMs: Float64Array;
  /** Show time at which each instant is reached. */
  startShow: Float64Array;
  /** How long the clock holds at each instant before moving on (while a conversation catches up). */
  holdShow: Float64Array;
  /** Total show time: the warp's end, or later while the last packets finish. */
  endShow: number;
  /**
   * Where each event sits in show time, by `seq`; a flight's is when it appears (leaves its source).
   * In 4 bytes when every value is exactly a Float32 ({@link narrowShows}: the 10-minute load's are
   * whole milliseconds up to 6 million, 21.6 MB instead of 43.3), else in 8.
   */
  eventShow: ShowTimes;
  /**
   * Each flight's `seq`, in trace order: flight k is the trace's k-th flight. Flights are kept by
   * this number, not by `seq`: a long run's other events (a third of the 10-minute run's 5.4
   * million) would each hold a NaN.
   */
  flightSeqs: Int32Array;
  /** When flight k arrives (reaches its target), in show time; null when kept as lengths (below). */
  flightEnd: Float64Array | null;
  /**
   * Flight k's show length, as an index into `flightLengthOf`, when a made map's flights take at
   * most 255 lengths and each start plus its length is its end exactly (flightEnds.ts):
   * the 10-minute load's 3.6 million flights take two (110 and 150 ms), 3.6 MB instead of 28.8.
   * Read a flight's end with {@link flightEndAt}.
   */
  flightLengthIds: Uint8Array | null;
  flightLengthOf: Float64Array | null;
  fastForwards: FastForward[];
  /** This trace's runs of repeated events. */
  folds: Fold[];
}

/** Show times by `seq`: Float32 where that holds them exactly. */
export type ShowTimes = Float64Array | Float32Array;

/** `shows` in 4 bytes each when every one of them is exactly a Float32, else `shows` itself. */
export function narrowShows(shows: Float64Array): ShowTimes {
  for (let i = 0; i < shows.length; i++) if (Math.fround(shows[i]!) !== shows[i]) return shows;
  const out = new Float32Array(shows.length);
  out.set(shows);
  return out;
}

export function instantIndex(instants: Float64Array, t: number): number {
  let lo = 0;
  let hi = instants.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (instants[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * {@link instantIndex} for times read mostly in ascending order (a trace's, in `seq` order): each
 * found by stepping on from the one before, by binary search when a time goes back or jumps. What
 * placing reads instead of an index per event (the 10-minute run's would be 22 MB).
 */
export function instantWalker(instants: Float64Array): (t: number) => number {
  const n = instants.length;
  let at = 0;
  return (t) => {
    if (at + 1 < n && instants[at + 1]! <= t) {
      at++;
      if (at + 1 < n && instants[at + 1]! <= t) at = instantIndex(instants, t);
    } else if (instants[at]! > t) at = instantIndex(instants, t);
    return at;
  };
}

/** Simulated time at show time `s` (the warp's; packets may lag it, by at most {@link PACE.maxLagSimMs}). */
export function timeAtShow(map: Pick<ShowMap, 'instantMs' | 'startShow' | 'holdShow'>, s: number): number {
  const { startShow, holdShow, instantMs } = map;
  const last = instantMs.length - 1;
  if (s <= 0) return 0;
  if (s >= startShow[last]!) return instantMs[last]!;
  const i = instantIndex(startShow, s);
  const moving = startShow[i]! + holdShow[i]!;
  if (s <= moving) return instantMs[i]!;
  const span = startShow[i + 1]! - moving;
  const t = span > 0 ? instantMs[i]! + ((s - moving) / span) * (instantMs[i + 1]! - instantMs[i]!) : instantMs[i]!;
  // Round away float noise so that seeking to 3 ms shows 3 ms, not 2.9999999.
  return Math.round(t * 1e6) / 1e6;
}

/** Show time at which simulated time reaches `t` (the start of a hold at an instant). */
export function showAtTime(map: Pick<ShowMap, 'instantMs' | 'startShow' | 'holdShow'>, t: number): number {
  const { startShow, holdShow, instantMs } = map;
  if (t <= 0) return 0;
  const last = instantMs.length - 1;
  if (t >= instantMs[last]!) return startShow[last]!;
  const i = instantIndex(instantMs, t);
  if (instantMs[i] === t) return startShow[i]!;
  const moving = startShow[i]! + holdShow[i]!;
  return moving + ((t - instantMs[i]!) / (instantMs[i + 1]! - instantMs[i]!)) * (startShow[i + 1]! - moving);
}

/** The flight number (an index into `map.flightSeqs`) of event `seq`, or -1 when it is no flight. */
export function flightOf(map: Pick<ShowMap, 'flightSeqs'>, seq: number): number {
  const k = countBelow(map.flightSeqs, seq);
  return map.flightSeqs[k] === seq ? k : -1;
}

/** When event `seq` appears and arrives, as a flight, in show time; NaN for an event that is no flight. */
export function flightSpan(map: ShowMap, seq: number): { start: number; end: number } {
  const k = flightOf(map, seq);
  return k < 0 ? { start: NaN, end: NaN } : { start: map.eventShow[seq]!, end: flightEndAt(map, k, map.eventShow[seq]!) };
}

/** When flight k arrives, in show time; `start`: when it appears (its event's show time). */
export function flightEndAt(map: Pick<ShowMap, 'flightEnd' | 'flightLengthIds' | 'flightLengthOf'>, k: number, start: number): number {
  return map.flightEnd ? map.flightEnd[k]! : start + map.flightLengthOf![map.flightLengthIds![k]!]!;
}

/** Where a flight is at show time `s`: 0 at its source, 1 at its target; null when not in flight. */
export function flightProgress(map: ShowMap, f: FlightEvent, s: number): number | null {
  const { start, end } = flightSpan(map, f.seq);
  if (!(s >= start && s < end)) return null;
  return (s - start) / (end - start);
}
