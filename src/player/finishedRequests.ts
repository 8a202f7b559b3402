/**
 * A trace's finished requests as the metrics and the counters count them: each request's end,
 * with its service (the target its start named) and outcome, in show order; and per service
 * where its ok and its failed requests are in that order. Kept as columns: the 10-minute load
 * finishes 600,000 requests, ~80 bytes each as objects; its status, latency and times are the
 * end event's own, read from the trace's columns when asked.
 */
import { requestFailure, type Trace, type TraceStore } from '../sim/index.ts';
import { COL_REQUEST_END, storeOf } from './columns.ts';
import { sortByShow, type StepWriter } from './steps.ts';
import { countDoneOf, type Cursor } from './cursor.ts';
import type { ShowTimes } from './showTime.ts';

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

/** How many of a service's ascending positions ({@link FinishedRequests.finishedAt}) are below `n`: of the first n finished, how many are its. */
export { countBelow as finishedBefore } from './cursor.ts';

/** The finished requests of a trace, in (show, seq) order: request i is the end event `seqs[i]`. */
export class FinishedRequests {
  /** Each request's end event, in (show, seq) order. */
  readonly seqs: Int32Array;
  /** The topology's services, then any other a request was sent to ('?': none known), in order of first appearance. */
  readonly services: string[];
  /** Request i's service, as an index into {@link services}. */
  readonly serviceOf: Int32Array;
  /** Whether request i succeeded (1) or failed (0). */
  readonly ok: Uint8Array;
  /**
   * Per service (in {@link services} order): where its ok and its failed requests are in this
   * order, ascending — how many of the first n finished is a binary search ({@link finishedBefore});
   * not a count per service per request (20 services × 2 × 60,000 for the 60 s load).
   */
  readonly finishedAt: { ok: Int32Array; failed: Int32Array }[];
  private readonly store: TraceStore;

  constructor(
    trace: Trace,
    writer: StepWriter,
    private readonly eventShow: ShowTimes,
  ) {
    const store = (this.store = storeOf(trace.events));
    let count = 0;
    for (let seq = 0; seq < store.length; seq++) if (store.type[seq] === COL_REQUEST_END) count++;
    const seqs = (this.seqs = new Int32Array(count));
    count = 0;
    let sorted = true;
    for (let seq = 0; seq < store.length; seq++) {
      if (store.type[seq] !== COL_REQUEST_END) continue;
      if (count > 0 && eventShow[seq]! < eventShow[seqs[count - 1]!]!) sorted = false;
      seqs[count++] = seq;
    }
    // Request ends mostly come in show order already: sorted only when they do not (in seq order at equal show times).
    if (!sorted) sortByShow(seqs, eventShow);
    // Services numbered by the target's string id (-1: none, named '?'), the topology's first.
    const strings = store.strings;
    const indexOfName = new Map<string, number>();
    this.services = [];
    const serviceIndex = (name: string): number => {
      let k = indexOfName.get(name);
      if (k === undefined) indexOfName.set(name, (k = this.services.push(name) - 1));
      return k;
    };
    for (const s of trace.topology.services) serviceIndex(s.name);
    const byTarget = new Int32Array(strings.length + 1).fill(-1);
    this.serviceOf = new Int32Array(count);
    this.ok = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const seq = seqs[i]!;
      const target = writer.targetIdAt(seq);
      let k = byTarget[target + 1]!;
      if (k < 0) byTarget[target + 1] = k = serviceIndex(target < 0 ? '?' : strings[target]!);
      this.serviceOf[i] = k;
      const status = store.e[seq]!;
      const failure = requestFailure(store.g[seq]!);
      // A route's own response classes decide success where it has them (Linkerd ServiceProfile
      // responseClasses: linkerd viz routes counts by them, FIDELITY G2); else a 2xx is a success.
      this.ok[i] = (failure === undefined ? status >= 200 && status < 300 : !failure) ? 1 : 0;
    }
    // Counted, then filled: no list per service.
    const services = this.services.length;
    const okCount = new Int32Array(services);
    const failedCount = new Int32Array(services);
    for (let i = 0; i < count; i++) (this.ok[i] ? okCount : failedCount)[this.serviceOf[i]!]!++;
    this.finishedAt = this.services.map((_, k) => ({ ok: new Int32Array(okCount[k]!), failed: new Int32Array(failedCount[k]!) }));
    okCount.fill(0);
    failedCount.fill(0);
    for (let i = 0; i < count; i++) {
      const k = this.serviceOf[i]!;
      if (this.ok[i]) this.finishedAt[k]!.ok[okCount[k]!++] = i;
      else this.finishedAt[k]!.failed[failedCount[k]!++] = i;
    }
  }

  get length(): number {
    return this.seqs.length;
  }

  /** Request i's show time (its end event's). */
  showAt(i: number): number {
    return this.eventShow[this.seqs[i]!]!;
  }

  /** How many requests have finished at `cursor`. */
  doneAt(cursor: Cursor): number {
    const seqs = this.seqs;
    const shows = this.eventShow;
    return countDoneOf(
      seqs.length,
      (i) => shows[seqs[i]!]!,
      (i) => seqs[i]!,
      cursor,
    );
  }

  /** Request i as an object (made when read). */
  at(i: number): FinishedRequest {
    const seq = this.seqs[i]!;
    const s = this.store;
    return {
      service: this.services[this.serviceOf[i]!]!,
      ok: this.ok[i] === 1,
      status: s.e[seq]!,
      latencyMs: s.x[seq]!,
      endMs: s.t[seq]!,
      showMs: this.eventShow[seq]!,
      seq,
    };
  }

  /** Request i's latency and simulated end time, read from its end event's columns (src/sim/traceViews.ts RequestEndView: latency x). */
  latencyAt(i: number): number {
    return this.store.x[this.seqs[i]!]!;
  }

  endAt(i: number): number {
    return this.store.t[this.seqs[i]!]!;
  }
}
