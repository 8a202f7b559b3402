/** A trace event given as an object (a plain event, or a view of another store's) into a store's columns. */
import type { NewTraceEvent, TraceEvent } from './trace.ts';
import type { TraceStore } from './traceStore.ts';
import { asString, numbered } from './traceIds.ts';

/** Appends `e` to `store` through the store's field-wise pushes; returns its index (its `seq`). */
export function pushEvent(store: TraceStore, e: NewTraceEvent | TraceEvent): number {
  switch (e.type) {
    case 'flight':
      return store.pushFlight(
        e.t,
        numbered(e.id, 'f-', 0) ?? asString(store.str(e.id)),
        e.kind,
        e.from,
        e.to,
        e.arriveMs,
        e.label,
        e.requestId,
        e.attempt,
        e.mtls,
        e.status,
        e.detail,
        e.departMs,
      );
    case 'transition':
      return store.pushTransition(e.t, e.entity, e.machine, e.node, e.peer, e.from, e.to, e.cause);
    case 'decision':
      return store.pushDecision(e.t, e.node, e.layer, e.kind, e.summary, e.cause, e.requestId, e.attempt, e.data);
    case 'request':
      return e.phase === 'start'
        ? store.pushRequestStart(
            e.t,
            store.str(e.node),
            store.requestId(e.requestId),
            store.str(e.from),
            store.str(e.to),
            store.str(e.method),
            store.str(e.path),
            e.bodyBytes,
            e.connection,
            e.headers,
          )
        : store.pushRequestEnd(e.t, store.str(e.node), store.requestId(e.requestId), e.status, e.attempts, e.latencyMs, e.mtls, e.reason, e.failure);
    case 'narration':
      return store.pushNarration(e.t, e.text, e.node);
    default:
      // A type the trace does not know (an event from a plain-JS caller, a file): nothing is recorded for it, so say so.
      throw new Error(`trace event at ${(e as { t?: unknown }).t} ms: unknown type ${JSON.stringify((e as { type?: unknown }).type)}`);
  }
}
