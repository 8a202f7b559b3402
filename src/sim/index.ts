/** The engine: virtual clock, seeded randomness, trace types. Knows no mesh. */
export * from './scheduler.ts';
export * from './rng.ts';
export * from './trace.ts';
export * from './format.ts';
export * from './machines.ts';
export * from './charts.ts';
export * from './decisions.ts';
export * from './traceStore.ts';
export { packTrace, packedBuffers, unpackTrace, type PackedTrace } from './tracePack.ts';
export {
  storeOfEvent,
  requestFailure,
  FLIGHT as ROW_FLIGHT,
  TRANSITION as ROW_TRANSITION,
  DECISION as ROW_DECISION,
  REQUEST_START as ROW_REQUEST_START,
  REQUEST_END as ROW_REQUEST_END,
  NONE,
} from './traceViews.ts';
export { storeOfEvents } from './eventList.ts';
export { TraceName, UniqueText } from './traceName.ts';
export { lazyList } from './lazyList.ts';
export { narrowed, release, widthNeededFloat, widthNeededInt } from './traceColumns.ts';
