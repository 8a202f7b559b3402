/**
 * The trace store's recording side (src/sim/traceStore.ts): events are written into a wide chunk
 * (Float64 times, Int32 ids); each time it is full its columns are narrowed into parts
 * (src/sim/traceColumns.ts) and it is written again. {@link Chunks.join} joins the parts into the
 * columns readers use, each at the widest width any of its parts needed.
 */
import { NONE } from './traceViews.ts';
import { type Column, EMPTY_COLUMN, joined, narrowed, release, widthNeededFloat, widthNeededInt } from './traceColumns.ts';

export const INT_COLUMNS = ['node', 'req', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'obj'] as const;
export type IntColumn = (typeof INT_COLUMNS)[number];
/** Every number column, in the order {@link PackedTraceStore} and the parts list them. */
export const COLUMNS = ['t', 'x', ...INT_COLUMNS] as const;
export type ColumnName = (typeof COLUMNS)[number];

/** Events per chunk while recording, at most. */
const MAX_CHUNK = 65_536;

/** The columns being written, wide (Float64 times, Int32 ids); narrowed into parts when full. */
export type Chunk = { used: number; t: Float64Array; x: Float64Array; type: Uint8Array } & Record<IntColumn, Int32Array>;

function newChunk(size: number): Chunk {
  const chunk = { used: 0, t: new Float64Array(size), x: new Float64Array(size), type: new Uint8Array(size) } as Chunk;
  for (const k of INT_COLUMNS) chunk[k] = new Int32Array(size).fill(NONE);
  return chunk;
}

/** The chunk being written and the parts narrowed so far. One per store, until it is sealed. */
export class Chunks {
  /** Chunk being written and the position of the last event opened in it (fields: no allocation per event). */
  w: Chunk | undefined;
  j = 0;
  private parts: Column[][] = COLUMNS.map(() => []);
  private typeParts: Uint8Array[] = [];
  private widths: number[] = COLUMNS.map(() => 0);

  constructor(private readonly capacity: number) {}

  /**
   * Makes room for the next event: afterwards `w`/`j` name its slot, every int column there
   * {@link NONE} and `x` 0. Returns the chunk.
   */
  open(t: number, type: number): Chunk {
    const w = this.room();
    // Every int column of a free slot already holds NONE and `x` 0 (set when the chunk was made or
    // last narrowed): an event writes only what it has.
    const j = w.used++;
    this.j = j;
    w.t[j] = t;
    w.type[j] = type;
    return w;
  }

  /** Writes rows `start`…`end` (exclusive) of sealed columns `from` after the events written: a typed-array copy per column and chunk. */
  copyRows(from: { type: Uint8Array } & Record<ColumnName, Column>, start: number, end: number): void {
    for (let i = start; i < end;) {
      const w = this.room();
      const j = w.used;
      const k = Math.min(end - i, w.t.length - j);
      w.used += k;
      w.type.set(from.type.subarray(i, i + k), j);
      for (const c of COLUMNS) w[c].set(from[c].subarray(i, i + k), j);
      i += k;
    }
  }

  /** The chunk to write, with at least one free slot. */
  private room(): Chunk {
    let w = this.w;
    if (!w || w.used === w.t.length) {
      if (w) this.narrow(w);
      // Chunks grow from the first capacity to 65,536 events, so a short run stays small; then the
      // one chunk is written again and again.
      const size = Math.min(MAX_CHUNK, Math.max(16, w ? w.t.length * 2 : this.capacity));
      if (w && size === w.t.length) w.used = 0;
      else this.w = w = newChunk(size);
    }
    return w;
  }

  /** Moves the chunk's events into parts, each column as narrow as its values allow; the chunk may then be written again. */
  private narrow(w: Chunk): void {
    const n = w.used;
    this.typeParts.push(w.type.slice(0, n));
    COLUMNS.forEach((name, k) => {
      const col = w[name];
      const width = col instanceof Float64Array ? widthNeededFloat(col, n) : widthNeededInt(col, n);
      const part = narrowed(col, n, width);
      // Kept as it is (already that wide, and full): the chunk gets a new array to write.
      if (part === col)
        (w as unknown as Record<ColumnName, Column>)[name] = col instanceof Float64Array ? new Float64Array(col.length) : new Int32Array(col.length).fill(NONE);
      // Else cleared for the chunk's next events (t and type are always written).
      else if (name === 'x') col.fill(0, 0, n);
      else if (name !== 't') col.fill(NONE, 0, n);
      this.parts[k]!.push(part);
      if (width > this.widths[k]!) this.widths[k] = width;
    });
    w.used = 0;
  }

  /** The `length` events written, joined into one type array and one column each (the chunks are spent). */
  join(length: number): { type: Uint8Array; columns: Record<ColumnName, Column> } {
    if (this.w) this.narrow(this.w);
    this.w = undefined;
    const typeParts = this.typeParts;
    this.typeParts = [];
    const type = new Uint8Array(length);
    let at = 0;
    for (const part of typeParts) {
      type.set(part, at);
      at += part.length;
      release(part);
    }
    // Column by column, each part released once copied: the peak is one column over the parts.
    const columns = {} as Record<ColumnName, Column>;
    COLUMNS.forEach((name, k) => {
      const parts = this.parts[k]!;
      columns[name] = joined(this.widths[k]!, parts, (m) => {
        release(parts[m]!);
        parts[m] = EMPTY_COLUMN;
      });
      this.parts[k] = [];
    });
    return { type, columns };
  }
}
