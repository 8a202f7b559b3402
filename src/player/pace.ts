/**
 * Show time: how simulated time is laid out on screen. A run's hops last one millisecond and its
 * waits last hours, so playing it at any single rate shows either nothing moving or nothing at
 * all. Show time warps simulated time so that a learner can follow it:
 *
 * - at ×1 simulated time runs {@link PACE.showPerSimMs}× slower than real time (slow motion);
 * - a packet crossing a link stays on screen at least {@link PACE.flightMinShowMs};
 * - a zero-duration hop (an app to its own sidecar) gets a moment of {@link PACE.momentShowMs}
 *   during which simulated time stands still; hops that follow each other within one instant
 *   get one moment each, in order, while unrelated hops share a moment;
 * - an idle stretch (nothing in flight) lasts at most {@link PACE.idleMaxShowMs}; one longer than
 *   {@link PACE.fastForwardNoteMinMs} of simulated time is a *fast-forward*, shown with a note.
 *
 * So ×1 means "slow enough to follow each packet": a request in retries-flaky-pod takes about
 * 1.5 s, the whole 10 s scenario about five minutes, and ×10 plays it in half a minute.
 */
import type { FlightEvent, TraceEvent } from '../sim/index.ts';

/** The tuning of show time (ms of show time at ×1). */
export const PACE = {
  showPerSimMs: 5,
  flightMinShowMs: 320,
  momentShowMs: 160,
  idleMaxShowMs: 1200,
  fastForwardNoteMinMs: 1000,
} as const;

/** A stretch of simulated time squeezed into a short show interval, shown with a note. */
export interface FastForward {
  fromMs: number;
  toMs: number;
  fromShowMs: number;
  toShowMs: number;
}

/** The warp between simulated time and show time, plus each event's place in show time. */
export interface ShowMap {
  /** Distinct instants (simulated ms), ascending; the first is 0, the last the run's end. */
  instantMs: Float64Array;
  /** Show time at which each instant begins. */
  startShow: Float64Array;
  /** Show time the instant's pause lasts (zero-duration hops). */
  pauseShow: Float64Array;
  /** Total show time. */
  endShow: number;
  /** Where each event sits in show time, by `seq`. */
  eventShow: Float64Array;
  /** For flights: the show time they appear and arrive, by `seq` (NaN for other events). */
  flightStart: Float64Array;
  flightEnd: Float64Array;
  fastForwards: FastForward[];
}

function instantIndex(instants: Float64Array, t: number): number {
  let lo = 0;
  let hi = instants.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (instants[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The distinct instants of `traces` (events, and flights' arrivals), with 0 and `durationMs`, ascending. */
function instantsOf(traces: readonly (readonly TraceEvent[])[], durationMs: number): Float64Array {
  let count = 2;
  for (const events of traces) for (const e of events) count += e.type === 'flight' ? 2 : 1;
  const all = new Float64Array(count);
  let k = 0;
  all[k++] = 0;
  all[k++] = durationMs;
  for (const events of traces)
    for (const e of events) {
      all[k++] = e.t;
      if (e.type === 'flight') all[k++] = e.arriveMs;
    }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
  return all.slice(0, n);
}

/** Builds the show-time warp of a trace whose events are in `seq` order. */
export function buildShowMap(events: readonly TraceEvent[], durationMs: number): ShowMap {
  return buildSharedShowMaps([events], durationMs)[0]!;
}

/**
 * One show-time warp for several traces of the same scenario (compare mode): the instants of all
 * of them, each instant's pause as long as the deepest chain of hops in any of them, and each
 * interval as slow as the shortest flight in any of them. So one show time is one simulated time
 * in every trace, and a moment in one trace is a moment in the others. Each trace gets its own
 * event placement on that warp.
 */
export function buildSharedShowMaps(traces: readonly (readonly TraceEvent[])[], durationMs: number): ShowMap[] {
  const instantMs = instantsOf(traces, durationMs);
  const n = instantMs.length;

  // Zero-duration hops: depth within their instant (1 + depth of the hop that brought the packet here).
  const maxDepth = new Uint16Array(n);
  const depths = traces.map((events) => {
    const depthOfSeq = new Uint16Array(events.length);
    const depthAtNode = new Map<string, number>();
    let currentInstant = -1;
    for (const e of events) {
      if (e.type !== 'flight' || e.arriveMs !== e.departMs) continue;
      if (e.t !== currentInstant) {
        currentInstant = e.t;
        depthAtNode.clear();
      }
      const depth = (depthAtNode.get(e.from) ?? 0) + 1;
      depthAtNode.set(e.to, Math.max(depthAtNode.get(e.to) ?? 0, depth));
      depthOfSeq[e.seq] = depth;
      const i = instantIndex(instantMs, e.t);
      if (depth > maxDepth[i]!) maxDepth[i] = depth;
    }
    return depthOfSeq;
  });

  // The shortest flight in motion over each interval decides how slowly that interval plays.
  const shortest = new Float64Array(n).fill(Infinity);
  for (const events of traces)
    for (const e of events) {
      if (e.type !== 'flight' || e.arriveMs === e.departMs) continue;
      const dur = e.arriveMs - e.departMs;
      const end = instantIndex(instantMs, e.arriveMs);
      for (let i = instantIndex(instantMs, e.departMs); i < end; i++) if (dur < shortest[i]!) shortest[i] = dur;
    }

  const startShow = new Float64Array(n);
  const pauseShow = new Float64Array(n);
  const fastForwards: FastForward[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    startShow[i] = s;
    pauseShow[i] = maxDepth[i]! * PACE.momentShowMs;
    s += pauseShow[i]!;
    if (i === n - 1) break;
    const dt = instantMs[i + 1]! - instantMs[i]!;
    let ds = dt * PACE.showPerSimMs;
    if (shortest[i] !== Infinity) ds = Math.max(ds, (PACE.flightMinShowMs * dt) / shortest[i]!);
    else if (ds > PACE.idleMaxShowMs) {
      ds = PACE.idleMaxShowMs;
      if (dt >= PACE.fastForwardNoteMinMs) fastForwards.push({ fromMs: instantMs[i]!, toMs: instantMs[i + 1]!, fromShowMs: s, toShowMs: s + ds });
    }
    s += ds;
  }

  return traces.map((events, k) => {
    const map: ShowMap = {
      instantMs,
      startShow,
      pauseShow,
      endShow: s,
      eventShow: new Float64Array(events.length),
      flightStart: new Float64Array(events.length).fill(NaN),
      flightEnd: new Float64Array(events.length).fill(NaN),
      fastForwards,
    };
    placeEvents(map, events, depths[k]!);
    return map;
  });
}

/** Gives every event its show time: a hop its moment, anything else the end of the hop that led to it. */
function placeEvents(map: ShowMap, events: readonly TraceEvent[], depthOfSeq: Uint16Array): void {
  const { instantMs, startShow, pauseShow } = map;
  const arrivedDepth = new Map<string, number>();
  let currentInstant = -1;
  let previous = 0;
  for (const e of events) {
    const i = instantIndex(instantMs, e.t);
    if (e.t !== currentInstant) {
      currentInstant = e.t;
      arrivedDepth.clear();
      previous = startShow[i]!;
    }
    let at: number;
    if (e.type === 'flight') {
      const depth = depthOfSeq[e.seq]!;
      if (depth > 0) {
        at = startShow[i]! + (depth - 1) * PACE.momentShowMs;
        map.flightStart[e.seq] = at;
        map.flightEnd[e.seq] = at + PACE.momentShowMs;
        arrivedDepth.set(e.to, Math.max(arrivedDepth.get(e.to) ?? 0, depth));
      } else {
        at = startShow[i]! + pauseShow[i]!;
        map.flightStart[e.seq] = at;
        map.flightEnd[e.seq] = startShow[instantIndex(instantMs, e.arriveMs)]!;
      }
    } else if ('node' in e && e.node !== undefined) {
      at = startShow[i]! + (arrivedDepth.get(e.node) ?? 0) * PACE.momentShowMs;
    } else {
      at = previous;
    }
    map.eventShow[e.seq] = at;
    previous = at;
  }
}

/** Simulated time at show time `s`. */
export function timeAtShow(map: ShowMap, s: number): number {
  const { startShow, pauseShow, instantMs } = map;
  if (s <= 0) return 0;
  if (s >= map.endShow) return instantMs[instantMs.length - 1]!;
  const i = instantIndex(startShow, s);
  const moving = startShow[i]! + pauseShow[i]!;
  if (s <= moving || i === instantMs.length - 1) return instantMs[i]!;
  const span = startShow[i + 1]! - moving;
  const t = instantMs[i]! + ((s - moving) / span) * (instantMs[i + 1]! - instantMs[i]!);
  // Round away float noise so that seeking to 3 ms shows 3 ms, not 2.9999999.
  return Math.round(t * 1e6) / 1e6;
}

/** Show time at which simulated time reaches `t` (the start of its pause, if it has one). */
export function showAtTime(map: ShowMap, t: number): number {
  const { startShow, pauseShow, instantMs } = map;
  if (t <= 0) return 0;
  const last = instantMs.length - 1;
  if (t >= instantMs[last]!) return startShow[last]!;
  const i = instantIndex(instantMs, t);
  if (instantMs[i] === t) return startShow[i]!;
  const moving = startShow[i]! + pauseShow[i]!;
  return moving + ((t - instantMs[i]!) / (instantMs[i + 1]! - instantMs[i]!)) * (startShow[i + 1]! - moving);
}

/** Where a flight is at show time `s`: 0 at its source, 1 at its target; null when not in flight. */
export function flightProgress(map: ShowMap, f: FlightEvent, s: number): number | null {
  const start = map.flightStart[f.seq]!;
  const end = map.flightEnd[f.seq]!;
  if (!(s >= start && s < end)) return null;
  if (f.arriveMs === f.departMs) return (s - start) / (end - start);
  return Math.min(1, Math.max(0, (timeAtShow(map, s) - f.departMs) / (f.arriveMs - f.departMs)));
}
