/**
 * Numbering what placing (placement.ts) keeps per (conversation, node) and per (instant, node),
 * once for every round of placing: each event's slots, so a round indexes small arrays instead of
 * looking keys up. A slot is numbered only while its conversation or instant lives: a request's
 * conversation is over after its last event, an instant once the walk is past its last event or
 * arrival, and their numbers go to the pairs that come next. So placing's scratch holds what is
 * alive at once (the 10-minute run: 417 conversation and 141 instant slots, where 2.4 and 4.75
 * million pairs numbered apart took 86 MB), and the slots fit in 16 bits (the instants' in 8).
 */
import { release } from '../sim/index.ts';
import { SlotTable } from './pairTable.ts';
import { AT_NODE, AT_SOURCE_NEW, AT_TARGET_NEW, FLIGHT, HTTP_REQUEST, HTTP_RESPONSE, REQUEST_START, type EventFacts } from './paceFacts.ts';
import type { Fold } from './folds.ts';
import { instantWalker } from './showTime.ts';

/** Conversation slots: 16 bits while the pairs alive at once fit, else 32; stored as `-slot - 1` where first used by their pair. */
type Slots = Int16Array | Int32Array;
type SlotsWidth = Int16ArrayConstructor | Int32ArrayConstructor;
/** Instant slots: 8 bits while the pairs alive at once fit (the 10-minute run's 141), else 16 or 32; first used where the event's flags say so. */
type InstantSlots = Uint8Array | Uint16Array | Int32Array;
type InstantSlotsWidth = Uint8ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor;

/**
 * Each event's slots. A slot may have been an earlier pair's: where its pair first uses it, placing
 * resets it — a conversation slot is stored there as `-slot - 1`, an instant slot marked in the
 * event's flags ({@link AT_SOURCE_NEW}, {@link AT_TARGET_NEW}). Events inside a fold (which place
 * as they are) have none.
 */
export interface PlaceSlots {
  /** A flight's (conversation, source) or another event's (conversation, node), by `seq`. */
  source: Slots;
  /** Flight k's (conversation, target). */
  target: Slots;
  /** A flight's (instant, source) or another event's (instant, node), by `seq`. */
  atSource: InstantSlots;
  /** Flight k's (arrival instant, target). */
  atTarget: InstantSlots;
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

/**
 * The slots of `f`'s events outside `folds`, at `instantMs` (the warp's instants). With `reuse`
 * false, every pair keeps its own slot (what reusing them must place the same as).
 */
export function slotsOf(f: EventFacts, instantMs: Float64Array, folds: readonly Fold[], reuse = true): PlaceSlots {
  const { lastOfChain, lastAtInstant, serving } = walked(f, instantMs, folds);
  if (!reuse) {
    lastOfChain.fill(-1);
    lastAtInstant.fill(-1);
  }
  let widths: [SlotsWidth, InstantSlotsWidth] = [Int16Array, Uint8Array];
  for (;;) {
    const slots = numbered(f, instantMs, folds, lastOfChain, lastAtInstant, widths, serving);
    if (!Array.isArray(slots)) {
      release(lastOfChain);
      release(lastAtInstant);
      return slots;
    }
    widths = slots;
  }
}

/**
 * One walk through the events outside folds, before numbering: the last event of each conversation
 * and of each instant (its events' and its arrivals'), and {@link PlaceSlots.serving} — the
 * requests each node is serving, followed as placing walks the trace (an http-request to a node
 * adds one, the answer from it takes it away): which one a request's start follows does not
 * depend on show times, only where it ends does.
 */
function walked(f: EventFacts, instantMs: Float64Array, folds: readonly Fold[]): { lastOfChain: Int32Array; lastAtInstant: Int32Array; serving: Int32Array } {
  const n = f.t.length;
  const lastOfChain = new Int32Array(f.chains).fill(-1);
  const lastAtInstant = new Int32Array(instantMs.length).fill(-1);
  let starts = 0;
  for (let seq = 0; seq < n; seq++) if (f.flags[seq]! & REQUEST_START) starts++;
  const serving = new Int32Array(starts);
  starts = 0;
  // Per node: its requests' ids and flight numbers, in pairs, oldest first.
  const lists: number[][] = Array.from({ length: f.nodes }, () => []);
  const instantOf = instantWalker(instantMs);
  const { flags: flagsOf, chain, t, node, target, nodeOf, req, arriveAfter } = f;
  let fold = 0;
  for (let seq = 0, k = 0; seq < n; seq++) {
    const flags = flagsOf[seq]!;
    const flight = flags & FLIGHT ? k++ : -1;
    while (fold < folds.length && folds[fold]!.toSeq < seq) fold++;
    if (!(flags & (FLIGHT | AT_NODE)) || (fold < folds.length && folds[fold]!.fromSeq <= seq)) continue;
    const at = instantOf(t[seq]!);
    lastOfChain[chain[seq]!] = seq;
    lastAtInstant[at] = seq;
    if (flight >= 0) {
      lastAtInstant[at + arriveAfter[flight]!] = seq;
      if (flags & HTTP_REQUEST) lists[nodeOf[target[seq]!]!]!.push(req[seq]!, flight);
      if (flags & HTTP_RESPONSE) {
        const list = lists[nodeOf[node[seq]!]!]!;
        for (let i = 0; i < list.length; i += 2)
          if (list[i] === req[seq]) {
            list.splice(i, 2);
            break;
          }
      }
    } else if (flags & REQUEST_START) {
      const list = lists[nodeOf[node[seq]!]!]!;
      serving[starts++] = list.length > 0 ? list[list.length - 1]! : -1;
    }
  }
  return { lastOfChain, lastAtInstant, serving: serving.subarray(0, starts) };
}

/** The slots in `widths`, or the next widths to try if the pairs alive at once do not fit in them. */
function numbered(
  f: EventFacts,
  instantMs: Float64Array,
  folds: readonly Fold[],
  lastOfChain: Int32Array,
  lastAtInstant: Int32Array,
  [Width, InstantWidth]: [SlotsWidth, InstantSlotsWidth],
  serving: Int32Array,
): PlaceSlots | [SlotsWidth, InstantSlotsWidth] {
  const n = f.t.length;
  const source = new Width(n);
  const target = new Width(f.flights);
  const atSource = new InstantWidth(n);
  const atTarget = new InstantWidth(f.flights);
  // The most slots a width holds (conversation slots stored as -slot - 1 at a first use).
  const most = Width === Int16Array ? 0x7fff : 0x7fffffff;
  const mostInstants = InstantWidth === Uint8Array ? 0x100 : InstantWidth === Uint16Array ? 0x10000 : 0x7fffffff;
  const conversations = new SlotTable(f.chains);
  const atInstants = new SlotTable(instantMs.length);
  const instantOf = instantWalker(instantMs);
  const { flags: flagsOf, chain: chainOf, t, node, target: targetOf, nodeOf, arriveAfter } = f;
  let fold = 0;
  for (let seq = 0, k = 0; seq < n; seq++) {
    const flags = flagsOf[seq]!;
    const flight = flags & FLIGHT ? k++ : -1;
    while (fold < folds.length && folds[fold]!.toSeq < seq) fold++;
    if (!(flags & (FLIGHT | AT_NODE)) || (fold < folds.length && folds[fold]!.fromSeq <= seq)) continue;
    const chain = chainOf[seq]!;
    const from = nodeOf[node[seq]!]!;
    const at = instantOf(t[seq]!);
    source[seq] = conversations.slot(chain, from);
    const atFrom = atInstants.slot(at, from);
    atSource[seq] = atFrom < 0 ? -atFrom - 1 : atFrom;
    let marks = atFrom < 0 ? AT_SOURCE_NEW : 0;
    const arrive = flight >= 0 ? at + arriveAfter[flight]! : -1;
    if (flight >= 0) {
      const to = nodeOf[targetOf[seq]!]!;
      target[flight] = conversations.slot(chain, to);
      const atTo = atInstants.slot(arrive, to);
      atTarget[flight] = atTo < 0 ? -atTo - 1 : atTo;
      if (atTo < 0) marks |= AT_TARGET_NEW;
    }
    flagsOf[seq] = (flags & ~(AT_SOURCE_NEW | AT_TARGET_NEW)) | marks;
    if (conversations.size > most || atInstants.size > mostInstants) {
      for (const a of [source, target, atSource, atTarget]) release(a);
      conversations.dispose();
      atInstants.dispose();
      return conversations.size > most ? [Int32Array, InstantWidth] : [Width, InstantWidth === Uint8Array ? Uint16Array : Int32Array];
    }
    // Ended with this event: their numbers go to the next pairs.
    if (lastOfChain[chain] === seq) conversations.release(chain);
    if (lastAtInstant[at] === seq) atInstants.release(at);
    if (arrive >= 0 && lastAtInstant[arrive] === seq) atInstants.release(arrive);
  }
  conversations.dispose();
  atInstants.dispose();
  return { source, target, atSource, atTarget, conversations: conversations.size, instants: atInstants.size, serving };
}
