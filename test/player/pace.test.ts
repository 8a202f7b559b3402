import { describe, expect, it } from 'vitest';
import { PACE, showAtTime, timeAtShow } from '../../src/player/index.ts';
import { buildShowMap, flightProgress } from '../../src/player/pace.ts';
import { formatDuration } from '../../src/player/format.ts';
import type { FlightEvent } from '../../src/sim/index.ts';
import { flight, traceOf } from './fixtures.ts';

describe('show time', () => {
  describe('when an app hands a request to its own sidecar (a zero-duration hop)', () => {
    const trace = traceOf([flight('a/app', 'a/proxy', 0, 0), flight('a/proxy', 'b/proxy', 0, 1), flight('b/proxy', 'b/app', 1, 1)], 10);
    const map = buildShowMap(trace.events, trace.durationMs);
    const [hop, link, last] = trace.events as FlightEvent[];

    it('gives the hop a visible moment while simulated time stands still', () => {
      expect(map.flightStart[hop!.seq]).toBe(0);
      expect(map.flightEnd[hop!.seq]).toBe(PACE.momentShowMs);
      expect(timeAtShow(map, PACE.momentShowMs / 2)).toBe(0);
      expect(flightProgress(map, hop!, PACE.momentShowMs / 2)).toBeCloseTo(0.5);
    });

    it('starts the link flight after the hop and keeps it on screen at least flightMinShowMs', () => {
      expect(map.flightStart[link!.seq]).toBe(PACE.momentShowMs);
      expect(map.flightEnd[link!.seq]! - map.flightStart[link!.seq]!).toBeGreaterThanOrEqual(PACE.flightMinShowMs);
      expect(map.flightStart[last!.seq]).toBe(map.flightEnd[link!.seq]);
    });

    it('maps simulated time to show time and back', () => {
      for (const t of [0.25, 0.5, 1, 3, 10]) expect(timeAtShow(map, showAtTime(map, t))).toBeCloseTo(t, 9);
    });
  });

  describe('when hops follow each other within one instant', () => {
    it('plays them one after the other, while unrelated hops share a moment', () => {
      const trace = traceOf([flight('a/app', 'a/proxy', 0, 0), flight('a/proxy', 'b/app', 0, 0), flight('b/proxy', 'b/app', 0, 0)]);
      const map = buildShowMap(trace.events, trace.durationMs);
      expect([...map.flightStart.slice(0, 3)]).toEqual([0, PACE.momentShowMs, 0]);
      expect(map.pauseShow[0]).toBe(2 * PACE.momentShowMs);
    });
  });

  describe('when nothing happens for hours', () => {
    const hours = 11 * 3_600_000 + 58 * 60_000;
    const trace = traceOf([flight('a/proxy', 'b/proxy', 0, 1), flight('a/proxy', 'b/proxy', hours, hours + 1)], hours + 10);
    const map = buildShowMap(trace.events, trace.durationMs);

    it('squeezes the wait into a short fast-forward with a note', () => {
      expect(map.fastForwards).toHaveLength(1);
      const ff = map.fastForwards[0]!;
      expect(ff.toShowMs - ff.fromShowMs).toBe(PACE.idleMaxShowMs);
      expect(formatDuration(ff.toMs - ff.fromMs)).toBe('11 h 58 m');
      expect(map.endShow).toBeLessThan(5000);
    });
  });
});
