/**
 * A trace crossing to another thread (the player's Worker to the page): its events travel as the
 * buffers of their {@link TraceStore} (src/sim/traceStore.ts), transferred, not cloned event by event.
 */
import type { Trace } from './trace.ts';
import { storeOfEvents } from './eventList.ts';
import { storeOfEvent } from './traceViews.ts';
import { TraceStore, type Column } from './traceStore.ts';
import { COLUMNS, type ColumnName } from './traceChunks.ts';

/** A store as it crosses to another thread: its columns (their buffers transferable) and its tables. */
export interface PackedTraceStore {
  length: number;
  type: Uint8Array;
  columns: Record<ColumnName, Column>;
  strings: string[];
  objects: unknown[];
  /** {@link TraceStore.arriveRelative}. */
  arriveRelative: boolean;
}

/** `store` (sealed now) as plain data and buffers (list them in `transfer`): the store is unusable afterwards if they are transferred. */
export function packStore(store: TraceStore): { packed: PackedTraceStore; transfer: ArrayBuffer[] } {
  store.seal();
  const columns = {} as Record<ColumnName, Column>;
  for (const k of COLUMNS) columns[k] = store[k];
  const packed: PackedTraceStore = {
    length: store.length,
    type: store.type,
    columns,
    strings: store.strings,
    objects: store.objects,
    arriveRelative: store.arriveRelative,
  };
  // A column that is a view of a larger buffer (a single short part) is transferred whole, once.
  const buffers = new Set([store.type.buffer as ArrayBuffer, ...COLUMNS.map((k) => columns[k].buffer as ArrayBuffer)]);
  return { packed, transfer: [...buffers] };
}

/** A trace as it crosses to another thread: everything but the events, and the events' store packed. */
export type PackedTrace = Omit<Trace, 'events'> & { packedEvents: PackedTraceStore };

/**
 * `trace` ready for `postMessage(…, transfer)`: its events travel as the store's buffers. The
 * trace's own events are unusable afterwards when the buffers are transferred.
 */
export function packTrace(trace: Trace): { packed: PackedTrace; transfer: ArrayBuffer[] } {
  const behind = storeOfEvents(trace.events) ?? storeOfEvent(trace.events[0]);
  const store = behind && behind.length === trace.events.length ? behind : TraceStore.of(trace.events);
  const { packed, transfer } = packStore(store);
  const { events: _, ...rest } = trace;
  return { packed: { ...rest, packedEvents: packed }, transfer };
}

/** The buffers of a packed trace's events, each once: what to transfer to send it on again. */
export function packedBuffers(p: PackedTrace): ArrayBuffer[] {
  const { type, columns } = p.packedEvents;
  return [...new Set([type.buffer as ArrayBuffer, ...COLUMNS.map((k) => columns[k].buffer as ArrayBuffer)])];
}

/** The trace {@link packTrace} sent. */
export function unpackTrace(p: PackedTrace): Trace {
  const { packedEvents, ...rest } = p;
  return { ...rest, events: TraceStore.fromPacked(packedEvents).views() };
}
