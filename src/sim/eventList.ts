/**
 * `trace.events` of a recorded trace: a read-only array-like over a {@link TraceStore} that makes
 * an event's view when its index is read ({@link lazyList}), instead of one view object per event
 * kept for the run (~48 bytes each: ~26 MB for the benchmarks' 60 s load, ~260 MB for its
 * 10-minute run). `events[i] === events[i]` is false: compare events by `seq`. A reader that
 * walks every event gets on faster with the store's columns ({@link storeOfEvents},
 * src/player/columns.ts).
 */
import type { TraceEvent } from './trace.ts';
import type { TraceStore } from './traceStore.ts';
import { viewOf } from './traceViews.ts';
import { lazyList } from './lazyList.ts';

/** The stores behind lists made here (the list is the key). */
const stores = new WeakMap<readonly TraceEvent[], TraceStore>();

/** The events of `store` (sealed: its length is fixed) as a read-only array whose elements are made on read. */
export function eventList(store: TraceStore): TraceEvent[] {
  const list = lazyList(store.length, (i) => viewOf(store, i));
  stores.set(list, store);
  return list;
}

/** The store behind `events` if it is a list {@link eventList} made. */
export function storeOfEvents(events: readonly TraceEvent[]): TraceStore | undefined {
  return stores.get(events);
}
