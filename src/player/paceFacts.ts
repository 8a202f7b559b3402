/**
 * What show time (pace.ts) needs of each event of a trace, read once and kept as numbers: the
 * events are views over the trace's columns (each field read is a getter) and placing reads them
 * up to three times, with keys that were strings built per event (`r:req-000042@istio-proxy…`).
 */
import type { TraceEvent } from '../sim/index.ts';

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

export function factsOf(events: readonly TraceEvent[]): EventFacts {
  const n = events.length;
  const f: EventFacts = {
    flags: new Uint8Array(n),
    t: new Float64Array(n),
    arrive: new Float64Array(n),
    depart: new Float64Array(n),
    tIndex: new Int32Array(n),
    arriveIndex: new Int32Array(n),
    chain: new Int32Array(n),
    from: new Int32Array(n).fill(-1),
    to: new Int32Array(n).fill(-1),
    request: new Int32Array(n).fill(-1),
    nodes: 0,
  };
  const chains = new Map<string, number>();
  const nodes = new Map<string, number>();
  const requests = new Map<string, number>();
  const intern = (m: Map<string, number>, s: string): number => {
    let id = m.get(s);
    if (id === undefined) m.set(s, (id = m.size));
    return id;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    if (e.seq !== i) throw new Error(`pace: event ${i} has seq ${e.seq}: a trace's events are in seq order from 0`);
    f.t[i] = e.t;
    f.chain[i] = intern(chains, chainOf(e));
    const requestId = 'requestId' in e ? e.requestId : undefined;
    if (requestId) f.request[i] = intern(requests, requestId);
    if (e.type === 'flight') {
      f.arrive[i] = e.arriveMs;
      f.depart[i] = e.departMs;
      f.from[i] = intern(nodes, e.from);
      f.to[i] = intern(nodes, e.to);
      f.flags[i] =
        FLIGHT |
        (e.arriveMs === e.departMs ? MOMENT : 0) |
        (requestId && e.kind === 'http-request' ? HTTP_REQUEST : 0) |
        (requestId && e.kind === 'http-response' ? HTTP_RESPONSE : 0);
    } else if ('node' in e && e.node) {
      f.from[i] = intern(nodes, e.node);
      f.flags[i] = AT_NODE | (e.type === 'request' && e.phase === 'start' ? REQUEST_START : 0);
    }
  }
  f.nodes = Math.max(1, nodes.size);
  return f;
}

/** The conversation an event belongs to: its request, else the pair of nodes (a handshake, a push), else its node. */
function chainOf(e: TraceEvent): string {
  if ('requestId' in e && e.requestId) return `r:${e.requestId}`;
  if (e.type === 'flight') return e.from < e.to ? `p:${e.from}|${e.to}` : `p:${e.to}|${e.from}`;
  if (e.type === 'transition' && e.peer) return e.node < e.peer ? `p:${e.node}|${e.peer}` : `p:${e.peer}|${e.node}`;
  return 'node' in e && e.node ? `n:${e.node}` : 'none';
}
