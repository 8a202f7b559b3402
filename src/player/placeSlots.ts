/**
 * Numbering what placing (placement.ts) keeps per (conversation, node) and per (instant, node),
 * once for every round of placing: each event's slots, so a round indexes small arrays instead of
 * looking keys up. A slot is numbered only while its conversation or instant lives: a request's
 * conversation is over after its last event, an instant once the walk is past its last event or
 * arrival, and their numbers go to the pairs that come next. So placing's scratch holds what is
 * alive at once (the 10-minute run: a few thousand slots, where 2.4 and 4.75 million pairs
 * numbered apart took 86 MB), and the slots fit in 16 bits.
 */
import { SlotTable } from './pairTable.ts';
import { AT_NODE, FLIGHT, HTTP_REQUEST, HTTP_RESPONSE, REQUEST_START, type EventFacts } from './paceFacts.ts';
import type { Fold } from './folds.ts';
import { instantWalker } from './showTime.ts';

/** Slot numbers: 16 bits while the pairs alive at once fit, else 32. */
type Slots = Int16Array | Int32Array;

/**
 * Each event's slots. A slot used for the first time by its pair is stored as `-slot - 1`: the slot
 * may have been an earlier pair's, and placing resets it there. Events inside a fold (which place
 * as they are) have none.
 */
export interface PlaceSlots {
  /** A flight's (conversation, source) or another event's (conversation, node), by `seq`. */
  source: Slots;
  /** Flight k's (conversation, target). */
  target: Slots;
  /** A flight's (instant, source) or another event's (instant, node), by `seq`. */
  atSource: Slots;
  /** Flight k's (arrival instant, target). */
  atTarget: Slots;
  /** How many conversation and instant slots placing needs (the most alive at once). */
  conversations: number;
  instants: number;
  /**
   * For each request's start outside a fold, in order: the flight number of the request its node
   * was serving last (the latest http-request to it not yet answered; -1: none) — a call a node
   * makes while serving a request follows that request's arrival.
   */
  serving: Int32Array;
}

/** For `seq` ascending: whether event `seq` is inside one of `folds` (left to right, not overlapping). */
export function foldWalker(folds: readonly Fold[]): (seq: number) => boolean {
  let fold = 0;
  return (seq) => {
    while (fold < folds.length && folds[fold]!.toSeq < seq) fold++;
    return fold < folds.length && folds[fold]!.fromSeq <= seq;
  };
}

/**
 * The slots of `f`'s events outside `folds`, at `instantMs` (the warp's instants). With `reuse`
 * false, every pair keeps its own slot (what reusing them must place the same as).
 */
export function slotsOf(f: EventFacts, instantMs: Float64Array, folds: readonly Fold[], reuse = true): PlaceSlots {
  // The last event of each conversation and of each instant (its events' and its arrivals').
  const lastOfChain = new Int32Array(f.chains).fill(-1);
  const lastAtInstant = new Int32Array(instantMs.length).fill(-1);
  if (reuse) {
    const instantOf = instantWalker(instantMs);
    const folded = foldWalker(folds);
    for (let seq = 0, k = 0; seq < f.t.length; seq++) {
      const flags = f.flags[seq]!;
      const flight = flags & FLIGHT ? k++ : -1;
      if (!(flags & (FLIGHT | AT_NODE)) || folded(seq)) continue;
      const at = instantOf(f.t[seq]!);
      lastOfChain[f.chain[seq]!] = seq;
      lastAtInstant[at] = seq;
      if (flight >= 0) lastAtInstant[at + f.arriveAfter[flight]!] = seq;
    }
  }
  const serving = servingOf(f, folds);
  return (
    numbered(f, instantMs, folds, lastOfChain, lastAtInstant, Int16Array, serving) ??
    numbered(f, instantMs, folds, lastOfChain, lastAtInstant, Int32Array, serving)!
  );
}

/** The slots in `Width`, or null if the pairs alive at once do not fit in it. */
function numbered(
  f: EventFacts,
  instantMs: Float64Array,
  folds: readonly Fold[],
  lastOfChain: Int32Array,
  lastAtInstant: Int32Array,
  Width: Int16ArrayConstructor | Int32ArrayConstructor,
  serving: Int32Array,
): PlaceSlots | null {
  const n = f.t.length;
  const out: PlaceSlots = {
    source: new Width(n),
    target: new Width(f.flights),
    atSource: new Width(n),
    atTarget: new Width(f.flights),
    conversations: 0,
    instants: 0,
    serving,
  };
  // Stored as -slot - 1 at a first use: the most a width holds.
  const most = Width === Int16Array ? 0x7fff : 0x7fffffff;
  const conversations = new SlotTable(f.chains);
  const atInstants = new SlotTable(instantMs.length);
  const instantOf = instantWalker(instantMs);
  const folded = foldWalker(folds);
  for (let seq = 0, k = 0; seq < n; seq++) {
    const flags = f.flags[seq]!;
    const flight = flags & FLIGHT ? k++ : -1;
    if (!(flags & (FLIGHT | AT_NODE)) || folded(seq)) continue;
    const chain = f.chain[seq]!;
    const from = f.from[seq]!;
    const at = instantOf(f.t[seq]!);
    out.source[seq] = conversations.slot(chain, from);
    out.atSource[seq] = atInstants.slot(at, from);
    const arrive = flight >= 0 ? at + f.arriveAfter[flight]! : -1;
    if (flight >= 0) {
      const to = f.to[flight]!;
      out.target[flight] = conversations.slot(chain, to);
      out.atTarget[flight] = atInstants.slot(arrive, to);
    }
    if (conversations.size > most || atInstants.size > most) return null;
    // Ended with this event: their numbers go to the next pairs.
    if (lastOfChain[chain] === seq) conversations.release(chain);
    if (lastAtInstant[at] === seq) atInstants.release(at);
    if (arrive >= 0 && lastAtInstant[arrive] === seq) atInstants.release(arrive);
  }
  out.conversations = conversations.size;
  out.instants = atInstants.size;
  return out;
}

/**
 * {@link PlaceSlots.serving}: the requests each node is serving, followed through the trace as
 * placing walks it (an http-request to a node adds one, the answer from it takes it away); which
 * one a request's start follows does not depend on show times, only where it ends does.
 */
function servingOf(f: EventFacts, folds: readonly Fold[]): Int32Array {
  let starts = 0;
  for (let seq = 0; seq < f.t.length; seq++) if (f.flags[seq]! & REQUEST_START) starts++;
  const out = new Int32Array(starts);
  starts = 0;
  // Per node: its requests' ids and flight numbers, in pairs, oldest first.
  const lists: number[][] = Array.from({ length: f.nodes }, () => []);
  const folded = foldWalker(folds);
  for (let seq = 0, k = 0; seq < f.t.length; seq++) {
    const flags = f.flags[seq]!;
    const flight = flags & FLIGHT ? k++ : -1;
    if (folded(seq)) continue;
    if (flight >= 0) {
      const request = f.request[flight]!;
      if (flags & HTTP_REQUEST) lists[f.to[flight]!]!.push(request, flight);
      if (flags & HTTP_RESPONSE) {
        const list = lists[f.from[seq]!]!;
        for (let i = 0; i < list.length; i += 2)
          if (list[i] === request) {
            list.splice(i, 2);
            break;
          }
      }
    } else if (flags & AT_NODE && flags & REQUEST_START) {
      const list = lists[f.from[seq]!]!;
      out[starts++] = list.length > 0 ? list[list.length - 1]! : -1;
    }
  }
  return out.subarray(0, starts);
}
