/**
 * Numbers pairs of non-negative integers densely, in the order they are first asked for: show
 * time's (conversation, node) and (instant, node) slots (pace.ts). The heads are dense small
 * numbers (conversation and instant indexes) and each has few nodes (a request passes a handful;
 * an instant's events sit at a few nodes), so each head keeps a short list of its pairs in typed
 * arrays: a lookup walks a few entries made moments before, with no object or boxed key per pair
 * (a long run asks millions of times; an open-addressing table over all pairs missed the cache
 * on most lookups).
 */
import { release } from '../sim/index.ts';

/** Per head, a short list of its pairs in typed arrays: what {@link PairTable} and {@link SlotTable} share. */
abstract class HeadLists {
  /** Per head: its first entry (-1: none yet). */
  protected first: Int32Array;
  /** Per entry (= its pair's number): its node, and the head's next entry (-1: last). */
  protected nodes: Int32Array;
  protected next: Int32Array;

  constructor(heads: number, expected: number) {
    this.first = new Int32Array(Math.max(16, heads)).fill(-1);
    this.nodes = new Int32Array(Math.max(16, expected));
    this.next = new Int32Array(Math.max(16, expected));
  }

  /** The number of the pair (head, node), or -1 when it has none. */
  protected find(head: number, node: number): number {
    if (head >= this.first.length) this.first = grown(this.first, head + 1, -1);
    for (let at = this.first[head]!; at !== -1; at = this.next[at]!) if (this.nodes[at] === node) return at;
    return -1;
  }

  /** Gives the lists' memory back now (release): the table is not asked again. */
  dispose(): void {
    for (const a of [this.first, this.nodes, this.next]) release(a);
  }

  /** Gives the pair (head, node) the number `id`, first in its head's list. */
  protected add(head: number, node: number, id: number): void {
    if (id >= this.nodes.length) {
      this.nodes = grown(this.nodes, id + 1, 0);
      this.next = grown(this.next, id + 1, 0);
    }
    this.nodes[id] = node;
    this.next[id] = this.first[head]!;
    this.first[head] = id;
  }
}

export class PairTable extends HeadLists {
  size = 0;

  /** `heads`: about how many heads there are; `expected`: about how many pairs (both grow as needed). */
  constructor(heads: number, expected: number) {
    super(heads, expected);
  }

  /** The pair's number: the one it got when first asked for, else the next. */
  slot(head: number, node: number): number {
    const at = this.find(head, node);
    if (at !== -1) return at;
    const id = this.size++;
    this.add(head, node, id);
    return id;
  }
}

/** `a` copied into an array at least twice as long and at least `size`, the rest filled with `fill`. */
function grown(a: Int32Array, size: number, fill: number): Int32Array {
  const b = new Int32Array(Math.max(size, a.length * 2)).fill(fill);
  b.set(a);
  return b;
}

/**
 * A {@link PairTable} whose heads end: once a head's last pair has been asked for, {@link release}
 * gives its numbers back, and the next new pairs take them. Show time's slots (placement.ts) are
 * numbered so: a request's conversation ends with the request and an instant once the walk is past
 * it, so only the pairs alive at once need a number (the 10-minute run's 2.4 and 4.75 million pairs
 * were numbered apart, and placing kept 86 MB of scratch for them).
 */
export class SlotTable extends HeadLists {
  /** The highest number given, plus one: how many slots the pairs alive at once took. */
  size = 0;
  /** The first released number (-1: none), the rest chained through `next`. */
  private free = -1;

  constructor(heads: number) {
    super(heads, 64);
  }

  /**
   * The pair's number while its head lives; for a pair asked for the first time, `-number - 1`:
   * the number may have been another pair's, whose values its user resets there.
   */
  slot(head: number, node: number): number {
    const at = this.find(head, node);
    if (at !== -1) return at;
    let id = this.free;
    if (id !== -1) this.free = this.next[id]!;
    else id = this.size++;
    this.add(head, node, id);
    return -id - 1;
  }

  /** Gives back the numbers of `head`'s pairs: it asks for none again. */
  release(head: number): void {
    const start = head < this.first.length ? this.first[head]! : -1;
    if (start === -1) return;
    let last = start;
    while (this.next[last] !== -1) last = this.next[last]!;
    this.next[last] = this.free;
    this.free = start;
    this.first[head] = -1;
  }
}
