/**
 * The trace's events stored by column: times in a Float64Array, the event type in a Uint8Array,
 * nodes, ids, labels, summaries and causes as numbers (interned strings and objects) in Int32Arrays.
 * A run of 60,000 requests records about half a million events; as objects they cost ~180 bytes
 * each, here ~57 (plus what they carry only once: the distinct strings and causes).
 *
 * Readers keep the object API: {@link TraceStore.views} gives one small read-only view per event
 * (its fields are getters over the columns; `JSON.stringify` writes it as the plain event), so
 * `trace.events` is still an array of `TraceEvent`s. A store crosses to another thread as a few
 * ArrayBuffers ({@link TraceStore.pack}, transferred) instead of a structured clone of every event.
 */
import type { NewTraceEvent, Trace, TraceEvent } from './trace.ts';
import { DECISION, FLIGHT, NARRATION, NONE, REQUEST_END, REQUEST_START, TRANSITION, plainOf, storeOfEvent, viewOf } from './traceViews.ts';

/** A flight id or request id written as a string (not `f-N` / `req-NNNNNN`): -(string id) - 2. */
const asString = (sid: number): number => -sid - 2;

const INT_COLUMNS = ['node', 'req', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'obj'] as const;
type IntColumn = (typeof INT_COLUMNS)[number];

/** A store as it crosses to another thread: its columns' buffers (transferable) and its tables. */
export interface PackedTraceStore {
  length: number;
  t: ArrayBuffer;
  x: ArrayBuffer;
  type: ArrayBuffer;
  ints: Record<IntColumn, ArrayBuffer>;
  strings: string[];
  objects: unknown[];
}

/** Appends events into columns; reads them back as views or plain objects. One per run. */
export class TraceStore {
  length = 0;
  private capacity: number;
  t: Float64Array;
  /** A flight's arrival time; a request end's latency. */
  x: Float64Array;
  type: Uint8Array;
  node: Int32Array;
  req: Int32Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  d: Int32Array;
  e: Int32Array;
  f: Int32Array;
  g: Int32Array;
  obj: Int32Array;
  strings: string[] = [];
  objects: unknown[] = [];
  private stringIds: Map<string, number> | undefined = new Map();
  private objectIds: Map<unknown, number> | undefined = new Map();

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.t = new Float64Array(capacity);
    this.x = new Float64Array(capacity);
    this.type = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.req = new Int32Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.c = new Int32Array(capacity);
    this.d = new Int32Array(capacity);
    this.e = new Int32Array(capacity);
    this.f = new Int32Array(capacity);
    this.g = new Int32Array(capacity);
    this.obj = new Int32Array(capacity);
  }

  /** The id of `s` in the string table (added on first use). */
  str(s: string): number {
    const ids = this.tables().strings;
    let id = ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      ids.set(s, id);
    }
    return id;
  }

  private optStr(s: string | null | undefined): number {
    return s === undefined || s === null ? NONE : this.str(s);
  }

  /** A cause is interned by identity (most are one object per rule); other objects are kept as they are. */
  private object(o: unknown, intern: boolean): number {
    if (o === undefined) return NONE;
    if (!intern) {
      this.objects.push(o);
      return this.objects.length - 1;
    }
    const ids = this.tables().objects;
    let id = ids.get(o);
    if (id === undefined) {
      id = this.objects.length;
      this.objects.push(o);
      ids.set(o, id);
    }
    return id;
  }

  private tables(): { strings: Map<string, number>; objects: Map<unknown, number> } {
    if (!this.stringIds || !this.objectIds) {
      // A store read back from another thread: rebuild the interning maps to append again.
      this.stringIds = new Map(this.strings.map((s, i) => [s, i]));
      this.objectIds = new Map(this.objects.map((o, i) => [o, i]));
    }
    return { strings: this.stringIds, objects: this.objectIds };
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const f64 = (a: Float64Array): Float64Array => {
      const n = new Float64Array(cap);
      n.set(a);
      return n;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const n = new Int32Array(cap);
      n.set(a);
      return n;
    };
    this.t = f64(this.t);
    this.x = f64(this.x);
    const type = new Uint8Array(cap);
    type.set(this.type);
    this.type = type;
    for (const k of INT_COLUMNS) this[k] = i32(this[k]);
    this.capacity = cap;
  }

  /** Appends `e`; returns its index (its `seq`). The object itself is not kept. */
  push(e: NewTraceEvent | TraceEvent): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.t[i] = e.t;
    this.x[i] = 0;
    this.node[i] = NONE;
    this.req[i] = NONE;
    this.a[i] = NONE;
    this.b[i] = NONE;
    this.c[i] = NONE;
    this.d[i] = NONE;
    this.e[i] = NONE;
    this.f[i] = NONE;
    this.g[i] = NONE;
    this.obj[i] = NONE;
    switch (e.type) {
      case 'flight': {
        this.type[i] = FLIGHT;
        this.node[i] = this.str(e.from);
        this.a[i] = this.str(e.to);
        const n = numbered(e.id, 'f-', 0);
        this.b[i] = n ?? asString(this.str(e.id));
        this.c[i] = this.str(e.kind);
        this.d[i] = this.str(e.label);
        this.req[i] = this.requestId(e.requestId);
        if (e.status !== undefined) this.e[i] = e.status;
        if (e.attempt !== undefined) this.f[i] = e.attempt;
        if (e.mtls !== undefined) this.g[i] = e.mtls ? 1 : 0;
        this.x[i] = e.arriveMs;
        // departMs is the flight's time in every recorded flight; kept apart when it is not.
        if (e.departMs !== e.t) this.obj[i] = this.object({ departMs: e.departMs, detail: e.detail }, false);
        else if (e.detail !== undefined) this.obj[i] = this.object({ detail: e.detail }, false);
        break;
      }
      case 'transition':
        this.type[i] = TRANSITION;
        this.node[i] = this.str(e.node);
        this.a[i] = this.str(e.entity);
        this.b[i] = this.optStr(e.peer);
        this.c[i] = this.str(e.machine);
        this.d[i] = this.optStr(e.from);
        this.e[i] = this.str(e.to);
        this.f[i] = this.str(e.cause);
        break;
      case 'decision':
        this.type[i] = DECISION;
        this.node[i] = this.str(e.node);
        this.a[i] = this.str(e.layer);
        this.c[i] = this.str(e.kind);
        this.d[i] = this.str(e.summary);
        this.e[i] = this.object(e.cause, true);
        if (e.attempt !== undefined) this.f[i] = e.attempt;
        this.req[i] = this.requestId(e.requestId);
        this.obj[i] = this.object(e.data, false);
        break;
      case 'request':
        if (e.phase === 'start') {
          this.type[i] = REQUEST_START;
          this.node[i] = this.str(e.node);
          this.req[i] = this.requestId(e.requestId);
          this.a[i] = this.str(e.from);
          this.b[i] = this.str(e.to);
          this.c[i] = this.str(e.method);
          this.d[i] = this.str(e.path);
          this.e[i] = e.bodyBytes;
          this.f[i] = this.optStr(e.connection);
          // Most requests carry no headers: an empty object is written back fresh, not kept.
          if (Object.keys(e.headers).length > 0) this.obj[i] = this.object(e.headers, false);
        } else {
          this.type[i] = REQUEST_END;
          this.node[i] = this.str(e.node);
          this.req[i] = this.requestId(e.requestId);
          this.e[i] = e.status;
          this.f[i] = e.attempts;
          this.x[i] = e.latencyMs;
          this.g[i] = e.mtls ? 1 : 0;
          this.a[i] = this.optStr(e.reason);
        }
        break;
      case 'narration':
        this.type[i] = NARRATION;
        this.a[i] = this.str(e.text);
        this.node[i] = this.optStr(e.node);
        break;
    }
    return i;
  }

  private requestId(id: string | undefined): number {
    if (id === undefined) return NONE;
    return numbered(id, 'req-', 6) ?? asString(this.str(id));
  }

  /** An empty store that shares this one's string and object tables, so {@link copy} moves rows as they are. */
  sharingTables(capacity = this.length): TraceStore {
    const s = new TraceStore(Math.max(16, capacity));
    s.strings = this.strings;
    s.objects = this.objects;
    const tables = this.tables();
    s.stringIds = tables.strings;
    s.objectIds = tables.objects;
    return s;
  }

  /** Copies event `i` of `from` to the end of this store; returns its new index. */
  copy(from: TraceStore, i: number): number {
    if (from.strings !== this.strings || from.objects !== this.objects) return this.push(from.plain(i));
    if (this.length === this.capacity) this.grow();
    const j = this.length++;
    this.t[j] = from.t[i]!;
    this.x[j] = from.x[i]!;
    this.type[j] = from.type[i]!;
    for (const k of INT_COLUMNS) this[k][j] = from[k][i]!;
    return j;
  }

  /** The event at `i` as a plain object, as it was recorded (absent fields left out). */
  plain(i: number): TraceEvent {
    return plainOf(this, i);
  }

  flightId(i: number): string {
    const n = this.b[i]!;
    return n >= 0 ? `f-${n}` : this.strings[-n - 2]!;
  }

  requestIdAt(i: number): string | undefined {
    const n = this.req[i]!;
    if (n === NONE) return undefined;
    return n >= 0 ? `req-${String(n).padStart(6, '0')}` : this.strings[-n - 2]!;
  }

  /** One read-only view per event, in order: the `trace.events` array. */
  views(): TraceEvent[] {
    const out = new Array<TraceEvent>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.view(i);
    return out;
  }

  /** A read-only view of event `i`: its fields read the columns. */
  view(i: number): TraceEvent {
    return viewOf(this, i);
  }

  /** Shrinks the columns to the events recorded and drops the interning maps: the run is over. */
  seal(): this {
    const n = this.length;
    this.t = this.t.slice(0, n);
    this.x = this.x.slice(0, n);
    this.type = this.type.slice(0, n);
    for (const k of INT_COLUMNS) this[k] = this[k].slice(0, n);
    this.capacity = n;
    this.stringIds = undefined;
    this.objectIds = undefined;
    return this;
  }

  /** The store as plain data and buffers (list them in `transfer`): the store is unusable afterwards if they are transferred. */
  pack(): { packed: PackedTraceStore; transfer: ArrayBuffer[] } {
    this.seal();
    const ints = {} as Record<IntColumn, ArrayBuffer>;
    for (const k of INT_COLUMNS) ints[k] = this[k].buffer as ArrayBuffer;
    const packed: PackedTraceStore = {
      length: this.length,
      t: this.t.buffer as ArrayBuffer,
      x: this.x.buffer as ArrayBuffer,
      type: this.type.buffer as ArrayBuffer,
      ints,
      strings: this.strings,
      objects: this.objects,
    };
    return { packed, transfer: [packed.t, packed.x, packed.type, ...Object.values(ints)] };
  }

  /** A store from {@link pack}'s data. */
  static unpack(p: PackedTraceStore): TraceStore {
    const s = new TraceStore(0);
    s.length = p.length;
    s.capacity = p.length;
    s.t = new Float64Array(p.t);
    s.x = new Float64Array(p.x);
    s.type = new Uint8Array(p.type);
    for (const k of INT_COLUMNS) s[k] = new Int32Array(p.ints[k]);
    // Assigned, not spread: a long run's tables hold more entries than a call takes arguments.
    s.strings = p.strings;
    s.objects = p.objects;
    s.stringIds = undefined;
    s.objectIds = undefined;
    return s;
  }

  /** A store holding `events` (plain objects, or views of another store), in order. */
  static of(events: readonly TraceEvent[]): TraceStore {
    const s = new TraceStore(Math.max(16, events.length));
    for (const e of events) s.push(e);
    return s.seal();
  }
}

/** `prefix` + a number written with at least `digits` digits (no sign, no extra zeros): the number; else undefined. */
function numbered(id: string, prefix: string, digits: number): number | undefined {
  if (!id.startsWith(prefix)) return undefined;
  const text = id.slice(prefix.length);
  if (!/^\d+$/.test(text) || text.length > 9) return undefined;
  const n = Number(text);
  return String(n).padStart(digits, '0') === text ? n : undefined;
}

/** A trace as it crosses to another thread: everything but the events, and the events' store packed. */
export type PackedTrace = Omit<Trace, 'events'> & { packedEvents: PackedTraceStore };

/**
 * `trace` ready for `postMessage(…, transfer)`: its events travel as the store's buffers. The
 * trace's own events are unusable afterwards when the buffers are transferred.
 */
export function packTrace(trace: Trace): { packed: PackedTrace; transfer: ArrayBuffer[] } {
  const behind = storeOfEvent(trace.events[0]);
  const store = behind && behind.length === trace.events.length ? behind : TraceStore.of(trace.events);
  const { packed, transfer } = store.pack();
  const { events: _, ...rest } = trace;
  return { packed: { ...rest, packedEvents: packed }, transfer };
}

/** The trace {@link packTrace} sent. */
export function unpackTrace(p: PackedTrace): Trace {
  const { packedEvents, ...rest } = p;
  return { ...rest, events: TraceStore.unpack(packedEvents).views() };
}
