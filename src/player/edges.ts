/**
 * Traffic on each link between two pods (or a pod and a gateway or host): how many requests per
 * second cross it, which share of the caller's requests to that service it carries (a canary's
 * weight, a balancer's spread), and which share of its responses are errors — over the last
 * second of simulated time, so the picture shows the load as it is now, not as it was on average.
 */
import type { FlightEvent, NodeId, Trace } from '../sim/index.ts';

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
    const nodes = new Map(trace.topology.nodes.map((n) => [n.id, n]));
    const podOf = (id: NodeId): string => nodes.get(id)?.pod ?? id;
    const requests = new Map<string, FlightEvent[]>();
    const responses = new Map<string, FlightEvent[]>();
    // The service each request names: a route may send it to another service's pods (a canary).
    const named = new Map<string, string>();
    const groupOf = new Map<string, string>();
    for (const e of trace.events) {
      if (e.type === 'request' && e.phase === 'start') named.set(e.requestId, e.to);
      if (e.type !== 'flight' || (e.kind !== 'http-request' && e.kind !== 'http-response')) continue;
      // Inside one pod (an app and its own sidecar) is no link between pods.
      if (podOf(e.from) === podOf(e.to)) continue;
      const key = e.kind === 'http-request' ? `${e.from}>${e.to}` : `${e.to}>${e.from}`;
      const map = e.kind === 'http-request' ? requests : responses;
      if (e.kind === 'http-request' && !groupOf.has(key))
        groupOf.set(key, `${e.from}>${(e.requestId && named.get(e.requestId)) ?? nodes.get(e.to)?.service ?? e.to}`);
      (map.get(key) ?? map.set(key, []).get(key)!).push(e);
    }
    for (const [key, list] of requests) {
      const [from, to] = key.split('>') as [NodeId, NodeId];
      const group = groupOf.get(key)!;
      this.groupSize.set(group, (this.groupSize.get(group) ?? 0) + 1);
      const back = [...(responses.get(key) ?? [])].sort((a, b) => a.arriveMs - b.arriveMs);
      const errors = new Int32Array(back.length + 1);
      back.forEach((r, i) => (errors[i + 1] = errors[i]! + (r.status === undefined || r.status === 0 || r.status >= 500 ? 1 : 0)));
      this.edges.push({
        from,
        to,
        group,
        departs: Float64Array.from(list, (f) => f.departMs).sort(),
        arrives: Float64Array.from(back, (f) => f.arriveMs),
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
