/**
 * Show time: how simulated time is laid out on screen. A run's hops last one millisecond and its
 * waits last hours, so playing it at any single rate shows either nothing moving or nothing at
 * all. Show time warps simulated time so that a learner can follow it:
 *
 * - at ×1 simulated time runs {@link PACE.showPerSimMs}× slower than real time (slow motion), so
 *   a request's life (its hops, the app's work, the way back) takes about a second;
 * - an idle stretch (nothing in flight) lasts at most {@link PACE.idleMaxShowMs}; one longer than
 *   {@link PACE.fastForwardNoteMinMs} of simulated time is a *fast-forward*, shown with a note;
 * - a run of events repeated many times (a {@link Fold}: CSR retries while the CA is down) plays in
 *   {@link PACE.foldShowMs}, with a note saying what repeats.
 *
 * That warp is one line from simulated time to show time: the clock and the scrubber read it.
 * Packets are then placed on it so each can be followed: a packet crossing a link stays on screen
 * at least {@link PACE.flightMinShowMs}, a hop between an app and its own sidecar (no simulated
 * time) lasts {@link PACE.momentShowMs}, and packets one node sends together in one conversation
 * leave {@link PACE.staggerShowMs} apart. A packet waits until the one before it in the same
 * conversation (the same request, or the same pair of nodes) has arrived, so a request's hops
 * play in order; conversations do not wait for each other, so many requests play side by side
 * instead of one after another. The lag this adds to a packet is at most {@link PACE.maxLagShowMs},
 * and at most {@link PACE.maxLagSimMs} of simulated time behind the clock: where a conversation
 * would lag more (a handshake running into an idle wait the warp squeezes, a burst of packets at
 * one node), the clock holds at that instant until it has caught up, so no step plays long after
 * the clock has passed its time.
 */
import type { FlightEvent, NodeId, TraceEvent } from '../sim/index.ts';
import { foldsOf, type Fold } from './folds.ts';

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

/** Rounds of holding the clock for lagging packets (each places every event once more). */
const HOLD_ROUNDS = 2;
/** A lag this little past the limit (float noise) needs no hold. */
const HOLD_SLACK_SHOW_MS = 1e-6;

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
  /** Where each event sits in show time, by `seq`. */
  eventShow: Float64Array;
  /** For flights: the show time they appear and arrive, by `seq` (NaN for other events). */
  flightStart: Float64Array;
  flightEnd: Float64Array;
  fastForwards: FastForward[];
  /** This trace's runs of repeated events. */
  folds: Fold[];
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
 * of them, each interval as slow as any of them needs, a fold squeezed only where every trace is
 * folded or idle. So one show time is one simulated time in every trace. Each trace gets its own
 * placement of packets and events on that warp.
 */
export function buildSharedShowMaps(traces: readonly (readonly TraceEvent[])[], durationMs: number): ShowMap[] {
  const instantMs = instantsOf(traces, durationMs);
  const n = instantMs.length;

  // Intervals with a packet on the wire play at the slow-motion rate; idle ones are capped.
  const busy = new Uint8Array(n);
  for (const events of traces)
    for (const e of events) {
      if (e.type !== 'flight' || e.arriveMs === e.departMs) continue;
      const end = instantIndex(instantMs, e.arriveMs);
      for (let i = instantIndex(instantMs, e.departMs); i < end; i++) busy[i] = 1;
    }
  const ds = new Float64Array(n);
  const idle: FastForward[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const dt = instantMs[i + 1]! - instantMs[i]!;
    ds[i] = dt * PACE.showPerSimMs;
    if (!busy[i] && ds[i]! > PACE.idleMaxShowMs) {
      ds[i] = PACE.idleMaxShowMs;
      if (dt >= PACE.fastForwardNoteMinMs) idle.push({ fromMs: instantMs[i]!, toMs: instantMs[i + 1]!, fromShowMs: i, toShowMs: i + 1 });
    }
  }

  // Folds: each trace's runs; a run squeezes the warp only where the other traces have nothing
  // but their own folds.
  const folds = traces.map((events) => foldsOf(events));
  const squeezed: { fromMs: number; toMs: number; text: string }[] = [];
  traces.forEach((_, k) => {
    for (const f of folds[k]!) {
      const clash = traces.some(
        (events, j) => j !== k && events.some((e) => e.t > f.fromMs && e.t < f.toMs && !folds[j]!.some((g) => e.seq >= g.fromSeq && e.seq <= g.toSeq)),
      );
      if (!clash && !squeezed.some((s) => s.fromMs < f.toMs && f.fromMs < s.toMs)) squeezed.push({ fromMs: f.fromMs, toMs: f.toMs, text: f.text });
    }
  });
  const notes: FastForward[] = [];
  for (const s of squeezed) {
    const from = instantIndex(instantMs, s.fromMs);
    const to = instantIndex(instantMs, s.toMs);
    let total = 0;
    for (let i = from; i < to; i++) total += ds[i]!;
    if (total <= PACE.foldShowMs) continue;
    for (let i = from; i < to; i++) ds[i] = (ds[i]! * PACE.foldShowMs) / total;
    notes.push({ fromMs: s.fromMs, toMs: s.toMs, fromShowMs: from, toShowMs: to, text: s.text });
  }

  // The clock holds at an instant while a packet of that instant lags more than
  // PACE.maxLagSimMs behind it: conversations play side by side, but no step plays after the
  // clock has passed its own time by more than that. Holds are found by placing, then placing
  // again on the held warp (a hold moves what follows, so one more round may find more); the last
  // placement caps what lag is left.
  const startShow = new Float64Array(n);
  const holdShow = new Float64Array(n);
  const warp = (): void => {
    for (let i = 1; i < n; i++) startShow[i] = startShow[i - 1]! + holdShow[i - 1]! + ds[i - 1]!;
  };
  warp();
  const place = (cap: boolean): ShowMap[] =>
    traces.map((events, k) => {
      const map: ShowMap = {
        instantMs,
        startShow,
        holdShow,
        endShow: startShow[n - 1]!,
        eventShow: new Float64Array(events.length),
        flightStart: new Float64Array(events.length).fill(NaN),
        flightEnd: new Float64Array(events.length).fill(NaN),
        fastForwards: [],
        folds: folds[k]!,
      };
      placeEvents(map, events, cap);
      return map;
    });
  let maps = place(false);
  const runEnd = instantMs[n - 1]!;
  for (let round = 0; round < HOLD_ROUNDS; round++) {
    const extra = new Float64Array(n);
    let held = false;
    maps.forEach((map, k) => {
      for (const e of traces[k]!) {
        const shown = e.type === 'flight' ? map.flightStart[e.seq]! : map.eventShow[e.seq]!;
        // Past the run's end the clock stops anyway: the last packets finish after it.
        if (e.t + PACE.maxLagSimMs >= runEnd) continue;
        const need = shown - showAtTime(map, e.t + PACE.maxLagSimMs);
        if (need <= HOLD_SLACK_SHOW_MS) continue;
        const i = instantIndex(instantMs, e.t);
        if (need > extra[i]!) extra[i] = need;
        held = true;
      }
    });
    if (!held) break;
    for (let i = 0; i < n; i++) holdShow[i] = holdShow[i]! + extra[i]!;
    warp();
    maps = place(round === HOLD_ROUNDS - 1);
  }

  // Notes were collected with instant indices: turn them into show times; an idle wait inside a fold is the fold's.
  const inFold = (f: FastForward): boolean => notes.some((g) => f.fromShowMs >= g.fromShowMs && f.toShowMs <= g.toShowMs);
  const fastForwards = [...idle.filter((f) => !inFold(f)), ...notes]
    .map((f) => ({ ...f, fromShowMs: startShow[f.fromShowMs]! + holdShow[f.fromShowMs]!, toShowMs: startShow[f.toShowMs]! }))
    .sort((a, b) => a.fromShowMs - b.fromShowMs);
  for (const m of maps) m.fastForwards = fastForwards;
  // One end for every pane: the last packet of any of them.
  const end = Math.max(...maps.map((m) => m.endShow));
  for (const m of maps) m.endShow = end;
  return maps;
}

/** The conversation an event belongs to: its request, else the pair of nodes (a handshake, a push), else its node. */
function chainOf(e: TraceEvent): string {
  if ('requestId' in e && e.requestId) return `r:${e.requestId}`;
  if (e.type === 'flight') return e.from < e.to ? `p:${e.from}|${e.to}` : `p:${e.to}|${e.from}`;
  if (e.type === 'transition' && e.peer) return e.node < e.peer ? `p:${e.node}|${e.peer}` : `p:${e.peer}|${e.node}`;
  return 'node' in e && e.node ? `n:${e.node}` : 'none';
}

/**
 * Places every event and packet on the warp: at its simulated moment, or later while what it
 * follows is still on its way — the packet before it in its conversation, or anything that
 * reached its node at the same instant.
 */
function placeEvents(map: ShowMap, events: readonly TraceEvent[], cap: boolean): void {
  const { instantMs, startShow } = map;
  const at = (t: number): number => showAtTime(map, t);
  /** The latest an event at `t` may show: a lag of at most PACE.maxLagShowMs, and (last round) PACE.maxLagSimMs behind the clock. */
  const limit = (t: number, base: number): number =>
    Math.min(base + PACE.maxLagShowMs, cap && t + PACE.maxLagSimMs < instantMs[instantMs.length - 1]! ? Math.max(base, at(t + PACE.maxLagSimMs)) : Infinity);
  /** Where each conversation is, per node: the show time it got there. */
  const ready = new Map<string, number>();
  /** What reached or left each node at each instant: later events there at that instant wait for it. */
  const instant = new Map<string, number>();
  /** The last departure of each conversation from each node, to stagger packets sent together. */
  const lastStart = new Map<string, { t: number; show: number }>();
  /** Requests each node is serving: a call it makes while serving one follows that request. */
  const serving = new Map<NodeId, { requestId: string; show: number }[]>();
  const raise = (m: Map<string, number>, key: string, v: number): void => {
    if ((m.get(key) ?? -Infinity) < v) m.set(key, v);
  };
  const folds = map.folds;
  let fold = 0;
  let end = startShow[instantMs.length - 1]!;
  let previous = { t: -1, show: 0 };
  const loose = new Set<number>();
  for (const e of events) {
    while (fold < folds.length && folds[fold]!.toSeq < e.seq) fold++;
    const base = at(e.t);
    // Inside a fold everything plays on the squeezed warp as it is: no lag, no minimum.
    if (fold < folds.length && folds[fold]!.fromSeq <= e.seq) {
      map.eventShow[e.seq] = base;
      if (e.type === 'flight') {
        map.flightStart[e.seq] = base;
        map.flightEnd[e.seq] = Math.max(at(e.arriveMs), base + 1e-3);
      }
      previous = { t: e.t, show: base };
      continue;
    }
    const chain = chainOf(e);
    let show = base;
    const wait = (v: number | undefined): void => {
      if (v !== undefined && v > show) show = v;
    };
    if (e.type === 'flight') {
      wait(ready.get(`${chain}@${e.from}`));
      wait(instant.get(`${e.from}@${e.t}`));
      const last = lastStart.get(`${chain}@${e.from}`);
      if (last && last.t === e.t) wait(last.show + PACE.staggerShowMs);
      show = Math.min(show, limit(e.t, base));
      const stop = show + (e.arriveMs === e.departMs ? PACE.momentShowMs : Math.max(at(e.arriveMs) - base, PACE.flightMinShowMs));
      map.flightStart[e.seq] = show;
      map.flightEnd[e.seq] = stop;
      lastStart.set(`${chain}@${e.from}`, { t: e.t, show });
      raise(ready, `${chain}@${e.from}`, show);
      raise(ready, `${chain}@${e.to}`, stop);
      raise(instant, `${e.from}@${e.t}`, show);
      raise(instant, `${e.to}@${e.arriveMs}`, stop);
      if (e.requestId && e.kind === 'http-request') (serving.get(e.to) ?? serving.set(e.to, []).get(e.to)!).push({ requestId: e.requestId, show: stop });
      if (e.requestId && e.kind === 'http-response') {
        const list = serving.get(e.from);
        const i = list?.findIndex((s) => s.requestId === e.requestId) ?? -1;
        if (i >= 0) list!.splice(i, 1);
      }
      if (stop > end) end = stop;
    } else if ('node' in e && e.node) {
      wait(ready.get(`${chain}@${e.node}`));
      wait(instant.get(`${e.node}@${e.t}`));
      if (e.type === 'request' && e.phase === 'start') {
        const parent = serving.get(e.node)?.at(-1);
        wait(parent?.show);
      }
      show = Math.min(show, limit(e.t, base));
      raise(ready, `${chain}@${e.node}`, show);
      raise(instant, `${e.node}@${e.t}`, show);
    } else if (previous.t === e.t) show = Math.max(base, previous.show);
    else loose.add(e.seq);
    map.eventShow[e.seq] = show;
    previous = { t: e.t, show };
    if (show > end) end = show;
  }
  // An event tied to no node (narration at a time) shows when what happens at its instant starts
  // to show: with the first of those events, however late they lag.
  const firstAt = new Map<number, number>();
  for (const e of events) {
    const show = e.type === 'flight' ? map.flightStart[e.seq]! : map.eventShow[e.seq]!;
    if (!loose.has(e.seq) && show < (firstAt.get(e.t) ?? Infinity)) firstAt.set(e.t, show);
  }
  for (const seq of loose) {
    const first = firstAt.get(events[seq]!.t);
    if (first !== undefined && first > map.eventShow[seq]!) map.eventShow[seq] = first;
  }
  map.endShow = end;
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

/** Where a flight is at show time `s`: 0 at its source, 1 at its target; null when not in flight. */
export function flightProgress(map: ShowMap, f: FlightEvent, s: number): number | null {
  const start = map.flightStart[f.seq]!;
  const end = map.flightEnd[f.seq]!;
  if (!(s >= start && s < end)) return null;
  return (s - start) / (end - start);
}
