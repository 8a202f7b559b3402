/**
 * Test setup: a trace event is a view over the trace's columns (src/sim/traceStore.ts), so
 * `toEqual` compares views as the events they show (their JSON), not as store and index. And a
 * stand-in for the browser's navigator, which pixi.js reads when loaded and Node 20 has not.
 */
import { expect } from 'vitest';
import { storeOfEvent, type TraceEvent } from '../../src/sim/index.ts';

/** Set on `expect` once the tester is added: files sharing a worker (isolate: false) run this file each. */
const ADDED = Symbol.for('mesh-sim:viewsAsEvents');
const marked = expect as unknown as Record<symbol, boolean>;

// Here, not in the files that load pixi (test/render): files share their worker's globals
// (isolate: false), so a stand-in one of them set would reach only the files after it.
(globalThis as { navigator?: unknown }).navigator ??= { userAgent: 'node' };

if (!marked[ADDED]) {
  marked[ADDED] = true;
  expect.addEqualityTesters([
    function viewsAsEvents(a: unknown, b: unknown, customTesters) {
      const aView = storeOfEvent(a as TraceEvent) !== undefined;
      const bView = storeOfEvent(b as TraceEvent) !== undefined;
      if (!aView && !bView) return undefined;
      const plain = (x: unknown, view: boolean): unknown => (view ? (x as { toJSON(): unknown }).toJSON() : x);
      // The other testers of the assertion too: toMatchObject's subset equality still applies.
      return this.equals(plain(a, aView), plain(b, bView), customTesters);
    },
  ]);
}
