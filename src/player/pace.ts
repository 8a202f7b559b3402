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
import { release, type TraceEvent } from '../sim/index.ts';
import { foldsOf } from './folds.ts';
import { FLIGHT, MOMENT, arrivalsOf, factsOf, type EventFacts } from './paceFacts.ts';
import { instantsOf } from './paceInstants.ts';
import { FlightEnds } from './flightEnds.ts';
import { placeEvents, placeScratch, slotsOf } from './placement.ts';
import { PACE, instantIndex, instantWalker, narrowShows, showAtTime, type FastForward, type ShowMap } from './showTime.ts';

export { PACE, flightProgress, flightSpan, showAtTime, timeAtShow, type FastForward, type ShowMap } from './showTime.ts';

/** Rounds of holding the clock for lagging packets (each places every event once more). */
const HOLD_ROUNDS = 2;
/** A lag this little past the limit (float noise) needs no hold. */
const HOLD_SLACK_SHOW_MS = 1e-6;

/** The `seq` of each flight, in trace order. */
function flightsOf(f: EventFacts): Int32Array {
  let count = 0;
  for (let i = 0; i < f.flags.length; i++) if (f.flags[i]! & FLIGHT) count++;
  const seqs = new Int32Array(count);
  count = 0;
  for (let i = 0; i < f.flags.length; i++) if (f.flags[i]! & FLIGHT) seqs[count++] = i;
  return seqs;
}

/** Builds the show-time warp of a trace whose events are in `seq` order. */
export function buildShowMap(events: readonly TraceEvent[], durationMs: number, reuseSlots = true): ShowMap {
  return buildSharedShowMaps([events], durationMs, reuseSlots)[0]!;
}

/**
 * One show-time warp for several traces of the same scenario (compare mode): the instants of all
 * of them, each interval as slow as any of them needs, a fold squeezed only where every trace is
 * folded or idle. So one show time is one simulated time in every trace. Each trace gets its own
 * placement of packets and events on that warp. `reuseSlots` false places on slots never reused
 * (placeSlots.ts): the same maps, with more memory (what the tests compare).
 */
export function buildSharedShowMaps(traces: readonly (readonly TraceEvent[])[], durationMs: number, reuseSlots = true): ShowMap[] {
  const facts = traces.map(factsOf);
  const instantMs = instantsOf(facts, durationMs);
  const n = instantMs.length;
  // Arrivals' instants, counted from their flights' (an event's own instant is walked to when read: instantWalker).
  for (const f of facts) f.arriveAfter = arrivalsOf(f, instantMs);

  // Intervals with a packet on the wire play at the slow-motion rate; idle ones are capped.
  const busy = new Uint8Array(n);
  for (const f of facts) {
    const instantOf = instantWalker(instantMs);
    for (let e = 0, k = -1; e < f.t.length; e++) {
      if (!(f.flags[e]! & FLIGHT)) continue;
      k++;
      if (f.flags[e]! & MOMENT) continue;
      const at = instantOf(f.t[e]!);
      const end = at + f.arriveAfter[k]!;
      for (let i = f.depart[e] === f.t[e] ? at : instantIndex(instantMs, f.depart[e]!); i < end; i++) busy[i] = 1;
    }
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
  const slots = facts.map((f, k) => slotsOf(f, instantMs, folds[k]!, reuseSlots));
  // The conversations and nodes are in the slots now: not read again, and given back at
  // once (release: a worker's collector may not run before placing has filled its arrays).
  for (const f of facts) {
    release(f.chain);
    release(f.nodeOf);
    f.chain = f.nodeOf = new Int32Array(0);
  }
  const scratch = slots.map((s) => placeScratch(s));
  // One map per trace, placed again in each round: a round writes every event's show time and
  // every flight's end (no new arrays per round: the 10-minute run's 5.4 million events take 43 MB an array).
  const maps: ShowMap[] = traces.map((events, k) => {
    const flightSeqs = flightsOf(facts[k]!);
    return {
      instantMs,
      startShow,
      holdShow,
      endShow: startShow[n - 1]!,
      eventShow: new Float64Array(events.length),
      flightSeqs,
      flightEnd: null,
      flightLengthIds: null,
      flightLengthOf: null,
      fastForwards: [],
      folds: folds[k]!,
    };
  });
  // Each map's flights' ends, kept as lengths while placing writes them (flightEnds.ts).
  const ends = maps.map((map) => new FlightEnds(map.flightSeqs.length, (k) => map.eventShow[map.flightSeqs[k]!]!));
  const place = (cap: boolean): void => maps.forEach((map, k) => placeEvents(map, facts[k]!, slots[k]!, scratch[k]!, ends[k]!, cap));
  place(false);
  const runEnd = instantMs[n - 1]!;
  for (let round = 0; round < HOLD_ROUNDS; round++) {
    const extra = new Float64Array(n);
    let held = false;
    maps.forEach((map, k) => {
      const f = facts[k]!;
      const instantOf = instantWalker(instantMs);
      // Events come in time order, many at one time: the clock's show time is looked up once per time.
      let lastT = NaN;
      let clockShow = 0;
      for (let seq = 0; seq < f.t.length; seq++) {
        const t = f.t[seq]!;
        const shown = map.eventShow[seq]!;
        // Past the run's end the clock stops anyway: the last packets finish after it.
        if (t + PACE.maxLagSimMs >= runEnd) continue;
        if (t !== lastT) {
          lastT = t;
          clockShow = showAtTime(map, t + PACE.maxLagSimMs);
        }
        const need = shown - clockShow;
        if (need <= HOLD_SLACK_SHOW_MS) continue;
        const i = instantOf(t);
        if (need > extra[i]!) extra[i] = need;
        held = true;
      }
    });
    if (!held) break;
    for (let i = 0; i < n; i++) holdShow[i] = holdShow[i]! + extra[i]!;
    warp();
    place(round === HOLD_ROUNDS - 1);
  }

  // Placed: what placing read is given back (not the trace's own columns).
  release(busy);
  release(ds);
  for (const s of slots) for (const a of [s.source, s.target, s.atSource, s.atTarget, s.serving]) release(a);
  for (const s of scratch) for (const a of [s.ready, s.instant, s.lastStartAt, s.lastStartShow]) release(a);
  for (const f of facts) {
    release(f.flags);
    release(f.arriveAfter);
    if (f.depart.buffer !== f.t.buffer) release(f.depart);
  }

  // Notes were collected with instant indices: turn them into show times; an idle wait inside a fold is the fold's.
  const inFold = (f: FastForward): boolean => notes.some((g) => f.fromShowMs >= g.fromShowMs && f.toShowMs <= g.toShowMs);
  const fastForwards = [...idle.filter((f) => !inFold(f)), ...notes]
    .map((f) => ({ ...f, fromShowMs: startShow[f.fromShowMs]! + holdShow[f.fromShowMs]!, toShowMs: startShow[f.toShowMs]! }))
    .sort((a, b) => a.fromShowMs - b.fromShowMs);
  maps.forEach((m, k) => {
    m.fastForwards = fastForwards;
    ends[k]!.writeTo(m);
    // Placed in 8 bytes an event, kept in 4 where that is exact (the buffer placing wrote given back).
    const placed = m.eventShow as Float64Array;
    m.eventShow = narrowShows(placed);
    if (m.eventShow !== placed) release(placed);
  });
  // One end for every pane: the last packet of any of them.
  const end = Math.max(...maps.map((m) => m.endShow));
  for (const m of maps) m.endShow = end;
  return maps;
}
