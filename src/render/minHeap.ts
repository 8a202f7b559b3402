/** The binary min-heap linkRoute.ts searches its grid with. */

/** A binary min-heap of keys by cost. */
export class Heap {
  private keys: number[] = [];
  private costs: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, cost: number): void {
    const k = this.keys;
    const c = this.costs;
    let i = k.length;
    k.push(key);
    c.push(cost);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (c[p]! <= cost) break;
      k[i] = k[p]!;
      c[i] = c[p]!;
      i = p;
    }
    k[i] = key;
    c[i] = cost;
  }
  /** The cost of the key popped last. */
  popped = 0;
  /** Takes the key of least cost out (its cost in {@link popped}). */
  pop(): number {
    const k = this.keys;
    const c = this.costs;
    const top = k[0]!;
    this.popped = c[0]!;
    const lastK = k.pop()!;
    const lastC = c.pop()!;
    if (k.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k.length) break;
        const r = l + 1;
        const m = r < k.length && c[r]! < c[l]! ? r : l;
        if (c[m]! >= lastC) break;
        k[i] = k[m]!;
        c[i] = c[m]!;
        i = m;
      }
      k[i] = lastK;
      c[i] = lastC;
    }
    return top;
  }
}
