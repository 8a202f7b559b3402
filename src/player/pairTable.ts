/**
 * Numbers pairs of non-negative integers densely, in the order they are first asked for: show
 * time's (conversation, node) and (instant, node) slots (pace.ts), a fold's event shapes
 * (folds.ts). An open-addressing hash table over typed arrays: a lookup is a hash and a probe or
 * two, with no object or boxed key per pair (a long run asks millions of times).
 */

/** A (head, node) pair's hash: multiplied, and the high bits folded down into the low ones a table indexes by. */
function hashOf(head: number, node: number): number {
  const h = Math.imul(head, 0x9e3779b1) + Math.imul(node + 1, 0x85ebca77);
  return h ^ (h >>> 15);
}

/** Pair → dense number, from 0 in order of first appearance. */
export class PairTable {
  size = 0;
  /** Per table entry: its head (-1: empty), its node, its slot. */
  private heads: Int32Array;
  private nodes: Int32Array;
  private ids: Int32Array;
  private mask: number;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.heads = new Int32Array(capacity).fill(-1);
    this.nodes = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The pair's number: the one it got when first asked for, else the next. */
  slot(head: number, node: number): number {
    const heads = this.heads;
    const mask = this.mask;
    let at = hashOf(head, node) & mask;
    for (;;) {
      const h = heads[at]!;
      if (h === -1) break;
      if (h === head && this.nodes[at] === node) return this.ids[at]!;
      at = (at + 1) & mask;
    }
    const id = this.size++;
    heads[at] = head;
    this.nodes[at] = node;
    this.ids[at] = id;
    if (this.size * 2 > mask) this.grow();
    return id;
  }

  /** Doubles the table (at half full), placing every entry again. */
  private grow(): void {
    const { heads, nodes, ids } = this;
    const capacity = heads.length * 2;
    this.heads = new Int32Array(capacity).fill(-1);
    this.nodes = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let k = 0; k < heads.length; k++) {
      const head = heads[k]!;
      if (head === -1) continue;
      let at = hashOf(head, nodes[k]!) & this.mask;
      while (this.heads[at] !== -1) at = (at + 1) & this.mask;
      this.heads[at] = head;
      this.nodes[at] = nodes[k]!;
      this.ids[at] = ids[k]!;
    }
  }
}
