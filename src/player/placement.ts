/**
 * Placing a trace's events and packets on a show-time warp (see pace.ts for the rules): every
 * event in `seq` order, on the slots numbered once (placeSlots.ts).
 */
import { AT_NODE, AT_SOURCE_NEW, AT_TARGET_NEW, FLIGHT, MOMENT, REQUEST_START, type EventFacts } from './paceFacts.ts';
import type { FlightEnds } from './flightEnds.ts';
import type { PlaceSlots } from './placeSlots.ts';
import { PACE, instantWalker, showAtTime, type ShowMap } from './showTime.ts';

export { slotsOf, type PlaceSlots } from './placeSlots.ts';

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

/** Scratch for placing events of `slots` (one for every round: slots are reused, so it holds the slots alive at once). */
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
export function placeEvents(map: ShowMap, f: EventFacts, slots: PlaceSlots, scratch: PlaceScratch, ends: FlightEnds, cap: boolean): void {
  const { instantMs, startShow } = map;
  ends.restart();
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
  /** Where a slot is first used by its pair: what an earlier pair left there is cleared. */
  const conversationSlot = (stored: number): number => {
    if (stored >= 0) return stored;
    const slot = -stored - 1;
    ready[slot] = -Infinity;
    lastStartAt[slot] = -1;
    lastStartShow[slot] = NaN;
    return slot;
  };
  const instantSlot = (slot: number, first: number): number => {
    if (first) instant[slot] = -Infinity;
    return slot;
  };
  // The next request's start: its number among them (PlaceSlots.serving).
  let start = 0;
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
      if (flags & FLIGHT) ends.set(k, base, Math.max(startShow[at + f.arriveAfter[k]!]!, base + 1e-3));
      previousT = t;
      previousShow = base;
      continue;
    }
    let show = base;
    if (flags & FLIGHT) {
      const arrive = at + f.arriveAfter[k]!;
      const source = conversationSlot(slots.source[seq]!);
      const atSource = instantSlot(slots.atSource[seq]!, flags & AT_SOURCE_NEW);
      show = Math.max(show, ready[source]!, instant[atSource]!);
      // Sent at the same time (instant) as the conversation's packet before it.
      if (lastStartAt[source] === at) show = Math.max(show, lastStartShow[source]! + PACE.staggerShowMs);
      show = Math.min(show, limit(t, base));
      const stop = show + (flags & MOMENT ? PACE.momentShowMs : Math.max(startShow[arrive]! - base, PACE.flightMinShowMs));
      // It leaves at its event's show time (written below with every event's).
      ends.set(k, show, stop);
      lastStartAt[source] = at;
      lastStartShow[source] = show;
      if (ready[source]! < show) ready[source] = show;
      const target = conversationSlot(slots.target[k]!);
      if (ready[target]! < stop) ready[target] = stop;
      if (instant[atSource]! < show) instant[atSource] = show;
      const atTarget = instantSlot(slots.atTarget[k]!, flags & AT_TARGET_NEW);
      if (instant[atTarget]! < stop) instant[atTarget] = stop;
      if (stop > end) end = stop;
    } else if (flags & AT_NODE) {
      const slot = conversationSlot(slots.source[seq]!);
      const atNode = instantSlot(slots.atSource[seq]!, flags & AT_SOURCE_NEW);
      show = Math.max(show, ready[slot]!, instant[atNode]!);
      if (flags & REQUEST_START) {
        // A call a node makes while serving a request follows that request's arrival.
        const serving = slots.serving[start++]!;
        if (serving >= 0) show = Math.max(show, ends.get(serving, map.eventShow[map.flightSeqs[serving]!]!));
      }
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
