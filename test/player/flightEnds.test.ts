// A show map's flights' ends kept as lengths (src/player/flightEnds.ts keepEndsAsLengths): only when
// every end comes back exactly and there are at most 255 lengths; read back with flightEndAt. And
// the same kept while placing writes them (src/player/flightEnds.ts FlightEnds).
import { describe, expect, it } from 'vitest';
import { flightEndAt, type ShowMap } from '../../src/player/showTime.ts';
import { FlightEnds, keepEndsAsLengths } from '../../src/player/flightEnds.ts';

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

/** Sets flights with these starts and ends in a FlightEnds, as placing does (in order, each read back at once), and writes them into a map. */
function placed(starts: number[], ends: number[], rounds = 1): { map: ShowMap; readBack: number[] } {
  const map = mapOf(starts, ends);
  map.flightEnd = null;
  const kept = new FlightEnds(starts.length, (k) => starts[k]!);
  let readBack: number[] = [];
  for (let round = 0; round < rounds; round++) {
    kept.restart();
    readBack = [];
    starts.forEach((s, k) => {
      kept.set(k, s, ends[k]!);
      // A later flight reads an earlier one's end (a call made while serving a request follows its arrival).
      if (k > 0) readBack.push(kept.get(k - 1, starts[k - 1]!));
    });
  }
  kept.writeTo(map);
  return { map, readBack };
}

describe('flights ends kept while placing writes them', () => {
  it('are lengths from the first flight on when they take few, as keepEndsAsLengths would keep them', () => {
    const starts = Array.from({ length: 1000 }, (_, k) => k * 7.25);
    const ends = starts.map((s, k) => s + (k % 3 === 0 ? 110 : 150));
    const { map, readBack } = placed(starts, ends, 2);
    const after = mapOf(starts, ends);
    keepEndsAsLengths(after);
    expect(map.flightEnd).toBeNull();
    expect(Array.from(map.flightLengthOf!)).toEqual(Array.from(after.flightLengthOf!));
    expect(Array.from(map.flightLengthIds!)).toEqual(Array.from(after.flightLengthIds!));
    expect(endsOf(map)).toEqual(ends);
    expect(readBack).toEqual(ends.slice(0, -1));
  });

  it('turn into ends at the 256th length or at one that does not come back exactly, every end kept', () => {
    const starts = Array.from({ length: 300 }, (_, k) => k);
    const manyEnds = starts.map((s, k) => s + (k % 256) + 1);
    const many = placed(starts, manyEnds);
    expect(many.map.flightEnd).not.toBeNull();
    expect(endsOf(many.map)).toEqual(manyEnds);
    expect(many.readBack).toEqual(manyEnds.slice(0, -1));
    const inexact = placed([0, 1.1, 2], [110, 7.7, 112]);
    expect(inexact.map.flightEnd).not.toBeNull();
    expect(endsOf(inexact.map)).toEqual([110, 7.7, 112]);
    expect(inexact.readBack).toEqual([110, 7.7]);
  });

  it('start a round afresh: lengths a round turned into ends are lengths again when the next round needs few', () => {
    const starts = [0, 10, 20];
    const kept = new FlightEnds(3, (k) => starts[k]!);
    kept.restart();
    [0, 1.1, 2].forEach((s, k) => kept.set(k, s, [110, 7.7, 112][k]!));
    kept.restart();
    starts.forEach((s, k) => kept.set(k, s, s + 150));
    const map = mapOf(starts, [150, 160, 170]);
    kept.writeTo(map);
    expect(map.flightEnd).toBeNull();
    expect(Array.from(map.flightLengthOf!)).toEqual([150]);
    expect(endsOf(map)).toEqual([150, 160, 170]);
  });
});
