/**
 * The trace's events stored by column: the event type in a Uint8Array; times, nodes, ids, labels,
 * summaries and causes as numbers (interned strings and objects) in columns as narrow as their
 * values allow (src/sim/traceColumns.ts: most ids in 1–2 bytes, times in 4 while they are whole
 * milliseconds). A run of 60,000 requests records about half a million events; as objects they
 * cost ~180 bytes each, here ~33 (plus what they carry only once: the distinct strings and causes).
 *
 * Readers keep the object API: {@link TraceStore.views} gives `trace.events`, an array-like that
 * makes a small read-only view of an event when its index is read (its fields are getters over
 * the columns; `JSON.stringify` writes it as the plain event). A store crosses to another thread as a few
 * ArrayBuffers ({@link TraceStore.pack}, transferred) instead of a structured clone of every event.
 */
import type { Cause, DecisionEvent, FlightEvent, NewTraceEvent, Trace, TraceEvent } from './trace.ts';
import { eventList, storeOfEvents } from './eventList.ts';
import { DECISION, FLIGHT, NARRATION, NONE, REQUEST_END, REQUEST_START, TRANSITION, plainOf, storeOfEvent, viewOf } from './traceViews.ts';
import { type Column, EMPTY_COLUMN, joined, narrowed, widthNeeded } from './traceColumns.ts';

export type { Column } from './traceColumns.ts';

/** A flight id or request id written as a string (not `f-N` / `req-NNNNNN`): -(string id) - 2. */
const asString = (sid: number): number => -sid - 2;

const INT_COLUMNS = ['node', 'req', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'obj'] as const;
type IntColumn = (typeof INT_COLUMNS)[number];
/** Every number column, in the order {@link PackedTraceStore} and the parts list them. */
const COLUMNS = ['t', 'x', ...INT_COLUMNS] as const;
type ColumnName = (typeof COLUMNS)[number];

/** Events per chunk while recording, at most. */
const MAX_CHUNK = 65_536;

/** The columns being written, wide (Float64 times, Int32 ids); narrowed into parts when full. */
type Chunk = { used: number; t: Float64Array; x: Float64Array; type: Uint8Array } & Record<IntColumn, Int32Array>;

function newChunk(size: number): Chunk {
  const chunk = { used: 0, t: new Float64Array(size), x: new Float64Array(size), type: new Uint8Array(size) } as Chunk;
  for (const k of INT_COLUMNS) chunk[k] = new Int32Array(size);
  return chunk;
}

/** A store as it crosses to another thread: its columns (their buffers transferable) and its tables. */
export interface PackedTraceStore {
  length: number;
  type: Uint8Array;
  columns: Record<ColumnName, Column>;
  strings: string[];
  objects: unknown[];
}

/** Appends events into columns; reads them back as views or plain objects. One per run. */
export class TraceStore {
  length = 0;
  private capacity: number;
  t: Column;
  /** A flight's arrival time; a request end's latency. */
  x: Column;
  type: Uint8Array;
  node: Column;
  req: Column;
  a: Column;
  b: Column;
  c: Column;
  d: Column;
  e: Column;
  f: Column;
  g: Column;
  obj: Column;
  strings: string[] = [];
  objects: unknown[] = [];
  /**
   * While recording, events go to a wide chunk; each time it is full its columns are narrowed into
   * parts (src/sim/traceColumns.ts) and it is written again. {@link seal} joins the parts into the
   * columns above, which readers use: each column at the widest width any of its parts needed.
   */
  private parts: Column[][] = COLUMNS.map(() => []);
  private typeParts: Uint8Array[] = [];
  private widths: number[] = COLUMNS.map(() => 0);
  private sealed = false;
  private stringIds: Map<string, number> | undefined = new Map();
  private objectIds: Map<unknown, number> | undefined = new Map();

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.t = this.x = this.node = this.req = this.a = this.b = this.c = this.d = this.e = this.f = this.g = this.obj = EMPTY_COLUMN;
    this.type = new Uint8Array(0);
  }

  /** The id of `s` in the string table (added on first use). */
  str(s: string): number {
    const ids = this.stringIds ?? this.stringTable();
    let id = ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      // Kept as a fresh flat copy: a string built by concatenation (a summary with numbers in it)
      // is a tree of its parts in V8, about three times the memory of its characters.
      const flat = JSON.parse(JSON.stringify(s)) as string;
      this.strings.push(flat);
      ids.set(flat, id);
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
    const ids = this.objectIds ?? this.objectTable();
    let id = ids.get(o);
    if (id === undefined) {
      id = this.objects.length;
      this.objects.push(o);
      ids.set(o, id);
    }
    return id;
  }

  private stringTable(): Map<string, number> {
    if (!this.stringIds) this.rebuildTables();
    return this.stringIds!;
  }

  private objectTable(): Map<unknown, number> {
    if (!this.objectIds) this.rebuildTables();
    return this.objectIds!;
  }

  /** A store read back from another thread: rebuild the interning maps to append again. */
  private rebuildTables(): void {
    this.stringIds = new Map(this.strings.map((s, i) => [s, i]));
    this.objectIds = new Map(this.objects.map((o, i) => [o, i]));
  }

  /** Chunk being written and the position of the next event in it (kept in fields: no allocation per event). */
  private w: Chunk | undefined;
  private j = 0;

  /**
   * Makes room for event `length`: afterwards `this.w`/`this.j` name its slot, every int column
   * there set to {@link NONE} and `x` to 0. Returns the event's index.
   */
  private open(t: number, type: number): number {
    if (this.sealed) throw new Error('TraceStore: sealed, no more events');
    let w = this.w;
    if (!w || w.used === w.t.length) {
      if (w) this.narrow(w);
      // Chunks grow from the first capacity to 65,536 events, so a short run stays small; then the
      // one chunk is written again and again.
      const size = Math.min(MAX_CHUNK, Math.max(16, w ? w.t.length * 2 : this.capacity));
      if (w && size === w.t.length) w.used = 0;
      else this.w = w = newChunk(size);
    }
    const j = w.used++;
    this.j = j;
    w.t[j] = t;
    w.type[j] = type;
    w.x[j] = 0;
    w.node[j] = NONE;
    w.req[j] = NONE;
    w.a[j] = NONE;
    w.b[j] = NONE;
    w.c[j] = NONE;
    w.d[j] = NONE;
    w.e[j] = NONE;
    w.f[j] = NONE;
    w.g[j] = NONE;
    w.obj[j] = NONE;
    return this.length++;
  }

  /** Moves the chunk's events into parts, each column as narrow as its values allow; the chunk may then be written again. */
  private narrow(w: Chunk): void {
    const n = w.used;
    this.typeParts.push(w.type.slice(0, n));
    COLUMNS.forEach((name, k) => {
      const col = w[name];
      const width = widthNeeded(col, n);
      const part = narrowed(col, n, width);
      // Kept as it is (already that wide, and full): the chunk gets a new array to write.
      if (part === col)
        (w as unknown as Record<ColumnName, Column>)[name] = col instanceof Float64Array ? new Float64Array(col.length) : new Int32Array(col.length);
      this.parts[k]!.push(part);
      if (width > this.widths[k]!) this.widths[k] = width;
    });
    w.used = 0;
  }

  /**
   * Appends a flight from its fields (what {@link push} does with a flight event, without the
   * event object): `flight` is its number (`f-<flight>`), `requestId` a request id as written.
   */
  pushFlight(
    t: number,
    flight: number,
    kind: string,
    from: string,
    to: string,
    arriveMs: number,
    label: string,
    requestId: string | undefined,
    attempt: number | undefined,
    mtls: boolean | undefined,
    status: number | undefined,
    detail: FlightEvent['detail'],
  ): number {
    const i = this.open(t, FLIGHT);
    const w = this.w!;
    const j = this.j;
    w.node[j] = this.str(from);
    w.a[j] = this.str(to);
    w.b[j] = flight;
    w.c[j] = this.str(kind);
    w.d[j] = this.str(label);
    w.req[j] = this.requestId(requestId);
    if (status !== undefined) w.e[j] = status;
    if (attempt !== undefined) w.f[j] = attempt;
    if (mtls !== undefined) w.g[j] = mtls ? 1 : 0;
    w.x[j] = arriveMs;
    if (detail !== undefined) w.obj[j] = this.object({ detail }, false);
    return i;
  }

  /** Appends a state change from its fields (as {@link push} does with a transition event). */
  pushTransition(t: number, entity: string, machine: string, node: string, peer: string | undefined, from: string | null, to: string, cause: string): number {
    const i = this.open(t, TRANSITION);
    const w = this.w!;
    const j = this.j;
    w.node[j] = this.str(node);
    w.a[j] = this.str(entity);
    w.b[j] = this.optStr(peer);
    w.c[j] = this.str(machine);
    w.d[j] = this.optStr(from);
    w.e[j] = this.str(to);
    w.f[j] = this.str(cause);
    return i;
  }

  /** Appends a decision from its fields (as {@link push} does with a decision event). */
  pushDecision(
    t: number,
    node: string,
    layer: string,
    kind: string,
    summary: string,
    cause: Cause,
    requestId: string | undefined,
    attempt: number | undefined,
    data: DecisionEvent['data'],
  ): number {
    const i = this.open(t, DECISION);
    const w = this.w!;
    const j = this.j;
    w.node[j] = this.str(node);
    w.a[j] = this.str(layer);
    w.c[j] = this.str(kind);
    w.d[j] = this.str(summary);
    w.e[j] = this.object(cause, true);
    if (attempt !== undefined) w.f[j] = attempt;
    w.req[j] = this.requestId(requestId);
    w.obj[j] = this.object(data, false);
    return i;
  }

  /** Appends `e`; returns its index (its `seq`). The object itself is not kept. */
  push(e: NewTraceEvent | TraceEvent): number {
    switch (e.type) {
      case 'flight': {
        // departMs is the flight's time in every recorded flight; kept apart when it is not.
        const n = numbered(e.id, 'f-', 0);
        const i = this.pushFlight(
          e.t,
          n ?? asString(this.str(e.id)),
          e.kind,
          e.from,
          e.to,
          e.arriveMs,
          e.label,
          e.requestId,
          e.attempt,
          e.mtls,
          e.status,
          e.departMs === e.t ? e.detail : undefined,
        );
        if (e.departMs !== e.t) this.w!.obj[this.j] = this.object({ departMs: e.departMs, detail: e.detail }, false);
        return i;
      }
      case 'transition':
        return this.pushTransition(e.t, e.entity, e.machine, e.node, e.peer, e.from, e.to, e.cause);
      case 'decision':
        return this.pushDecision(e.t, e.node, e.layer, e.kind, e.summary, e.cause, e.requestId, e.attempt, e.data);
      case 'request':
      case 'narration':
        break;
    }
    const i = this.open(e.t, e.type === 'request' && e.phase === 'end' ? REQUEST_END : e.type === 'request' ? REQUEST_START : NARRATION);
    const w = this.w!;
    const j = this.j;
    switch (e.type) {
      case 'request':
        if (e.phase === 'start') {
          w.node[j] = this.str(e.node);
          w.req[j] = this.requestId(e.requestId);
          w.a[j] = this.str(e.from);
          w.b[j] = this.str(e.to);
          w.c[j] = this.str(e.method);
          w.d[j] = this.str(e.path);
          w.e[j] = e.bodyBytes;
          w.f[j] = this.optStr(e.connection);
          // Most requests carry no headers: an empty object is written back fresh, not kept.
          if (Object.keys(e.headers).length > 0) w.obj[j] = this.object(e.headers, false);
        } else {
          w.node[j] = this.str(e.node);
          w.req[j] = this.requestId(e.requestId);
          w.e[j] = e.status;
          w.f[j] = e.attempts;
          w.x[j] = e.latencyMs;
          // Bit 0: mTLS; bit 1: the route classified the answer (bit 2: as a failure).
          w.g[j] = (e.mtls ? 1 : 0) | (e.failure === undefined ? 0 : e.failure ? 6 : 2);
          w.a[j] = this.optStr(e.reason);
        }
        break;
      case 'narration':
        w.a[j] = this.str(e.text);
        w.node[j] = this.optStr(e.node);
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
    s.stringIds = this.stringTable();
    s.objectIds = this.objectTable();
    return s;
  }

  /** Copies event `i` of `from` (sealed) to the end of this store; returns its new index. */
  copy(from: TraceStore, i: number): number {
    if (from.strings !== this.strings || from.objects !== this.objects) return this.push(from.plain(i));
    const n = this.open(from.t[i]!, from.type[i]!);
    const w = this.w!;
    const j = this.j;
    w.x[j] = from.x[i]!;
    for (const k of INT_COLUMNS) w[k][j] = from[k][i]!;
    return n;
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

  /**
   * The `trace.events` array of this (sealed) store: read-only, each event's view made when its
   * index is read (src/sim/eventList.ts), not one object per event kept for the run.
   */
  views(): TraceEvent[] {
    if (!this.sealed) this.seal();
    return eventList(this);
  }

  /** A read-only view of event `i`: its fields read the columns. */
  view(i: number): TraceEvent {
    return viewOf(this, i);
  }

  /**
   * Joins the chunks into the columns readers use: the run is over. The interning maps are dropped
   * too unless `keepTables` (a store about to share them, {@link sharingTables}).
   */
  seal(keepTables = false): this {
    if (!keepTables) {
      this.stringIds = undefined;
      this.objectIds = undefined;
    }
    if (this.sealed) return this;
    if (this.w) this.narrow(this.w);
    this.w = undefined;
    const typeParts = this.typeParts;
    this.typeParts = [];
    const type = new Uint8Array(this.length);
    let at = 0;
    for (const part of typeParts) {
      type.set(part, at);
      at += part.length;
    }
    this.type = type;
    // Column by column, each part released once copied: the peak is one column over the parts.
    COLUMNS.forEach((name, k) => {
      const parts = this.parts[k]!;
      this[name] = joined(this.widths[k]!, parts, (m) => (parts[m] = EMPTY_COLUMN));
      this.parts[k] = [];
    });
    this.capacity = this.length;
    this.sealed = true;
    return this;
  }

  /** The store as plain data and buffers (list them in `transfer`): the store is unusable afterwards if they are transferred. */
  pack(): { packed: PackedTraceStore; transfer: ArrayBuffer[] } {
    this.seal();
    const columns = {} as Record<ColumnName, Column>;
    for (const k of COLUMNS) columns[k] = this[k];
    const packed: PackedTraceStore = { length: this.length, type: this.type, columns, strings: this.strings, objects: this.objects };
    // A column that is a view of a larger buffer (a single short part) is transferred whole, once.
    const buffers = new Set([this.type.buffer as ArrayBuffer, ...COLUMNS.map((k) => columns[k].buffer as ArrayBuffer)]);
    return { packed, transfer: [...buffers] };
  }

  /** A store from {@link pack}'s data. */
  static unpack(p: PackedTraceStore): TraceStore {
    const s = new TraceStore(0);
    s.length = p.length;
    s.capacity = p.length;
    s.type = p.type;
    for (const k of COLUMNS) s[k] = p.columns[k];
    // Assigned, not spread: a long run's tables hold more entries than a call takes arguments.
    s.strings = p.strings;
    s.objects = p.objects;
    s.stringIds = undefined;
    s.objectIds = undefined;
    s.sealed = true;
    return s;
  }

  /** A store holding `events` (plain objects, or views of another store), in order. */
  static of(events: readonly TraceEvent[]): TraceStore {
    const s = new TraceStore(Math.max(16, events.length));
    for (const e of events) s.push(e);
    return s.seal();
  }
}

/**
 * `prefix` + a number written with at least `digits` digits (no sign, no extra zeros): the number;
 * else undefined. Reads the characters in place (called for every request id the trace records).
 */
export function numbered(id: string, prefix: string, digits: number): number | undefined {
  if (!id.startsWith(prefix)) return undefined;
  const start = prefix.length;
  const len = id.length - start;
  if (len === 0 || len > 9) return undefined;
  let n = 0;
  let zeros = 0;
  for (let k = start; k < id.length; k++) {
    const c = id.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return undefined;
    if (n === 0 && c === 0) zeros++;
    n = n * 10 + c;
  }
  // Written as String(n).padStart(digits, '0') writes it: as many leading zeros as pad it to `digits`, or "0" alone.
  const significant = n === 0 ? 1 : len - zeros;
  return len === Math.max(digits, significant) ? n : undefined;
}

/** A trace as it crosses to another thread: everything but the events, and the events' store packed. */
export type PackedTrace = Omit<Trace, 'events'> & { packedEvents: PackedTraceStore };

/**
 * `trace` ready for `postMessage(…, transfer)`: its events travel as the store's buffers. The
 * trace's own events are unusable afterwards when the buffers are transferred.
 */
export function packTrace(trace: Trace): { packed: PackedTrace; transfer: ArrayBuffer[] } {
  const behind = storeOfEvents(trace.events) ?? storeOfEvent(trace.events[0]);
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
