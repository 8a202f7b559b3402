// A show map's flights' ends kept as lengths (src/player/showTime.ts keepEndsAsLengths): only when
// every end comes back exactly and there are at most 255 lengths; read back with flightEndAt.
import { describe, expect, it } from 'vitest';
import { flightEndAt, keepEndsAsLengths, type ShowMap } from '../../src/player/showTime.ts';

/** A map of `starts.length` flights, flight k event k, with these starts and ends. */
function mapOf(starts: number[], ends: number[]): ShowMap {
  return {
    instantMs: new Float64Array([0]),
    startShow: new Float64Array([0]),
    holdShow: new Float64Array([0]),
    endShow: Math.max(0, ...ends),
    eventShow: Float64Array.from(starts),
    flightSeqs: Int32Array.from(starts, (_, k) => k),
    flightEnd: Float64Array.from(ends),
    flightLengthIds: null,
    flightLengthOf: null,
    fastForwards: [],
    folds: [],
  };
}

const endsOf = (m: ShowMap): number[] => Array.from(m.flightSeqs, (seq, k) => flightEndAt(m, k, m.eventShow[seq]!));

describe("a show map's flights' ends", () => {
  it('are kept as a byte per flight when they take few lengths, and read back exactly', () => {
    const starts = Array.from({ length: 1000 }, (_, k) => k * 7.25);
    const ends = starts.map((s, k) => s + (k % 3 === 0 ? 110 : 150));
    const map = mapOf(starts, ends);
    keepEndsAsLengths(map);
    expect(map.flightEnd).toBeNull();
    expect(map.flightLengthIds).toBeInstanceOf(Uint8Array);
    expect(Array.from(map.flightLengthOf!)).toEqual([110, 150]);
    expect(endsOf(map)).toEqual(ends);
  });

  it('stay as they are with 256 lengths, or with one that does not come back exactly', () => {
    const starts = Array.from({ length: 300 }, (_, k) => k);
    const many = mapOf(
      starts,
      starts.map((s, k) => s + (k % 256) + 1),
    );
    keepEndsAsLengths(many);
    expect(many.flightEnd).not.toBeNull();
    // From 1.1 to 7.7 is a length that, added to 1.1 again, gives 7.699999999999999.
    const inexact = mapOf([0, 1.1], [110, 7.7]);
    expect(1.1 + (7.7 - 1.1)).not.toBe(7.7);
    keepEndsAsLengths(inexact);
    expect(inexact.flightEnd).not.toBeNull();
    expect(endsOf(inexact)).toEqual([110, 7.7]);
  });
});
