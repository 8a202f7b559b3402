/**
 * Traffic on each link between two pods (or a pod and a gateway or host): how many requests per
 * second cross it, which share of the caller's requests to that service it carries (a canary's
 * weight, a balancer's spread), and which share of its responses are errors — over the last
 * second of simulated time, so the picture shows the load as it is now, not as it was on average.
 */
import type { NodeId, Trace } from '../sim/index.ts';
import { COL_FLIGHT, COL_NONE, COL_REQUEST_START, requestOf, storeOf, stringId } from './columns.ts';
import { PairTable } from './pairTable.ts';

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
  departs: Float64Array;
  arrives: Float64Array;
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
      from: NodeId;
      to: NodeId;
      group: string;
      departs: number[];
      /** The responses' rows, in event order. */
      back: number[];
    }
    // Links by (caller, callee) string ids, numbered by a pair table, in the order their first
    // request left; responses by (callee, caller) in the same table. Arrays by number, not Maps
    // keyed per packet: a long run has a million packets.
    const pairs = new PairTable(strings.length, 64);
    const linkOf: (Link | undefined)[] = [];
    const order: number[] = [];
    const responses: (number[] | undefined)[] = [];
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
    for (let i = 0; i < store.length; i++) {
      const type = store.type[i]!;
      if (type === COL_REQUEST_START) {
        const request = requestOf(store, i);
        if (request >= 0) namedNumber[request] = store.b[i]!;
        else if (request !== COL_NONE) namedString.set(request, store.b[i]!);
        continue;
      }
      const kind = store.c[i]!;
      if (type !== COL_FLIGHT || (kind !== httpRequest && kind !== httpResponse)) continue;
      const from = store.node[i]!;
      const to = store.a[i]!;
      // Inside one pod (an app and its own sidecar) is no link between pods.
      if (podOf(from) === podOf(to)) continue;
      if (kind === httpRequest) {
        const key = pairs.slot(from, to);
        let link = linkOf[key];
        if (!link) {
          const request = requestOf(store, i);
          const target = request !== COL_NONE ? named(request) : undefined;
          const toId = strings[to]!;
          const group = `${strings[from]!}>${target !== undefined ? strings[target]! : (nodes.get(toId)?.service ?? toId)}`;
          linkOf[key] = link = { from: strings[from]!, to: toId, group, departs: [], back: [] };
          order.push(key);
        }
        const side = store.obj[i] === COL_NONE ? undefined : (store.objects[store.obj[i]!] as { departMs?: number });
        link.departs.push(side?.departMs ?? store.t[i]!);
      } else {
        const key = pairs.slot(to, from);
        (responses[key] ??= []).push(i);
      }
    }
    for (const key of order) {
      const link = linkOf[key]!;
      this.groupSize.set(link.group, (this.groupSize.get(link.group) ?? 0) + 1);
      // By arrival (a stable sort: rows arriving together stay in event order).
      const back = (responses[key] ?? []).sort((a, b) => store.x[a]! - store.x[b]!);
      const errors = new Int32Array(back.length + 1);
      back.forEach((row, i) => {
        const status = store.e[row]!;
        errors[i + 1] = errors[i]! + (status === COL_NONE || status === 0 || status >= 500 ? 1 : 0);
      });
      this.edges.push({
        from: link.from,
        to: link.to,
        group: link.group,
        departs: Float64Array.from(link.departs).sort(),
        arrives: Float64Array.from(back, (row) => store.x[row]!),
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

/** How many of the sorted values are ≤ `x`. */
function countUpTo(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
