/**
 * What show time (pace.ts) needs of each event of a trace, read once and kept as numbers: the
 * events are views over the trace's columns (each field read is a getter) and placing reads them
 * up to three times, with keys that were strings built per event (`r:req-000042@istio-proxy…`).
 * They are read from the trace's columns (columns.ts): ids, not strings.
 */
import type { TraceEvent, TraceStore } from '../sim/index.ts';
import { COL_FLIGHT, COL_NONE, COL_REQUEST_START, COL_TRANSITION, storeOf, stringId } from './columns.ts';
import { instantIndex, instantWalker } from './showTime.ts';

/** A column of the trace's store (Int8 to Float64: as narrow as its values allow). */
type Column = TraceStore['t'];

/** What placing needs of each event, reused by every round of placing: numbers, not strings. */
export interface EventFacts {
  /** {@link FLIGHT}, {@link MOMENT}… bits. */
  flags: Uint8Array;
  /**
   * Each event's time: the trace's column itself, read, never written (stored narrower while
   * whole milliseconds; a Float64 copy of it and of the arrivals cost the 10-minute run 86 MB
   * while its show map was made).
   */
  t: Column;
  /**
   * A flight's arrival (the trace's column: another event's latency there, not read; its arrival
   * less its time when {@link arriveRelative}: read it with {@link arrivalAt}) and departure (its
   * time unless it says otherwise).
   */
  arrive: Column;
  arriveRelative: boolean;
  depart: Column;
  /**
   * How many events are flights. The arrays below are by flight number (flights numbered in trace
   * order, as ShowMap.flightSeqs): a third of a long run's events are no flights.
   */
  flights: number;
  /**
   * How many instants after its own (its time's) flight k arrives ({@link arrivalsOf}, once the
   * instants are known): as few bits as the trace's flights need (the 10-minute run's arrive 0 or 1
   * instants later: 3.6 MB, where the arrivals' instant indexes took 14.4).
   */
  arriveAfter: Int8Array | Int16Array | Int32Array;
  /** The conversation ({@link chainOf}), interned; numbered from 0 to {@link chains}. This and the nodes are read only to make the slots (placeSlots.ts), then let go. */
  chain: Int32Array;
  chains: number;
  /**
   * A flight's source or another event's node (the trace's node column, by `seq`) and a flight's
   * target (its `a` column), as string ids: {@link nodeOf} numbers them. Read for flights and events
   * at a node only. Copies numbered per event and per flight took the 10-minute run 18 MB more
   * while its slots were made.
   */
  node: Column;
  target: Column;
  /** A node's number by its string id (-1: not a node). */
  nodeOf: Int32Array;
  /**
   * Each event's request id: the trace's column (by `seq`), read for request and response flights
   * only, which have one. A copy by flight number took the 10-minute run 14.4 MB more while its
   * slots were made.
   */
  req: Column;
  /** How many nodes were interned: a key of (something, node) is `something * nodes + node`. */
  nodes: number;
}

/** Flight `i`'s arrival time (TraceStore.arriveAt, from the facts). */
export function arrivalAt(f: Pick<EventFacts, 't' | 'arrive' | 'arriveRelative'>, i: number): number {
  return f.arriveRelative ? f.t[i]! + f.arrive[i]! : f.arrive[i]!;
}

export const FLIGHT = 1;
/** A flight whose arrival is its departure (an app and its own sidecar). */
export const MOMENT = 2;
/** A flight of a request's, of kind http-request or http-response. */
export const HTTP_REQUEST = 4;
export const HTTP_RESPONSE = 8;
/** Another event at a node (a transition, a decision, a request's start or end). */
export const AT_NODE = 16;
export const REQUEST_START = 32;
/** Set when the slots are made (placeSlots.ts): the event's (instant, node) slot, or its flight's (arrival instant, target) one, is first used by its pair here. */
export const AT_SOURCE_NEW = 64;
export const AT_TARGET_NEW = 128;

/**
 * The first `n` entries of a column as a new Float64Array, converted by `set`, natively
 * (`Float64Array.from` walks an iterator: ~0.9 s of the 10-minute run's).
 */
function floatCopy(col: Column, n: number): Float64Array {
  const out = new Float64Array(n);
  out.set(col.subarray(0, n));
  return out;
}

export function factsOf(events: readonly TraceEvent[]): EventFacts {
  const s = storeOf(events);
  const n = s.length;
  let flights = 0;
  for (let i = 0; i < n; i++) if (s.type[i] === COL_FLIGHT) flights++;
  const f: EventFacts = {
    flags: new Uint8Array(n),
    t: s.t.subarray(0, n),
    arrive: s.x.subarray(0, n),
    arriveRelative: s.arriveRelative,
    depart: s.t.subarray(0, n),
    flights,
    arriveAfter: new Int8Array(0),
    chain: new Int32Array(n),
    chains: 0,
    node: s.node.subarray(0, n),
    target: s.a.subarray(0, n),
    nodeOf: new Int32Array(s.strings.length).fill(-1),
    req: s.req.subarray(0, n),
    nodes: 0,
  };
  // Conversations and nodes interned from the columns' string ids (one id per string): a
  // request's by its id column, a pair of nodes by both ids in either order, a node by its id.
  // Requests and nodes are numbered through arrays indexed by id (a Map lookup per event cost
  // more than the rest of this pass); pairs of nodes, rarer, through a Map.
  const strings = s.strings.length;
  const empty = stringId(s, '');
  const req = s.req;
  let maxRequest = -1;
  for (let i = 0; i < n; i++) if (req[i]! > maxRequest) maxRequest = req[i]!;
  // A request id's chain: numbered requests (`req-N`) by N, others by -(string id) - 2 (traceIds.ts).
  const byNumber = new Int32Array(maxRequest + 1).fill(-1);
  const byString = new Int32Array(strings).fill(-1);
  const byPair = new Map<number, number>();
  const byNode = new Int32Array(strings).fill(-1);
  let chains = 0;
  const requestChain = (r: number): number => {
    if (r >= 0) return byNumber[r] === -1 ? (byNumber[r] = chains++) : byNumber[r]!;
    const k = -r - 2;
    return byString[k] === -1 ? (byString[k] = chains++) : byString[k]!;
  };
  const pairChain = (key: number): number => {
    let id = byPair.get(key);
    if (id === undefined) byPair.set(key, (id = chains++));
    return id;
  };
  const nodeChain = (sid: number): number => (byNode[sid] === -1 ? (byNode[sid] = chains++) : byNode[sid]!);
  const nodeIds = f.nodeOf;
  let nodes = 0;
  const node = (sid: number): number => (nodeIds[sid] === -1 ? (nodeIds[sid] = nodes++) : nodeIds[sid]!);
  const pair = (a: number, b: number): number => (a < b ? a * strings + b : b * strings + a);
  // present() and requestOf() of columns.ts, with the empty string's id looked up once.
  const isNone = (sid: number): boolean => sid === COL_NONE || sid === empty;
  const httpRequest = stringId(s, 'http-request');
  const httpResponse = stringId(s, 'http-response');
  // The chain of events with no request, peer or node (made first, as it always was).
  const none = chains++;
  for (let i = 0; i < n; i++) {
    const type = s.type[i]!;
    const r = req[i]!;
    const request = r < -1 && -r - 2 === empty ? COL_NONE : r;
    const nodeSid = s.node[i]!;
    if (type === COL_FLIGHT) {
      const to = s.a[i]!;
      f.chain[i] = request !== COL_NONE ? requestChain(request) : pairChain(pair(nodeSid, to));
      const o = s.obj[i]!;
      const side = o === COL_NONE ? undefined : (s.objects[o] as { departMs?: number });
      const arriveMs = arrivalAt(f, i);
      const departMs = side?.departMs ?? f.t[i]!;
      if (departMs !== f.t[i]) {
        // A copy of the times to write into, made for the first flight that says otherwise.
        if (f.depart.buffer === s.t.buffer) f.depart = floatCopy(s.t, n);
        f.depart[i] = departMs;
      }
      node(nodeSid);
      node(to);
      const kind = s.c[i]!;
      f.flags[i] =
        FLIGHT |
        (arriveMs === departMs ? MOMENT : 0) |
        (request !== COL_NONE && kind === httpRequest ? HTTP_REQUEST : 0) |
        (request !== COL_NONE && kind === httpResponse ? HTTP_RESPONSE : 0);
      continue;
    }
    const at = isNone(nodeSid) ? COL_NONE : nodeSid;
    const peer = type === COL_TRANSITION && !isNone(s.b[i]!) ? s.b[i]! : COL_NONE;
    f.chain[i] = request !== COL_NONE ? requestChain(request) : peer !== COL_NONE ? pairChain(pair(nodeSid, peer)) : at !== COL_NONE ? nodeChain(at) : none;
    if (at !== COL_NONE) {
      node(at);
      f.flags[i] = AT_NODE | (type === COL_REQUEST_START ? REQUEST_START : 0);
    }
  }
  f.nodes = Math.max(1, nodes);
  f.chains = chains;
  return f;
}

/**
 * {@link EventFacts.arriveAfter} at `instantMs`: each arrival's instant found by stepping on from
 * its flight's own (most arrive within an instant or two; a binary search per flight cost ~0.1 s of
 * the 10-minute run's), by binary search when it is earlier or far; stored in 8 bits, widened to
 * 16 or 32 at the first that does not fit.
 */
export function arrivalsOf(f: EventFacts, instantMs: Float64Array): EventFacts['arriveAfter'] {
  const last = instantMs.length - 1;
  let out: EventFacts['arriveAfter'] = new Int8Array(f.flights);
  const instantOf = instantWalker(instantMs);
  for (let i = 0, k = 0; i < f.t.length; i++) {
    if (!(f.flags[i]! & FLIGHT)) continue;
    const at = instantOf(f.t[i]!);
    const arrive = arrivalAt(f, i);
    let j = at;
    if (instantMs[j]! > arrive) j = instantIndex(instantMs, arrive);
    else
      for (let steps = 0; j < last && instantMs[j + 1]! <= arrive; j++)
        if (++steps > 8) {
          j = instantIndex(instantMs, arrive);
          break;
        }
    out[k] = j - at;
    while (out[k] !== j - at) {
      out = out instanceof Int8Array ? new Int16Array(out) : new Int32Array(out);
      out[k] = j - at;
    }
    k++;
  }
  return out;
}
