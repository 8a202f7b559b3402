// A sealed store keeps flights' arrivals as lengths (arrival less time) when every time is whole:
// src/sim/traceArrivals.ts, TraceStore.arriveRelative / arriveAt.
import { describe, expect, it } from 'vitest';
import { TraceStore, type TraceEvent } from '../../src/sim/index.ts';
import { packStore } from '../../src/sim/tracePack.ts';

describe("a sealed store's flight arrivals (TraceStore.arriveRelative)", () => {
  /** A store of `n` flights at whole times far into a run, each arriving `2 + k % 5` ms later, and a request end of latency 900. */
  function longRun(n: number, shift = 0): TraceStore {
    const s = new TraceStore(16);
    for (let k = 0; k < n; k++)
      s.pushFlight(
        500_000 + k + shift,
        k,
        'tcp',
        'a/proxy',
        'b/proxy',
        500_000 + k + shift + 2 + (k % 5),
        'SYN',
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      );
    s.push({ type: 'request', phase: 'end', t: 600_000, seq: n, requestId: 'req-000001', node: 'a/app', status: 200, attempts: 1, latencyMs: 900, mtls: true });
    return s;
  }
  const arrivals = (s: TraceStore): number[] =>
    Array.from({ length: s.length - 1 }, (_, i) => (s.views()[i] as Extract<TraceEvent, { type: 'flight' }>).arriveMs);

  it('are kept as lengths in a narrow column when every time is whole, and read back as the times recorded', () => {
    const s = longRun(1000).seal();
    expect(s.arriveRelative).toBe(true);
    // Arrivals past 500,000 ms take 4 bytes; their lengths (2–6 ms, a latency of 900) take 2.
    expect(s.x).toBeInstanceOf(Int16Array);
    expect(arrivals(s)).toEqual(Array.from({ length: 1000 }, (_, k) => 500_000 + k + 2 + (k % 5)));
    expect(s.plain(1000)).toMatchObject({ type: 'request', phase: 'end', t: 600_000, latencyMs: 900 });
    expect(s.plain(3)).toMatchObject({ t: 500_003, arriveMs: 500_008 });
    // And across a thread: the packed store says so.
    const back = TraceStore.fromPacked(packStore(s).packed);
    expect(back.arriveRelative).toBe(true);
    expect(arrivals(back)).toEqual(arrivals(s));
  });

  it('stay times where a time is a fraction, and while the store is sealed to share its rows', () => {
    const fractional = longRun(10, 0.5).seal();
    expect(fractional.arriveRelative).toBe(false);
    expect(arrivals(fractional)[0]).toBe(500_002.5);
    const shared = longRun(10).seal(true);
    expect(shared.arriveRelative).toBe(false);
    const copy = shared.sharingTables();
    copy.copyRange(shared, 0, 10);
    copy.seal();
    expect(copy.arriveRelative).toBe(true);
    expect(arrivals(copy)).toEqual(Array.from({ length: 9 }, (_, k) => 500_000 + k + 2 + (k % 5)));
    // Sealed again without sharing, the first store keeps them as lengths too; rows are not copied from it then.
    shared.seal();
    expect(shared.arriveRelative).toBe(true);
    expect(() => copy.sharingTables().copyRange(shared, 0, 1)).toThrow(/arrivals are lengths/);
  });
});
