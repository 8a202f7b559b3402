/**
 * Flights' ends as placing writes them (placement.ts), kept from the first as a show map keeps them:
 * an index per flight into the distinct lengths (end − start), while
 * there are at most 255 and each start plus its length gives its end back exactly; past that, as
 * ends. The 10-minute load's 3.6 million flights take two lengths (110 and 150 ms): 3.6 MB while
 * its show map is made, where ends written first and turned into lengths at the end took 28.8 MB
 * more at the moment the page's renderer peaks (the show map's worker, src/player/runner.ts).
 */
import { release } from '../sim/index.ts';
import type { ShowMap } from './showTime.ts';

export class FlightEnds {
  /** Per flight, its length's index into {@link lengths} (while {@link ends} is null). */
  private ids: Uint8Array;
  private readonly index = new Map<number, number>();
  private lengths: number[] = [];
  /** The ends themselves, once lengths would not do (a 256th length, or one that does not add up). */
  private ends: Float64Array | null = null;
  // The last length seen and its index: consecutive flights mostly share one.
  private lastLength = NaN;
  private lastId = 0;

  /** `count` flights; `startOf(k)`: flight k's start, once placed (its event's show time). */
  constructor(
    private readonly count: number,
    private readonly startOf: (k: number) => number,
  ) {
    this.ids = new Uint8Array(count);
  }

  /** A new round of placing: every flight will be set again, in order. */
  restart(): void {
    if (this.ends) {
      release(this.ends);
      this.ends = null;
      this.ids = new Uint8Array(this.count);
    }
    this.index.clear();
    this.lengths = [];
    this.lastLength = NaN;
  }

  /** Flight k (every flight before it set in this round) starts at `start` and ends at `end`. */
  set(k: number, start: number, end: number): void {
    if (this.ends) {
      this.ends[k] = end;
      return;
    }
    const length = end - start;
    let id = this.lastId;
    if (length !== this.lastLength) {
      const known = this.index.get(length);
      if (known !== undefined) id = known;
      else if (this.lengths.length === 255) return this.keepEnds(k, end);
      else {
        id = this.lengths.length;
        this.index.set(length, id);
        this.lengths.push(length);
      }
      this.lastLength = length;
      this.lastId = id;
    }
    // Not exactly its end again (rounding), or a length Object.is tells apart from the one kept (-0): ends from here on.
    if (!Object.is(start + this.lengths[id]!, end)) return this.keepEnds(k, end);
    this.ids[k] = id;
  }

  /** Whether the ends set so far are kept as lengths (not yet as ends). */
  get asLengths(): boolean {
    return this.ends === null;
  }

  /** Flight k's end (set in this round), given its start. */
  get(k: number, start: number): number {
    return this.ends ? this.ends[k]! : start + this.lengths[this.ids[k]!]!;
  }

  /** Ends from flight k on: the flights before it get theirs from their lengths. */
  private keepEnds(k: number, end: number): void {
    const ends = new Float64Array(this.count);
    for (let j = 0; j < k; j++) ends[j] = this.startOf(j) + this.lengths[this.ids[j]!]!;
    ends[k] = end;
    release(this.ids);
    this.ids = new Uint8Array(0);
    this.ends = ends;
  }

  /** Writes the ends into `map`, as lengths or as ends. */
  writeTo(map: ShowMap): void {
    if (this.ends) {
      map.flightEnd = this.ends;
      map.flightLengthIds = map.flightLengthOf = null;
    } else {
      map.flightEnd = null;
      map.flightLengthIds = this.ids;
      map.flightLengthOf = Float64Array.from(this.lengths);
    }
  }
}

/**
 * Keeps a made map's flights' ends as lengths (a shipped map's, builtShow.ts), as {@link FlightEnds}
 * keeps a map's while it is placed; leaves them as they are when lengths would not hold them.
 */
export function keepEndsAsLengths(map: ShowMap): void {
  const ends = map.flightEnd;
  if (!ends) return;
  const startOf = (k: number): number => map.eventShow[map.flightSeqs[k]!]!;
  const kept = new FlightEnds(ends.length, startOf);
  for (let k = 0; k < ends.length; k++) {
    kept.set(k, startOf(k), ends[k]!);
    if (!kept.asLengths) return;
  }
  kept.writeTo(map);
}
