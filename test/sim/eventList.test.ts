import { describe, expect, it } from 'vitest';
import { TraceStore, storeOfEvents, type TraceEvent } from '../../src/sim/index.ts';

const cause = { config: 'Istio default', isDefault: true, source: 'FIDELITY B1' };

function recorded(): { store: TraceStore; plain: TraceEvent[] } {
  const store = new TraceStore(4);
  for (let k = 0; k < 6; k++) {
    store.pushFlight(k, k, 'http-request', 'a/proxy', 'b/proxy', k + 1, 'GET /', `req-00000${k}`, 1, true, undefined, undefined);
    store.pushDecision(k, 'a/proxy', 'lb', 'lb-pick', `picked b-${k}`, cause, `req-00000${k}`, 1, { pod: `b-${k}` });
  }
  store.seal();
  return { store, plain: Array.from({ length: store.length }, (_, i) => store.plain(i)) };
}

describe('trace.events over a store (eventList)', () => {
  it('reads as the array of its events: index, length, for…of, spread, array methods, JSON', () => {
    const { store, plain } = recorded();
    const events = store.views();
    const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
    expect(Array.isArray(events)).toBe(true);
    expect(events.length).toBe(12);
    expect(json(events[3])).toEqual(json(plain[3]));
    expect(events[12]).toBeUndefined();
    expect(events[-1 as number]).toBeUndefined();
    expect(3 in events).toBe(true);
    expect(12 in events).toBe(false);
    const seen: number[] = [];
    for (const e of events) seen.push(e.seq);
    expect(seen).toEqual(plain.map((e) => e.seq));
    expect([...events].map((e) => e.seq)).toEqual(seen);
    expect(events.filter((e) => e.type === 'decision').map((e) => (e as { summary: string }).summary)).toEqual(
      plain.filter((e) => e.type === 'decision').map((e) => (e as { summary: string }).summary),
    );
    expect(events.slice(2, 4).map((e) => e.seq)).toEqual([2, 3]);
    expect(events.findIndex((e) => e.t === 4)).toBe(8);
    expect(events.at(-1)!.seq).toBe(11);
    expect(Object.keys(events)).toEqual(plain.map((_, i) => String(i)));
    expect(json(events)).toEqual(json(plain));
    expect(json(events)).toEqual(json(plain));
    expect(storeOfEvents(events)).toBe(store);
    expect(storeOfEvents(plain)).toBeUndefined();
  });

  it('is read-only: a write, a push or a sort is refused and changes nothing', () => {
    const { store } = recorded();
    const events = store.views();
    const before = JSON.stringify(events);
    expect(() => {
      (events as TraceEvent[])[0] = events[1]!;
    }).toThrow(TypeError);
    expect(() => events.push(events[0]!)).toThrow(TypeError);
    expect(() => events.sort((a, b) => b.seq - a.seq)).toThrow(TypeError);
    expect(JSON.stringify(events)).toBe(before);
    expect(events.length).toBe(12);
  });
});
