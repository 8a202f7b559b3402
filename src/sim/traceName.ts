/**
 * A string that many events name — a pod's app node, a proxy's node, a flight's kind — kept with
 * its id in the store that last asked for it, so a run looks it up in the store's table once
 * rather than once an event. Ask for the ids in the order the store would intern the strings (a
 * flight: from, to, kind), so the tables come out the same.
 *
 * Keep one only on what lives for one run (its pods, proxies, world): it holds on to the store.
 */
import type { TraceTables } from './traceTables.ts';

export class TraceName {
  private store: TraceTables | undefined = undefined;
  private id = 0;

  constructor(readonly text: string) {}

  /** The string's id in `store`, interned there the first time. */
  idIn(store: TraceTables): number {
    if (store !== this.store) {
      this.id = store.str(this.text);
      this.store = store;
    }
    return this.id;
  }
}

/**
 * A string only this object brings to a store (nothing else interns the same text there): the
 * words of one least-request draw, say, which at 30 replicas per service are mostly new to the
 * run. The first store it meets gets it appended to its table ({@link TraceTables.strUnique}),
 * kept out of the interning maps — a miss in both maps and a new entry cost ~13 % of a 30-replica
 * run when every draw went through {@link TraceTables.strRare}. Any other store interns it as usual.
 *
 * Keep one only on what lives for one run, and let nothing else record its text.
 */
export class UniqueText {
  private store: TraceTables | undefined = undefined;
  private id = 0;

  constructor(readonly text: string) {}

  /** The string's id in `store`: appended there the first time if it is the first store. */
  idIn(store: TraceTables): number {
    if (store === this.store) return this.id;
    if (this.store !== undefined) return store.strRare(this.text);
    this.store = store;
    return (this.id = store.strUnique(this.text));
  }
}
