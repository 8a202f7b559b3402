/**
 * A trace crossing to another thread (the player's Worker to the page): its events travel as the
 * buffers of their {@link TraceStore} (src/sim/traceStore.ts), transferred, not cloned event by event.
 */
import type { Trace } from './trace.ts';
import { storeOfEvents } from './eventList.ts';
import { storeOfEvent } from './traceViews.ts';
import { type PackedTraceStore, TraceStore } from './traceStore.ts';

/** A trace as it crosses to another thread: everything but the events, and the events' store packed. */
export type PackedTrace = Omit<Trace, 'events'> & { packedEvents: PackedTraceStore };

/**
 * `trace` ready for `postMessage(…, transfer)`: its events travel as the store's buffers. The
 * trace's own events are unusable afterwards when the buffers are transferred.
 */
export function packTrace(trace: Trace): { packed: PackedTrace; transfer: ArrayBuffer[] } {
  const behind = storeOfEvents(trace.events) ?? storeOfEvent(trace.events[0]);
  const store = behind && behind.length === trace.events.length ? behind : TraceStore.of(trace.events);
  const { packed, transfer } = store.pack();
  const { events: _, ...rest } = trace;
  return { packed: { ...rest, packedEvents: packed }, transfer };
}

/** The trace {@link packTrace} sent. */
export function unpackTrace(p: PackedTrace): Trace {
  const { packedEvents, ...rest } = p;
  return { ...rest, events: TraceStore.unpack(packedEvents).views() };
}
