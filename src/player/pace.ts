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
import type { FlightEvent, TraceEvent } from '../sim/index.ts';
import { foldsOf, type Fold } from './folds.ts';
import { PairTable } from './pairTable.ts';
import { AT_NODE, FLIGHT, HTTP_REQUEST, HTTP_RESPONSE, MOMENT, REQUEST_START, factsOf, type EventFacts } from './paceFacts.ts';

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

/** The distinct instants of the traces (events, and flights' arrivals), with 0 and `durationMs`, ascending. */
function instantsOf(facts: readonly EventFacts[], durationMs: number): Float64Array {
  let count = 2;
  for (const f of facts) for (let i = 0; i < f.t.length; i++) count += f.flags[i]! & FLIGHT ? 2 : 1;
  const all = new Float64Array(count);
  let k = 0;
  all[k++] = 0;
  all[k++] = durationMs;
  for (const f of facts)
    for (let i = 0; i < f.t.length; i++) {
      all[k++] = f.t[i]!;
      if (f.flags[i]! & FLIGHT) all[k++] = f.arrive[i]!;
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
  const facts = traces.map(factsOf);
  const instantMs = instantsOf(facts, durationMs);
  const n = instantMs.length;
  for (const f of facts)
    for (let i = 0; i < f.t.length; i++) {
      f.tIndex[i] = instantIndex(instantMs, f.t[i]!);
      if (f.flags[i]! & FLIGHT) f.arriveIndex[i] = instantIndex(instantMs, f.arrive[i]!);
    }

  // Intervals with a packet on the wire play at the slow-motion rate; idle ones are capped.
  const busy = new Uint8Array(n);
  for (const f of facts)
    for (let e = 0; e < f.t.length; e++) {
      if (!(f.flags[e]! & FLIGHT) || f.flags[e]! & MOMENT) continue;
      const end = f.arriveIndex[e]!;
      for (let i = instantIndex(instantMs, f.depart[e]!); i < end; i++) busy[i] = 1;
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
  const outsideFolds = (j: number, fromMs: number, toMs: number): boolean => {
    const t = facts[j]!.t;
    for (let seq = 0; seq < t.length; seq++) if (t[seq]! > fromMs && t[seq]! < toMs && !folds[j]!.some((g) => seq >= g.fromSeq && seq <= g.toSeq)) return true;
    return false;
  };
  traces.forEach((_, k) => {
    for (const f of folds[k]!) {
      const clash = traces.some((__, j) => j !== k && outsideFolds(j, f.fromMs, f.toMs));
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
  const slots = facts.map((f) => slotsOf(f));
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
      placeEvents(map, facts[k]!, slots[k]!, cap);
      return map;
    });
  let maps = place(false);
  const runEnd = instantMs[n - 1]!;
  for (let round = 0; round < HOLD_ROUNDS; round++) {
    const extra = new Float64Array(n);
    let held = false;
    maps.forEach((map, k) => {
      const f = facts[k]!;
      for (let seq = 0; seq < f.t.length; seq++) {
        const t = f.t[seq]!;
        const shown = f.flags[seq]! & FLIGHT ? map.flightStart[seq]! : map.eventShow[seq]!;
        // Past the run's end the clock stops anyway: the last packets finish after it.
        if (t + PACE.maxLagSimMs >= runEnd) continue;
        const need = shown - showAtTime(map, t + PACE.maxLagSimMs);
        if (need <= HOLD_SLACK_SHOW_MS) continue;
        const i = f.tIndex[seq]!;
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

/**
 * What placing keeps per (conversation, node) and per (instant, node), numbered once for every
 * round of placing: each event's slots, so a round indexes arrays instead of looking keys up.
 */
interface PlaceSlots {
  /** A flight's (conversation, source) or another event's (conversation, node); -1: none. */
  source: Int32Array;
  /** A flight's (conversation, target). */
  target: Int32Array;
  /** A flight's (instant, source) or another event's (instant, node). */
  atSource: Int32Array;
  /** A flight's (arrival instant, target). */
  atTarget: Int32Array;
  conversations: number;
  instants: number;
}

function slotsOf(f: EventFacts): PlaceSlots {
  const n = f.t.length;
  const out: PlaceSlots = {
    source: new Int32Array(n).fill(-1),
    target: new Int32Array(n).fill(-1),
    atSource: new Int32Array(n).fill(-1),
    atTarget: new Int32Array(n).fill(-1),
    conversations: 0,
    instants: 0,
  };
  // About one pair per event in each table (half of a long run's events are new pairs).
  const conversations = new PairTable(n >> 1);
  const instants = new PairTable(n >> 1);
  for (let seq = 0; seq < n; seq++) {
    const flags = f.flags[seq]!;
    if (!(flags & (FLIGHT | AT_NODE))) continue;
    const chain = f.chain[seq]!;
    const from = f.from[seq]!;
    out.source[seq] = conversations.slot(chain, from);
    out.atSource[seq] = instants.slot(f.tIndex[seq]!, from);
    if (flags & FLIGHT) {
      const to = f.to[seq]!;
      out.target[seq] = conversations.slot(chain, to);
      out.atTarget[seq] = instants.slot(f.arriveIndex[seq]!, to);
    }
  }
  out.conversations = conversations.size;
  out.instants = instants.size;
  return out;
}

/**
 * Places every event and packet on the warp: at its simulated moment, or later while what it
 * follows is still on its way — the packet before it in its conversation, or anything that
 * reached its node at the same instant. An event at instant i shows from `startShow[i]` on.
 */
function placeEvents(map: ShowMap, f: EventFacts, slots: PlaceSlots, cap: boolean): void {
  const { instantMs, startShow } = map;
  const lastInstant = instantMs[instantMs.length - 1]!;
  /** The latest an event at `t` may show: a lag of at most PACE.maxLagShowMs, and (last round) PACE.maxLagSimMs behind the clock. */
  const limit = (t: number, base: number): number =>
    Math.min(base + PACE.maxLagShowMs, cap && t + PACE.maxLagSimMs < lastInstant ? Math.max(base, showAtTime(map, t + PACE.maxLagSimMs)) : Infinity);
  /** Where each conversation is, per node (by slot): the show time it got there. */
  const ready = new Float64Array(slots.conversations).fill(-Infinity);
  /** What reached or left each node at each instant (by slot): later events there at that instant wait for it. */
  const instant = new Float64Array(slots.instants).fill(-Infinity);
  /** The last departure of each conversation from each node (its time and show time), to stagger packets sent together. */
  const lastStartT = new Float64Array(slots.conversations).fill(NaN);
  const lastStartShow = new Float64Array(slots.conversations).fill(NaN);
  /** Requests each node is serving: a call it makes while serving one follows that request. */
  const serving = new Map<number, { request: number; show: number }[]>();
  const folds = map.folds;
  let fold = 0;
  let end = startShow[instantMs.length - 1]!;
  let previousT = -1;
  let previousShow = 0;
  const count = f.t.length;
  const loose: number[] = [];
  for (let seq = 0; seq < count; seq++) {
    while (fold < folds.length && folds[fold]!.toSeq < seq) fold++;
    const t = f.t[seq]!;
    const flags = f.flags[seq]!;
    const base = startShow[f.tIndex[seq]!]!;
    // Inside a fold everything plays on the squeezed warp as it is: no lag, no minimum.
    if (fold < folds.length && folds[fold]!.fromSeq <= seq) {
      map.eventShow[seq] = base;
      if (flags & FLIGHT) {
        map.flightStart[seq] = base;
        map.flightEnd[seq] = Math.max(startShow[f.arriveIndex[seq]!]!, base + 1e-3);
      }
      previousT = t;
      previousShow = base;
      continue;
    }
    let show = base;
    if (flags & FLIGHT) {
      const from = f.from[seq]!;
      const to = f.to[seq]!;
      const arrive = f.arriveIndex[seq]!;
      const source = slots.source[seq]!;
      const atSource = slots.atSource[seq]!;
      show = Math.max(show, ready[source]!, instant[atSource]!);
      if (lastStartT[source] === t) show = Math.max(show, lastStartShow[source]! + PACE.staggerShowMs);
      show = Math.min(show, limit(t, base));
      const stop = show + (flags & MOMENT ? PACE.momentShowMs : Math.max(startShow[arrive]! - base, PACE.flightMinShowMs));
      map.flightStart[seq] = show;
      map.flightEnd[seq] = stop;
      lastStartT[source] = t;
      lastStartShow[source] = show;
      if (ready[source]! < show) ready[source] = show;
      const target = slots.target[seq]!;
      if (ready[target]! < stop) ready[target] = stop;
      if (instant[atSource]! < show) instant[atSource] = show;
      const atTarget = slots.atTarget[seq]!;
      if (instant[atTarget]! < stop) instant[atTarget] = stop;
      if (flags & HTTP_REQUEST) (serving.get(to) ?? serving.set(to, []).get(to)!).push({ request: f.request[seq]!, show: stop });
      if (flags & HTTP_RESPONSE) {
        const list = serving.get(from);
        const request = f.request[seq]!;
        const i = list?.findIndex((s) => s.request === request) ?? -1;
        if (i >= 0) list!.splice(i, 1);
      }
      if (stop > end) end = stop;
    } else if (flags & AT_NODE) {
      const node = f.from[seq]!;
      const slot = slots.source[seq]!;
      const atNode = slots.atSource[seq]!;
      show = Math.max(show, ready[slot]!, instant[atNode]!);
      if (flags & REQUEST_START) show = Math.max(show, serving.get(node)?.at(-1)?.show ?? -Infinity);
      show = Math.min(show, limit(t, base));
      if (ready[slot]! < show) ready[slot] = show;
      if (instant[atNode]! < show) instant[atNode] = show;
    } else if (previousT === t) show = Math.max(base, previousShow);
    else loose.push(seq);
    map.eventShow[seq] = show;
    previousT = t;
    previousShow = show;
    if (show > end) end = show;
  }
  // An event tied to no node (narration at a time) shows when what happens at its instant starts
  // to show: with the first of those events, however late they lag.
  if (loose.length > 0) {
    const firstAt = new Float64Array(instantMs.length).fill(Infinity);
    const isLoose = new Uint8Array(count);
    for (const seq of loose) isLoose[seq] = 1;
    for (let seq = 0; seq < count; seq++) {
      const show = f.flags[seq]! & FLIGHT ? map.flightStart[seq]! : map.eventShow[seq]!;
      const i = f.tIndex[seq]!;
      if (!isLoose[seq] && show < firstAt[i]!) firstAt[i] = show;
    }
    for (const seq of loose) {
      const first = firstAt[f.tIndex[seq]!]!;
      if (first !== Infinity && first > map.eventShow[seq]!) map.eventShow[seq] = first;
    }
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
