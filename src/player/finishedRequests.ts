/**
 * A trace's finished requests as the metrics and the counters count them: each request's end,
 * with its service (the target its start named), outcome and latency, in show order; and per
 * service where its ok and its failed requests are in that order.
 */
import { requestFailure, type Trace, type TraceStore } from '../sim/index.ts';
import { COL_REQUEST_END, storeOf } from './columns.ts';
import type { StepWriter } from './steps.ts';

/** A finished request, as the metrics count it. */
export interface FinishedRequest {
  service: string;
  ok: boolean;
  status: number;
  latencyMs: number;
  endMs: number;
  showMs: number;
  seq: number;
}

/** How many of the ascending `positions` are below `n`. */
export function finishedBefore(positions: Int32Array, n: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What a trace's finished requests are indexed as. */
export interface FinishedRequests {
  requests: FinishedRequest[];
  /** The topology's services, then any other a request was sent to. */
  services: string[];
  requestShows: Float64Array;
  /**
   * Per service (in `services` order): where its ok and its failed requests are in `requests`,
   * ascending — how many of the first n finished is a binary search ({@link finishedBefore}); not
   * a count per service per request (20 services × 2 × 60,000 for the 60 s load).
   */
  finishedAt: { ok: Int32Array; failed: Int32Array }[];
}

/** Request end `seq`, read from the columns (src/sim/traceViews.ts RequestEndView: status e, latency x, failure from g). */
function requestAt(store: TraceStore, writer: StepWriter, seq: number, showMs: number): FinishedRequest {
  const service = writer.targetAt(seq) ?? '?';
  const status = store.e[seq]!;
  const failure = requestFailure(store.g[seq]!);
  // A route's own response classes decide success where it has them (Linkerd ServiceProfile
  // responseClasses: linkerd viz routes counts by them, FIDELITY G2); else a 2xx is a success.
  const ok = failure === undefined ? status >= 200 && status < 300 : !failure;
  return { service, ok, status, latencyMs: store.x[seq]!, endMs: store.t[seq]!, showMs, seq };
}

/** The finished requests of `trace`, placed at `eventShow` (show time by `seq`). */
export function finishedRequestsOf(trace: Trace, writer: StepWriter, eventShow: Float64Array): FinishedRequests {
  const store = storeOf(trace.events);
  const requests: FinishedRequest[] = [];
  for (let seq = 0; seq < store.length; seq++) if (store.type[seq] === COL_REQUEST_END) requests.push(requestAt(store, writer, seq, eventShow[seq]!));
  // Request ends mostly come in show order already: sorted only when they do not.
  const byShow = (a: FinishedRequest, b: FinishedRequest): number => a.showMs - b.showMs || a.seq - b.seq;
  if (!inOrder(requests, byShow)) requests.sort(byShow);
  // One set filled as it goes: spreading the 60 s load's 60,000 requests into it cost ~5% of indexing.
  const serviceSet = new Set(trace.topology.services.map((s) => s.name));
  for (const r of requests) serviceSet.add(r.service);
  const services = [...serviceSet];
  const requestShows = new Float64Array(requests.length);
  for (let i = 0; i < requests.length; i++) requestShows[i] = requests[i]!.showMs;
  const serviceIndex = new Map(services.map((service, k) => [service, k]));
  const okCount = new Int32Array(services.length);
  const failedCount = new Int32Array(services.length);
  for (const r of requests) (r.ok ? okCount : failedCount)[serviceIndex.get(r.service)!]!++;
  const finishedAt = services.map((_, k) => ({ ok: new Int32Array(okCount[k]!), failed: new Int32Array(failedCount[k]!) }));
  okCount.fill(0);
  failedCount.fill(0);
  requests.forEach((r, i) => {
    const k = serviceIndex.get(r.service)!;
    if (r.ok) finishedAt[k]!.ok[okCount[k]!++] = i;
    else finishedAt[k]!.failed[failedCount[k]!++] = i;
  });
  return { requests, services, requestShows, finishedAt };
}

/** Whether `xs` is already sorted by `order`. */
function inOrder<T>(xs: readonly T[], order: (a: T, b: T) => number): boolean {
  for (let i = 1; i < xs.length; i++) if (order(xs[i - 1]!, xs[i]!) > 0) return false;
  return true;
}
