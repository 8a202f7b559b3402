/**
 * Values kept per pod by something that meets few pods, most of one service: a list indexed by
 * the pod's number in the run ({@link Pod.index}) less the lowest number it holds, grown at either
 * end as pods come. A service's pods have consecutive numbers, so a client proxy's list for the
 * pods it sends to is about as long as their service has pods: a load and a store where a table
 * by pod name hashes the name (600 such tables at 30 replicas per service, read on every request).
 */
import type { Pod } from './types.ts';

export class PodList<T> {
  private readonly values: (T | undefined)[] = [];
  /** The pod number held at `values[0]`. */
  private base = 0;

  /** The value held for `pod`, if any. */
  get(pod: Pod): T | undefined {
    const i = pod.index - this.base;
    return i >= 0 && i < this.values.length ? this.values[i] : undefined;
  }

  set(pod: Pod, value: T): void {
    const values = this.values;
    if (values.length === 0) this.base = pod.index;
    let i = pod.index - this.base;
    if (i < 0) {
      values.unshift(...new Array<undefined>(-i).fill(undefined));
      this.base = pod.index;
      i = 0;
    }
    while (values.length <= i) values.push(undefined);
    values[i] = value;
  }
}
