/**
 * A UniqueText (src/sim/traceName.ts): a string only it brings to a store, appended to the first
 * store's table once and read back like any interned string; another store interns it as usual.
 */
import { describe, expect, it } from 'vitest';
import { TraceStore, UniqueText } from '../../src/sim/index.ts';

const cause = { config: 'Istio default', isDefault: true, source: 'FIDELITY D1' };

function decide(store: TraceStore, t: number, summary: number): void {
  store.pushDecisionIds(t, store.str('a/proxy'), store.str('loadBalance'), store.str('endpoint'), summary, store.cause(cause), 'req-000001', 1, undefined);
}

describe('UniqueText', () => {
  it('is appended to its first store once, and its decisions read its words', () => {
    const store = new TraceStore();
    const words = new UniqueText('r-1: r-0 has 2 active, r-1 has 0');
    decide(store, 1, words.idIn(store));
    decide(store, 2, words.idIn(store));
    expect(words.idIn(store)).toBe(words.idIn(store));
    expect(store.strings.filter((s) => s === words.text)).toHaveLength(1);
    const events = store.seal().views();
    expect(events.map((e) => (e.type === 'decision' ? e.summary : undefined))).toEqual([words.text, words.text]);
  });

  it('is interned as any string in a store after its first', () => {
    const first = new TraceStore();
    const words = new UniqueText('r-2 (drew it twice; 1 active)');
    const id = words.idIn(first);
    const second = new TraceStore();
    second.str('something else');
    const there = words.idIn(second);
    expect(second.strings[there]).toBe(words.text);
    // The same id as interning the text there gives, and still one entry in each table.
    expect(second.strRare(words.text)).toBe(there);
    expect(second.str(words.text)).toBe(there);
    expect(words.idIn(first)).toBe(id);
    expect(second.strings.filter((s) => s === words.text)).toHaveLength(1);
    expect(first.strings.filter((s) => s === words.text)).toHaveLength(1);
  });
});
