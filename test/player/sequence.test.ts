import { describe, expect, it } from 'vitest';
import { diffLines, requestChoices, sequenceOf, toMermaid } from '../../src/player/index.ts';
import { retriesTrace, traceOf, flight } from './fixtures.ts';

const istio = retriesTrace('istio');

describe(sequenceOf, () => {
  it("draws one request's hops, attempts and decisions, caller on the left", () => {
    const retried = istio.events.find((e) => e.type === 'decision' && e.kind === 'retry')!;
    const id = (retried as { requestId: string }).requestId;
    const d = sequenceOf(istio, { requestId: id });
    expect(d.participants[0]!.label).toBe('productpage-0');
    expect(d.items.some((i) => i.kind === 'message' && /\(attempt 2, mTLS\)/.test(i.text))).toBe(true);
    expect(d.items.some((i) => i.kind === 'note' && /retry 1 of 2/.test(i.text))).toBe(true);
    expect(d.items.some((i) => i.kind === 'message' && i.reply && i.text.startsWith('503'))).toBe(true);
    const text = toMermaid(d);
    expect(text.startsWith('sequenceDiagram\n')).toBe(true);
    expect(text).toMatch(/^ {2}participant P0 as productpage-0$/m);
    expect(text).toMatch(/^ {2}P\d+-->>P\d+: \d\.\d{3} s 503/m);
    expect(requestChoices(istio).find((c) => c.requestId === id)!.text).toMatch(/productpage-0 → reviews GET \/reviews\/1: 200/);
  });

  it('draws the first N events', () => {
    expect(sequenceOf(istio, { first: 12 }).items).toHaveLength(12);
  });

  it('writes markup and statement breaks in labels as Mermaid entity codes', () => {
    const trace = traceOf([flight('a/app', 'b/app', 0, 1, 'GET /x;y#<b>"q"')]);
    const text = toMermaid(sequenceOf(trace, { first: 5 }));
    expect(text).toContain('GET /x#59;y#35;#lt;b#gt;#quot;q#quot;');
    expect(text).not.toMatch(/<b>/);
  });
});

describe(diffLines, () => {
  it('marks the lines a change added and removed, and keeps the rest', () => {
    const d = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(d).toEqual([
      { text: 'a', change: 'same' },
      { text: 'b', change: 'removed' },
      { text: 'B', change: 'added' },
      { text: 'c', change: 'same' },
      { text: 'd', change: 'same' },
      { text: 'e', change: 'added' },
    ]);
    expect(diffLines('x', 'x')).toEqual([{ text: 'x', change: 'same' }]);
    expect(diffLines('', 'x\ny').map((l) => l.change)).toEqual(['added', 'added']);
  });
});
