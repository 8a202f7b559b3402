/**
 * The steps' `seq`s (step i's event), kept compact: steps go in show order, and show order keeps
 * close to `seq` order (a packet plays at most a little behind its conversation, pace.ts), so the
 * seqs of 64 steps in a row lie close together. Each block of 64 keeps its smallest seq, and each
 * step its distance from it in 16 bits — 2 bytes a step instead of 4 (the 10-minute load's
 * 4.8 million steps: 9.6 MB instead of 19.2). A list whose steps lie further apart in some block
 * is kept as it is.
 */
import { release } from '../sim/index.ts';

const BLOCK_BITS = 6;

export class StepSeqs {
  readonly length: number;
  /** The list as given, when it does not fit in blocks; else null. */
  private readonly wide: Int32Array | null;
  /** Each block's smallest seq, and each step's distance from it. */
  private readonly base: Int32Array;
  private readonly offset: Uint16Array;

  /** `seqs` compacted; `seqs` itself is given back (traceColumns.ts release) when it is not kept. */
  constructor(seqs: Int32Array) {
    this.length = seqs.length;
    const blocks = (seqs.length + (1 << BLOCK_BITS) - 1) >> BLOCK_BITS;
    const base = new Int32Array(blocks).fill(0x7fffffff);
    for (let i = 0; i < seqs.length; i++) if (seqs[i]! < base[i >> BLOCK_BITS]!) base[i >> BLOCK_BITS] = seqs[i]!;
    let fits = true;
    for (let i = 0; i < seqs.length && fits; i++) fits = seqs[i]! - base[i >> BLOCK_BITS]! <= 0xffff;
    if (!fits) {
      this.wide = seqs;
      this.base = new Int32Array(0);
      this.offset = new Uint16Array(0);
      return;
    }
    this.wide = null;
    this.base = base;
    this.offset = new Uint16Array(seqs.length);
    for (let i = 0; i < seqs.length; i++) this.offset[i] = seqs[i]! - base[i >> BLOCK_BITS]!;
    release(seqs);
  }

  /** Step i's seq. */
  at(i: number): number {
    return this.wide ? this.wide[i]! : this.base[i >> BLOCK_BITS]! + this.offset[i]!;
  }

  /** Whether the list is kept in blocks (for tests). */
  get compact(): boolean {
    return this.wide === null;
  }
}
