// A store records an event given as an object by its type (src/sim/tracePush.ts).
import { describe, expect, it } from 'vitest';
import { TraceStore, type TraceEvent } from '../../src/sim/index.ts';

describe('an event of a type the trace does not know', () => {
  it('is refused with its type named, not recorded as nothing', () => {
    const s = new TraceStore(16);
    expect(() => s.push({ type: 'request.end', t: 5, seq: 0 } as unknown as TraceEvent)).toThrow('trace event at 5 ms: unknown type "request.end"');
    expect(s.length).toBe(0);
  });
});
