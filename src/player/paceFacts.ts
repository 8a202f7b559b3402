/**
 * What show time (pace.ts) needs of each event of a trace, read once and kept as numbers: the
 * events are views over the trace's columns (each field read is a getter) and placing reads them
 * up to three times, with keys that were strings built per event (`r:req-000042@istio-proxy…`).
 * They are read from the trace's columns (columns.ts): ids, not strings.
 */
import type { TraceEvent, TraceStore } from '../sim/index.ts';
import { COL_FLIGHT, COL_NONE, COL_REQUEST_START, COL_TRANSITION, storeOf, stringId } from './columns.ts';

/** What placing needs of each event, reused by every round of placing: numbers, not strings. */
export interface EventFacts {
  /** {@link FLIGHT}, {@link MOMENT}… bits. */
  flags: Uint8Array;
  t: Float64Array;
  /** A flight's arrival and departure. */
  arrive: Float64Array;
  depart: Float64Array;
  /** Instant index of `t`, and of a flight's arrival (filled in by pace.ts once the instants are known). */
  tIndex: Int32Array;
  arriveIndex: Int32Array;
  /** The conversation ({@link chainOf}), interned. */
  chain: Int32Array;
  /** A flight's source and target, another event's node (-1: none), interned. */
  from: Int32Array;
  to: Int32Array;
  /** The request id, interned (-1: none). */
  request: Int32Array;
  /** How many nodes were interned: a key of (something, node) is `something * nodes + node`. */
  nodes: number;
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

/**
 * The first `n` entries of a column as a Float64Array: the column itself when it is one (not
 * copied); else converted by `set`, natively (`Float64Array.from` walks an iterator: ~66 ms of the
 * 60 s load's first frame in the page, ~0.9 s of the 10-minute run's).
 */
function asFloats(col: TraceStore['t'], n: number): Float64Array {
  if (col instanceof Float64Array) return col.subarray(0, n);
  const out = new Float64Array(n);
  out.set(col.subarray(0, n));
  return out;
}

export function factsOf(events: readonly TraceEvent[]): EventFacts {
  const s = storeOf(events);
  const n = s.length;
  const f: EventFacts = {
    flags: new Uint8Array(n),
    // The store's columns as Float64 (read, never written): times may be stored narrower (Int32
    // while whole milliseconds); `x` is a flight's arrival (another event's latency: not read).
    t: asFloats(s.t, n),
    arrive: asFloats(s.x, n),
    // A flight departs at its time unless it says otherwise (made a copy of `t` then).
    depart: new Float64Array(0),
    tIndex: new Int32Array(n),
    arriveIndex: new Int32Array(n),
    chain: new Int32Array(n),
    from: new Int32Array(n).fill(-1),
    to: new Int32Array(n).fill(-1),
    request: new Int32Array(n).fill(-1),
    nodes: 0,
  };
  f.depart = f.t;
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
  const nodeIds = new Int32Array(strings).fill(-1);
  let nodes = 0;
  const node = (sid: number): number => (nodeIds[sid] === -1 ? (nodeIds[sid] = nodes++) : nodeIds[sid]!);
  const pair = (a: number, b: number): number => (a < b ? a * strings + b : b * strings + a);
  // present() and requestOf() of columns.ts, with the empty string's id looked up once.
  const isNone = (sid: number): boolean => sid === COL_NONE || sid === empty;
  const httpRequest = stringId(s, 'http-request');
  const httpResponse = stringId(s, 'http-response');
  // The chain of events with no request, peer or node (made first, as it always was).
  const none = chains++;
  const arrive = s.x;
  for (let i = 0; i < n; i++) {
    const type = s.type[i]!;
    const r = req[i]!;
    const request = r < -1 && -r - 2 === empty ? COL_NONE : r;
    if (request !== COL_NONE) f.request[i] = request;
    const nodeSid = s.node[i]!;
    if (type === COL_FLIGHT) {
      const to = s.a[i]!;
      f.chain[i] = request !== COL_NONE ? requestChain(request) : pairChain(pair(nodeSid, to));
      const o = s.obj[i]!;
      const side = o === COL_NONE ? undefined : (s.objects[o] as { departMs?: number });
      const arriveMs = arrive[i]!;
      const departMs = side?.departMs ?? f.t[i]!;
      if (departMs !== f.t[i]) {
        if (f.depart === f.t) f.depart = f.t.slice();
        f.depart[i] = departMs;
      }
      f.from[i] = node(nodeSid);
      f.to[i] = node(to);
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
      f.from[i] = node(at);
      f.flags[i] = AT_NODE | (type === COL_REQUEST_START ? REQUEST_START : 0);
    }
  }
  f.nodes = Math.max(1, nodes);
  return f;
}
