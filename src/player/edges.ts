/**
 * Traffic on each link between two pods (or a pod and a gateway or host): how many requests per
 * second cross it, which share of the caller's requests to that service it carries (a canary's
 * weight, a balancer's spread), and which share of its responses are errors — over the last
 * second of simulated time, so the picture shows the load as it is now, not as it was on average.
 */
import { narrowed, release, widthNeededFloat, type NodeId, type Trace, type TraceStore } from '../sim/index.ts';
import { COL_FLIGHT, COL_NONE, COL_REQUEST_START, requestOf, storeOf, stringId } from './columns.ts';
import { PairTable } from './pairTable.ts';

/** A column of the trace's store (Int8 to Float64: as narrow as its values allow). */
type Column = TraceStore['t'];

/** The window the figures are measured over, in simulated ms. */
export const EDGE_WINDOW_MS = 1000;

/** One link's traffic at the cursor. */
export interface EdgeView {
  from: NodeId;
  to: NodeId;
  /** Requests that left on this link within the last second. */
  requests: number;
  /** Requests per second over that second. */
  rate: number;
  /** This link's share of the caller's requests naming the same service in the window (a route may send them to another service: a canary); null when they all take this link. */
  share: number | null;
  /** Share of the responses back on this link in the window that were errors (5xx, or none at all). */
  errorShare: number;
  responses: number;
}

interface EdgeIndex {
  from: NodeId;
  to: NodeId;
  /** Caller and target service: links in one group split the caller's requests. */
  group: string;
  /** Its requests' departures and its responses' arrivals, ascending (in 4 bytes while they are whole milliseconds). */
  departs: Column;
  arrives: Column;
  /** Errors among the first n responses (by arrival). */
  errors: Int32Array;
}

/** Links between pods, indexed for {@link edgesAt}. */
export class EdgeIndexes {
  readonly edges: EdgeIndex[] = [];
  private readonly groupSize = new Map<string, number>();

  constructor(trace: Trace) {
    // Read from the trace's columns (string ids), not its events: a long run has a million packets.
    const store = storeOf(trace.events);
    const strings = store.strings;
    const nodes = new Map(trace.topology.nodes.map((n) => [n.id, n]));
    // Each node's pod, interned, by the node's string id: an app and its own sidecar share one.
    const pods = new Map<string, number>();
    const podIds = new Int32Array(strings.length).fill(-1);
    const podOf = (sid: number): number => {
      if (podIds[sid] === -1) {
        const pod = nodes.get(strings[sid]!)?.pod ?? strings[sid]!;
        podIds[sid] = pods.get(pod) ?? pods.size;
        pods.set(pod, podIds[sid]!);
      }
      return podIds[sid]!;
    };
    const httpRequest = stringId(store, 'http-request');
    const httpResponse = stringId(store, 'http-response');
    interface Link {
      key: number;
      from: NodeId;
      to: NodeId;
      group: string;
      /** Its requests' departures, and the rows of the responses back on it, in event order: counted, then filled. */
      departs: Float64Array;
      back: Int32Array;
      filled: number;
    }
    // Links by (caller, callee) string ids, numbered by a pair table, in the order their first
    // request left; responses by (callee, caller) in the same table. Arrays by number, not Maps
    // keyed per packet: a long run has a million packets. The trace is read twice — the links
    // found and their packets counted, then each link's arrays filled — so that no list grows
    // packet by packet (the 10-minute load's lists of numbers took ~30 MB of the page's heap).
    const pairs = new PairTable(strings.length, 64);
    const linkOf: (Link | undefined)[] = [];
    const order: Link[] = [];
    const departsOf: number[] = [];
    const backOf: number[] = [];
    // The service each request names (a route may send it to another service's pods: a canary):
    // numbered requests (`req-N`) by N, others by their string id.
    let maxRequest = -1;
    for (let i = 0; i < store.length; i++) if (store.type[i] === COL_REQUEST_START && store.req[i]! > maxRequest) maxRequest = store.req[i]!;
    const namedNumber = new Int32Array(maxRequest + 1).fill(-1);
    const namedString = new Map<number, number>();
    const named = (request: number): number | undefined => {
      const sid = request >= 0 ? namedNumber[request] : namedString.get(request);
      return sid === undefined || sid === -1 ? undefined : sid;
    };
    /** Calls `request(i, key)` for each request between pods and `response(i, key)` for each response, `key` their link's pair. */
    const eachPacket = (request: (i: number, key: number) => void, response: (i: number, key: number) => void, starts?: (i: number) => void): void => {
      for (let i = 0; i < store.length; i++) {
        const type = store.type[i]!;
        if (type === COL_REQUEST_START) {
          starts?.(i);
          continue;
        }
        const kind = store.c[i]!;
        if (type !== COL_FLIGHT || (kind !== httpRequest && kind !== httpResponse)) continue;
        const from = store.node[i]!;
        const to = store.a[i]!;
        // Inside one pod (an app and its own sidecar) is no link between pods.
        if (podOf(from) === podOf(to)) continue;
        if (kind === httpRequest) request(i, pairs.slot(from, to));
        else response(i, pairs.slot(to, from));
      }
    };
    eachPacket(
      (i, key) => {
        if (!linkOf[key]) {
          const request = requestOf(store, i);
          const target = request !== COL_NONE ? named(request) : undefined;
          const from = strings[store.node[i]!]!;
          const toId = strings[store.a[i]!]!;
          const group = `${from}>${target !== undefined ? strings[target]! : (nodes.get(toId)?.service ?? toId)}`;
          const link: Link = { key, from, to: toId, group, departs: NO_TIMES, back: NO_ROWS, filled: 0 };
          linkOf[key] = link;
          order.push(link);
        }
        departsOf[key] = (departsOf[key] ?? 0) + 1;
      },
      (_, key) => void (backOf[key] = (backOf[key] ?? 0) + 1),
      (i) => {
        const request = requestOf(store, i);
        if (request >= 0) namedNumber[request] = store.b[i]!;
        else if (request !== COL_NONE) namedString.set(request, store.b[i]!);
      },
    );
    for (const link of order) {
      link.departs = new Float64Array(departsOf[link.key]!);
      link.back = new Int32Array(backOf[link.key] ?? 0);
    }
    eachPacket(
      (i, key) => {
        const link = linkOf[key]!;
        const side = store.obj[i] === COL_NONE ? undefined : (store.objects[store.obj[i]!] as { departMs?: number });
        link.departs[link.filled++] = side?.departMs ?? store.t[i]!;
      },
      (i, key) => {
        const link = linkOf[key];
        // Responses on a pair no request left on are not a link's.
        if (link) link.back[link.back.length - backOf[key]!--] = i;
      },
    );
    for (const link of order) {
      this.groupSize.set(link.group, (this.groupSize.get(link.group) ?? 0) + 1);
      // By arrival; rows arriving together stay in event order.
      const back = link.back.sort((a, b) => store.arriveAt(a) - store.arriveAt(b) || a - b);
      const errors = new Int32Array(back.length + 1);
      back.forEach((row, i) => {
        const status = store.e[row]!;
        errors[i + 1] = errors[i]! + (status === COL_NONE || status === 0 || status >= 500 ? 1 : 0);
      });
      this.edges.push({
        from: link.from,
        to: link.to,
        group: link.group,
        departs: narrowest(link.departs.sort()),
        arrives: narrowest(Float64Array.from(back, (row) => store.arriveAt(row))),
        errors,
      });
    }
  }

  /** Each link's traffic over the window ending at simulated time `t` (links idle in it are left out). */
  at(t: number): EdgeView[] {
    const from = t - EDGE_WINDOW_MS;
    const span = Math.min(EDGE_WINDOW_MS, Math.max(t, 1)) / 1000;
    const counts = this.edges.map((e) => countUpTo(e.departs, t) - countUpTo(e.departs, from));
    const totals = new Map<string, number>();
    this.edges.forEach((e, i) => totals.set(e.group, (totals.get(e.group) ?? 0) + counts[i]!));
    const out: EdgeView[] = [];
    this.edges.forEach((e, i) => {
      const requests = counts[i]!;
      const a = countUpTo(e.arrives, from);
      const b = countUpTo(e.arrives, t);
      const responses = b - a;
      if (requests === 0 && responses === 0) return;
      const total = totals.get(e.group)!;
      out.push({
        from: e.from,
        to: e.to,
        requests,
        rate: requests / span,
        share: this.groupSize.get(e.group)! > 1 && total > 0 ? requests / total : null,
        errorShare: responses ? (e.errors[b]! - e.errors[a]!) / responses : 0,
        responses,
      });
    });
    return out;
  }
}

const NO_TIMES = new Float64Array(0);
const NO_ROWS = new Int32Array(0);

/** `times` in the narrowest column that holds each exactly (src/sim/traceColumns.ts). */
function narrowest(times: Float64Array): Column {
  const out = narrowed(times, times.length, widthNeededFloat(times, times.length));
  // The wide copy given back now, not at the next full collection (traceColumns.ts release).
  if (out !== times) release(times);
  return out;
}

/** How many of the sorted values are ≤ `x`. */
function countUpTo(sorted: Column, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
