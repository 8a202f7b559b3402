/**
 * A read-only array whose elements are made when an index is read (`make(i)`), not kept: what
 * `trace.events` (src/sim/eventList.ts) and a run report's `requests` (src/mesh/requestTable.ts)
 * are, over their columns.
 *
 * It reads like an array: `list[i]`, `length`, `for…of`, spread, the array methods (`filter`,
 * `map`, `slice`, …), `Array.isArray`, `JSON.stringify`, `Object.keys`. Writes are refused (a
 * TypeError in strict code), and each read makes a fresh element, so `list[i] === list[i]` is
 * false: compare elements by their fields. It cannot be structured-cloned (postMessage): send
 * the columns instead.
 */

/** `key` as an array index (a canonical non-negative integer string), else -1. */
function indexOf(key: string | symbol): number {
  if (typeof key !== 'string') return -1;
  const n = key.length;
  if (n === 0 || n > 10) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = key.charCodeAt(k) - 48;
    if (c < 0 || c > 9 || (c === 0 && k === 0 && n > 1)) return -1;
    v = v * 10 + c;
  }
  return v <= 0xfffffffe ? v : -1;
}

/** A read-only list of `length` elements, element i made by `make(i)` on each read. */
export function lazyList<T>(length: number, make: (i: number) => T): T[] {
  const n = length;
  // The target has the list's length (a Proxy of an array reports its target's `length`
  // descriptor) but no slots: `length = n` on a plain empty array allocates all n of them (8 bytes
  // each: ~2 MB for a 10 s, 30-replica run's trace events, kept as long as the list). A property
  // with attributes of its own first turns its elements into a dictionary, which a length costs nothing.
  const target: T[] = [];
  Object.defineProperty(target, 0, { value: undefined, configurable: true });
  delete target[0];
  target.length = n;
  function* values(): Generator<T, undefined, undefined> {
    for (let i = 0; i < n; i++) yield make(i);
    return undefined;
  }
  return new Proxy(target, {
    get(t, key, receiver) {
      if (key === 'length') return n;
      if (key === Symbol.iterator || key === 'values') return values;
      const i = indexOf(key);
      if (i >= 0) return i < n ? make(i) : undefined;
      return Reflect.get(t, key, receiver) as unknown;
    },
    has(t, key) {
      const i = indexOf(key);
      return i >= 0 ? i < n : Reflect.has(t, key);
    },
    ownKeys(t) {
      const keys: (string | symbol)[] = [];
      for (let i = 0; i < n; i++) keys.push(String(i));
      return keys.concat(Reflect.ownKeys(t));
    },
    getOwnPropertyDescriptor(t, key) {
      const i = indexOf(key);
      if (i >= 0) return i < n ? { value: make(i), writable: false, enumerable: true, configurable: true } : undefined;
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}
