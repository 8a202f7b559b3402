/**
 * The columns behind a trace's events. A recorded trace's `events` are views over a
 * {@link TraceStore}: indexing reads its typed arrays and interned string ids directly instead of
 * each view's getters (which turn ids back into strings, and keys built from those strings). A
 * trace of plain events (a test's, an imported file's) is stored once into columns first.
 */
import { TraceStore, storeOfEvent, type TraceEvent } from '../sim/index.ts';

/** Event types in a store's `type` column (src/sim/traceViews.ts). */
export const COL_FLIGHT = 0;
export const COL_TRANSITION = 1;
export const COL_DECISION = 2;
export const COL_REQUEST_START = 3;
export const COL_REQUEST_END = 4;
export const COL_NARRATION = 5;
/** No value in an Int32 column. */
export const COL_NONE = -1;

const built = new WeakMap<readonly TraceEvent[], TraceStore>();

/**
 * The store whose rows are `events`, row i being `events[i]` (so event i's `seq` is i): the one
 * behind the views, else one built from them (once per array). Throws when `events` are not in
 * `seq` order from 0, as every recorded trace is.
 */
export function storeOf(events: readonly TraceEvent[]): TraceStore {
  const behind = storeOfEvent(events[0]);
  if (behind && behind.length === events.length && storeOfEvent(events[events.length - 1]) === behind) return behind;
  let store = built.get(events);
  if (!store) {
    events.forEach((e, i) => {
      if (e.seq !== i) throw new Error(`pace: event ${i} has seq ${e.seq}: a trace's events are in seq order from 0`);
    });
    store = TraceStore.of(events);
    built.set(events, store);
  }
  return store;
}

/** A string column's value as the event's optional field reads it: -1 for none or the empty string. */
export function present(store: TraceStore, sid: number): number {
  return sid === COL_NONE || store.strings[sid] === '' ? COL_NONE : sid;
}

/** The request id column's value, -1 when the event carries none (or an empty one). */
export function requestOf(store: TraceStore, i: number): number {
  const r = store.req[i]!;
  return r < -1 && store.strings[-r - 2] === '' ? COL_NONE : r;
}

const stringIds = new WeakMap<TraceStore, { length: number; ids: Map<string, number> }>();

/** The string id of `text` in `store`'s table, or -1 when no event uses it (the lookup table is made once per store). */
export function stringId(store: TraceStore, text: string): number {
  let table = stringIds.get(store);
  if (!table || table.length !== store.strings.length) {
    const ids = new Map<string, number>();
    store.strings.forEach((s, i) => {
      if (!ids.has(s)) ids.set(s, i);
    });
    stringIds.set(store, (table = { length: store.strings.length, ids }));
  }
  return table.ids.get(text) ?? COL_NONE;
}
