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
