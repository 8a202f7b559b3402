// Show times by event kept in 4 bytes when every one is exactly a Float32 (src/player/showTime.ts
// narrowShows), as pace.ts keeps a show map's: the 10-minute load's are whole milliseconds.
import { describe, expect, it } from 'vitest';
import { narrowShows } from '../../src/player/showTime.ts';
import { buildShowMap } from '../../src/player/pace.ts';
import { flight, traceOf } from './fixtures.ts';

describe("a show map's event show times", () => {
  it('are kept as Float32 when each one is exactly a Float32, with the same values', () => {
    const shows = Float64Array.from({ length: 1000 }, (_, i) => i * 250 + (i % 7) * 0.5);
    const narrow = narrowShows(shows);
    expect(narrow).toBeInstanceOf(Float32Array);
    expect(Array.from(narrow)).toEqual(Array.from(shows));
  });

  it('stay in 8 bytes when one of them is not (a fraction Float32 rounds, or a time past 2^24 ms)', () => {
    for (const odd of [0.1, 16_777_217]) {
      const shows = Float64Array.from([0, 110, odd, 250]);
      expect(Math.fround(odd)).not.toBe(odd);
      expect(narrowShows(shows)).toBe(shows);
    }
  });

  it('are Float32 in a built map whose packets move on whole milliseconds, each a whole number', () => {
    const trace = traceOf([flight('a/app', 'a/proxy', 0, 0), flight('a/proxy', 'b/proxy', 0, 1), flight('b/proxy', 'b/app', 1, 1)], 10);
    const map = buildShowMap(trace.events, trace.durationMs);
    expect(map.eventShow).toBeInstanceOf(Float32Array);
    expect(Array.from(map.eventShow).every(Number.isInteger)).toBe(true);
  });
});
