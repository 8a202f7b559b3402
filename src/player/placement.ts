/**
 * Placing a trace's events and packets on a show-time warp (see pace.ts for the rules): numbering
 * each event's conversation and instant slots once, then placing every event in `seq` order.
 */
import { PairTable } from './pairTable.ts';
import { AT_NODE, FLIGHT, HTTP_REQUEST, HTTP_RESPONSE, MOMENT, REQUEST_START, type EventFacts } from './paceFacts.ts';
import { PACE, instantWalker, showAtTime, type ShowMap } from './showTime.ts';

/**
 * What placing keeps per (conversation, node) and per (instant, node), numbered once for every
 * round of placing: each event's slots, so a round indexes arrays instead of looking keys up.
 */
export interface PlaceSlots {
  /** A flight's (conversation, source) or another event's (conversation, node); -1: none. */
  source: Int32Array;
  /** Flight k's (conversation, target). */
  target: Int32Array;
  /** A flight's (instant, source) or another event's (instant, node). */
  atSource: Int32Array;
  /** Flight k's (arrival instant, target). */
  atTarget: Int32Array;
  conversations: number;
  instants: number;
}

/** The slots of `f`'s events, at `instantMs` (the warp's instants). */
export function slotsOf(f: EventFacts, instantMs: Float64Array): PlaceSlots {
  const n = f.t.length;
  const out: PlaceSlots = {
    source: new Int32Array(n).fill(-1),
    target: new Int32Array(f.flights),
    atSource: new Int32Array(n).fill(-1),
    atTarget: new Int32Array(f.flights),
    conversations: 0,
    instants: 0,
  };
  // Heads: the conversations and the instants. About one new (conversation, node) pair per two
  // events, about one (instant, node) pair per event (the 10-minute run: 2.4 and 4.75 million of
  // 5.4 million events): each table made about as large as it gets (growing copies it).
  const conversations = new PairTable(f.chains, n >> 1);
  const atInstants = new PairTable(instantMs.length, n);
  const instantOf = instantWalker(instantMs);
  let k = 0;
  for (let seq = 0; seq < n; seq++) {
    const flags = f.flags[seq]!;
    if (!(flags & (FLIGHT | AT_NODE))) continue;
    const chain = f.chain[seq]!;
    const from = f.from[seq]!;
    out.source[seq] = conversations.slot(chain, from);
    out.atSource[seq] = atInstants.slot(instantOf(f.t[seq]!), from);
    if (flags & FLIGHT) {
      const to = f.to[k]!;
      out.target[k] = conversations.slot(chain, to);
      out.atTarget[k] = atInstants.slot(f.arriveIndex[k]!, to);
      k++;
    }
  }
  out.conversations = conversations.size;
  out.instants = atInstants.size;
  return out;
}

/** Where placing notes how far each conversation and each (instant, node) has got: made once, cleared for each round. */
export interface PlaceScratch {
  /** Where each conversation is, per node (by slot): the show time it got there. */
  ready: Float64Array;
  /** What reached or left each node at each instant (by slot): later events there at that instant wait for it. */
  instant: Float64Array;
  /** The last departure of each conversation from each node (the instant index of its time, and its show time), to stagger packets sent together. */
  lastStartAt: Int32Array;
  lastStartShow: Float64Array;
}

/** Scratch for placing events of `slots` (the 10-minute run's is 96 MB: one for every round). */
export function placeScratch(slots: PlaceSlots): PlaceScratch {
  const conversations = slots.conversations;
  return {
    ready: new Float64Array(conversations),
    instant: new Float64Array(slots.instants),
    lastStartAt: new Int32Array(conversations),
    lastStartShow: new Float64Array(conversations),
  };
}

/**
 * Places every event and packet on the warp: at its simulated moment, or later while what it
 * follows is still on its way — the packet before it in its conversation, or anything that
 * reached its node at the same instant. An event at instant i shows from `startShow[i]` on.
 */
export function placeEvents(map: ShowMap, f: EventFacts, slots: PlaceSlots, scratch: PlaceScratch, cap: boolean): void {
  const { instantMs, startShow } = map;
  const lastInstant = instantMs[instantMs.length - 1]!;
  /** The latest an event at `t` may show: a lag of at most PACE.maxLagShowMs, and (last round) PACE.maxLagSimMs behind the clock. */
  const limit = (t: number, base: number): number =>
    Math.min(base + PACE.maxLagShowMs, cap && t + PACE.maxLagSimMs < lastInstant ? Math.max(base, clockAt(t)) : Infinity);
  // The clock's show time PACE.maxLagSimMs after `t`, looked up once per time (events come in time order, many at one time).
  let clockT = NaN;
  let clockShow = 0;
  const clockAt = (t: number): number => {
    if (t !== clockT) {
      clockT = t;
      clockShow = showAtTime(map, t + PACE.maxLagSimMs);
    }
    return clockShow;
  };
  const ready = scratch.ready.fill(-Infinity);
  const instant = scratch.instant.fill(-Infinity);
  const lastStartAt = scratch.lastStartAt.fill(-1);
  const lastStartShow = scratch.lastStartShow.fill(NaN);
  /** Requests each node is serving: a call it makes while serving one follows that request. */
  const serving = new Map<number, { request: number; show: number }[]>();
  const folds = map.folds;
  let fold = 0;
  let end = startShow[instantMs.length - 1]!;
  let previousT = -1;
  let previousShow = 0;
  const count = f.t.length;
  const loose: number[] = [];
  // Flights are numbered in trace order (ShowMap.flightSeqs): the next one's number.
  let flight = 0;
  const instantOf = instantWalker(instantMs);
  for (let seq = 0; seq < count; seq++) {
    while (fold < folds.length && folds[fold]!.toSeq < seq) fold++;
    const t = f.t[seq]!;
    const flags = f.flags[seq]!;
    const at = instantOf(t);
    const base = startShow[at]!;
    /** This event's flight number, if it is one. */
    const k = flags & FLIGHT ? flight++ : -1;
    // Inside a fold everything plays on the squeezed warp as it is: no lag, no minimum.
    if (fold < folds.length && folds[fold]!.fromSeq <= seq) {
      map.eventShow[seq] = base;
      if (flags & FLIGHT) map.flightEnd[k] = Math.max(startShow[f.arriveIndex[k]!]!, base + 1e-3);
      previousT = t;
      previousShow = base;
      continue;
    }
    let show = base;
    if (flags & FLIGHT) {
      const from = f.from[seq]!;
      const to = f.to[k]!;
      const arrive = f.arriveIndex[k]!;
      const source = slots.source[seq]!;
      const atSource = slots.atSource[seq]!;
      show = Math.max(show, ready[source]!, instant[atSource]!);
      // Sent at the same time (instant) as the conversation's packet before it.
      if (lastStartAt[source] === at) show = Math.max(show, lastStartShow[source]! + PACE.staggerShowMs);
      show = Math.min(show, limit(t, base));
      const stop = show + (flags & MOMENT ? PACE.momentShowMs : Math.max(startShow[arrive]! - base, PACE.flightMinShowMs));
      // It leaves at its event's show time (written below with every event's).
      map.flightEnd[k] = stop;
      lastStartAt[source] = at;
      lastStartShow[source] = show;
      if (ready[source]! < show) ready[source] = show;
      const target = slots.target[k]!;
      if (ready[target]! < stop) ready[target] = stop;
      if (instant[atSource]! < show) instant[atSource] = show;
      const atTarget = slots.atTarget[k]!;
      if (instant[atTarget]! < stop) instant[atTarget] = stop;
      if (flags & HTTP_REQUEST) (serving.get(to) ?? serving.set(to, []).get(to)!).push({ request: f.request[k]!, show: stop });
      if (flags & HTTP_RESPONSE) {
        const list = serving.get(from);
        const request = f.request[k]!;
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
    const instantOfAll = instantWalker(instantMs);
    for (let seq = 0; seq < count; seq++) {
      const show = map.eventShow[seq]!;
      const i = instantOfAll(f.t[seq]!);
      if (!isLoose[seq] && show < firstAt[i]!) firstAt[i] = show;
    }
    const instantOfLoose = instantWalker(instantMs);
    for (const seq of loose) {
      const first = firstAt[instantOfLoose(f.t[seq]!)]!;
      if (first !== Infinity && first > map.eventShow[seq]!) map.eventShow[seq] = first;
    }
  }
  map.endShow = end;
}
