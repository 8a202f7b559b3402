/**
 * The trace's events stored by column: the event type in a Uint8Array; times, nodes, ids, labels,
 * summaries and causes as numbers (interned strings and objects) in columns as narrow as their
 * values allow (src/sim/traceColumns.ts: most ids in 1–2 bytes, times in 4 while they are whole
 * milliseconds). A run of 60,000 requests records about half a million events; as objects they
 * cost ~180 bytes each, here ~33 (plus what they carry only once: the distinct strings and causes).
 *
 * Readers keep the object API: {@link TraceStore.views} gives `trace.events`, an array-like that makes a small read-only
 * view of an event when its index is read (its fields are getters over the columns; `JSON.stringify` writes it as the
 * plain event). A store crosses to another thread as a few ArrayBuffers (src/sim/tracePack.ts's packStore, transferred).
 */
import type { Cause, DecisionEvent, FlightEvent, NewTraceEvent, TraceEvent } from './trace.ts';
import { eventList } from './eventList.ts';
import { DECISION, FLIGHT, NARRATION, NONE, REQUEST_END, REQUEST_START, TRANSITION, plainOf, viewOf } from './traceViews.ts';
import { type Column, EMPTY_COLUMN } from './traceColumns.ts';
import { arrivalsAsLengths } from './traceArrivals.ts';
import { COLUMNS, type Chunk, Chunks } from './traceChunks.ts';
import type { PackedTraceStore } from './tracePack.ts';
import { pushEvent } from './tracePush.ts';
import { TraceTables } from './traceTables.ts';

export type { Column } from './traceColumns.ts';
export { numbered } from './traceIds.ts';
export type { PackedTraceStore } from './tracePack.ts';

/** Appends events into columns; reads them back as views or plain objects. One per run. */
export class TraceStore extends TraceTables {
  length = 0;
  t: Column;
  /** A flight's arrival time (less its time when {@link arriveRelative}: read {@link arriveAt}); a request end's latency. */
  x: Column;
  /** Flights' `x` holds arrival − time, exactly: sealed with whole times (src/sim/traceArrivals.ts; the 10-minute load's in 2 bytes, not 4). */
  arriveRelative = false;
  /** {@link seal} has looked at the arrivals (it keeps them as lengths once, when it may). */
  private arrivalsChecked = false;
  type: Uint8Array = new Uint8Array(0);
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
  /** Where events are written while recording (src/sim/traceChunks.ts); joined into the columns above by {@link seal}. */
  private chunks: Chunks | undefined;
  private sealed = false;

  /** An empty store to record into, its first chunk `capacity` events. */
  constructor(private capacity = 1024) {
    super();
    this.t = this.x = this.node = this.req = this.a = this.b = this.c = this.d = this.e = this.f = this.g = this.obj = EMPTY_COLUMN;
  }

  /** The sealed store src/sim/tracePack.ts's packStore packed (tables assigned, not spread: a long run's hold more entries than a call takes arguments). */
  static fromPacked(packed: PackedTraceStore): TraceStore {
    const s = new TraceStore(0);
    s.length = s.capacity = packed.length;
    s.type = packed.type;
    for (const k of COLUMNS) s[k] = packed.columns[k];
    s.strings = packed.strings;
    s.objects = packed.objects;
    s.arriveRelative = packed.arriveRelative;
    s.arrivalsChecked = true;
    s.dropMaps();
    s.sealed = true;
    return s;
  }

  /** Chunk being written and the position of the event last opened in it. */
  private w: Chunk | undefined;
  private j = 0;

  /** Makes room for event `length`: afterwards `this.w`/`this.j` name its slot (src/sim/traceChunks.ts). Returns the event's index. */
  private open(t: number, type: number): number {
    if (this.sealed) throw new Error('TraceStore: sealed, no more events');
    const chunks = (this.chunks ??= new Chunks(this.capacity));
    this.w = chunks.open(t, type);
    this.j = chunks.j;
    return this.length++;
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
    departMs = t,
  ): number {
    const f = this.str(from);
    const to_ = this.str(to);
    const k = this.str(kind);
    return this.pushFlightOf(t, flight, k, f, to_, arriveMs, this.str(label), requestId, attempt, mtls, status, detail, departMs);
  }

  /** {@link pushFlight} with the kind, ends and label interned by the caller (src/sim/traceName.ts) in that order: from, to, kind, label. */
  pushFlightOf(
    t: number,
    flight: number,
    kind: number,
    from: number,
    to: number,
    arriveMs: number,
    label: number,
    requestId: string | undefined,
    attempt: number | undefined,
    mtls: boolean | undefined,
    status: number | undefined,
    detail: FlightEvent['detail'],
    departMs = t,
  ): number {
    const i = this.open(t, FLIGHT);
    const w = this.w!;
    const j = this.j;
    w.node[j] = from;
    w.a[j] = to;
    w.b[j] = flight;
    w.c[j] = kind;
    w.d[j] = label;
    w.req[j] = this.requestId(requestId);
    if (status !== undefined) w.e[j] = status;
    if (attempt !== undefined) w.f[j] = attempt;
    if (mtls !== undefined) w.g[j] = mtls ? 1 : 0;
    w.x[j] = arriveMs;
    // departMs is the flight's time in every recorded flight; kept apart when it is not.
    if (departMs !== t) w.obj[j] = this.object({ departMs, detail }, false);
    else if (detail !== undefined) w.obj[j] = this.detailRow(detail);
    return i;
  }

  /**
   * {@link pushFlight} for a flight of no request whose strings the caller interned ({@link str}) and
   * whose detail's row it knows ({@link detailRow}, or NONE for none): a handshake's messages, the
   * same few per run, each looked up once a run instead of once a flight (handshake.ts).
   */
  pushFlightIds(t: number, flight: number, kind: number, from: number, to: number, arriveMs: number, label: number, detailRow: number): number {
    const i = this.open(t, FLIGHT);
    const w = this.w!;
    const j = this.j;
    w.node[j] = from;
    w.a[j] = to;
    w.b[j] = flight;
    w.c[j] = kind;
    w.d[j] = label;
    w.x[j] = arriveMs;
    if (detailRow !== NONE) w.obj[j] = detailRow;
    return i;
  }

  /** Appends a state change from its fields (as {@link push} does with a transition event). */
  pushTransition(t: number, entity: string, machine: string, node: string, peer: string | undefined, from: string | null, to: string, cause: string): number {
    const n = this.str(node);
    const e = this.str(entity);
    const p = this.optStr(peer);
    return this.pushTransitionOf(t, e, this.str(machine), n, p, from, to, cause);
  }

  /**
   * {@link pushTransition} for an actor that interned what never changes for it (its entity,
   * machine, node and peer: {@link str}, {@link optStr}) once, not once per state change.
   */
  pushTransitionOf(t: number, entity: number, machine: number, node: number, peer: number, from: string | null, to: string, cause: string): number {
    const f = this.optStr(from);
    const e = this.str(to);
    return this.pushTransitionIds(t, entity, machine, node, peer, f, e, this.str(cause));
  }

  /** {@link pushTransitionOf} with the states and the cause interned too (a flat chart's actor keeps their ids per store). */
  pushTransitionIds(t: number, entity: number, machine: number, node: number, peer: number, from: number, to: number, cause: number): number {
    const i = this.open(t, TRANSITION);
    const w = this.w!;
    const j = this.j;
    w.node[j] = node;
    w.a[j] = entity;
    w.b[j] = peer;
    w.c[j] = machine;
    w.d[j] = from;
    w.e[j] = to;
    w.f[j] = cause;
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
    return this.pushDecisionIds(t, this.str(node), this.str(layer), this.str(kind), this.strRare(summary), this.cause(cause), requestId, attempt, data);
  }

  /** The row of a decision's cause (interned by identity: most are one object per rule). */
  cause(cause: Cause): number {
    return this.object(cause, true);
  }

  /**
   * {@link pushDecision} for a caller that interned the node, layer, kind and summary
   * ({@link str}, {@link strRare}) and the cause ({@link cause}) itself, in that order the first time.
   */
  pushDecisionIds(
    t: number,
    node: number,
    layer: number,
    kind: number,
    summary: number,
    cause: number,
    requestId: string | undefined,
    attempt: number | undefined,
    data: DecisionEvent['data'],
  ): number {
    const i = this.open(t, DECISION);
    const w = this.w!;
    const j = this.j;
    w.node[j] = node;
    w.a[j] = layer;
    w.c[j] = kind;
    w.d[j] = summary;
    w.e[j] = cause;
    if (attempt !== undefined) w.f[j] = attempt;
    w.req[j] = this.requestId(requestId);
    w.obj[j] = this.object(data, false);
    return i;
  }

  /** Appends `e`; returns its index (its `seq`). The object itself is not kept. */
  push(e: NewTraceEvent | TraceEvent): number {
    return pushEvent(this, e);
  }

  /** Appends a narration line from its fields. */
  pushNarration(t: number, text: string, node: string | undefined): number {
    const i = this.open(t, NARRATION);
    this.w!.a[this.j] = this.str(text);
    this.w!.node[this.j] = this.optStr(node);
    return i;
  }

  /** Appends a request's start from its fields (as {@link push} does with a request start event): the node, from, to, method and path as string ids, the request as {@link requestId} gives it, looked up by the caller in that order. */
  pushRequestStart(
    t: number,
    node: number,
    request: number,
    from: number,
    to: number,
    method: number,
    path: number,
    bodyBytes: number,
    connection: string | undefined,
    headers: Record<string, string>,
  ): number {
    const i = this.open(t, REQUEST_START);
    const w = this.w!;
    const j = this.j;
    w.node[j] = node;
    w.req[j] = request;
    w.a[j] = from;
    w.b[j] = to;
    w.c[j] = method;
    w.d[j] = path;
    w.e[j] = bodyBytes;
    w.f[j] = this.optStr(connection);
    // Most requests carry no headers: an empty object is written back fresh, not kept.
    if (!isEmpty(headers)) w.obj[j] = this.object(headers, false);
    return i;
  }

  /** Appends a request's end from its fields (as {@link push} does with a request end event), the node and request as in {@link pushRequestStart}. */
  pushRequestEnd(
    t: number,
    node: number,
    request: number,
    status: number,
    attempts: number,
    latencyMs: number,
    mtls: boolean,
    reason: string | undefined,
    failure: boolean | undefined,
  ): number {
    const i = this.open(t, REQUEST_END);
    const w = this.w!;
    const j = this.j;
    w.node[j] = node;
    w.req[j] = request;
    w.e[j] = status;
    w.f[j] = attempts;
    w.x[j] = latencyMs;
    // Bit 0: mTLS; bit 1: the route classified the answer (bit 2: as a failure).
    w.g[j] = (mtls ? 1 : 0) | (failure === undefined ? 0 : failure ? 6 : 2);
    w.a[j] = this.optStr(reason);
    return i;
  }

  /** An empty store that shares this one's string and object tables, so {@link copyRange} moves rows as they are. */
  sharingTables(capacity = this.length): TraceStore {
    const s = new TraceStore(Math.max(16, capacity));
    s.shareTables(this);
    return s;
  }

  /** Copies events `start`…`end` (exclusive) of `from`, a sealed store this one shares tables with ({@link sharingTables}), to its end: a typed-array copy per column (src/sim/traceChunks.ts). */
  copyRange(from: TraceStore, start: number, end: number): void {
    if (this.sealed) throw new Error('TraceStore: sealed, no more events');
    if (from.arriveRelative) throw new Error('TraceStore: copyRange from a store whose arrivals are lengths (seal it with keepTables)');
    (this.chunks ??= new Chunks(this.capacity)).copyRows(from, start, end);
    this.length += end - start;
  }

  /** The event at `i` as a plain object, as it was recorded (absent fields left out). */
  plain(i: number): TraceEvent {
    return plainOf(this, i);
  }

  /** Flight `i`'s arrival time. */
  arriveAt(i: number): number {
    return this.arriveRelative ? this.t[i]! + this.x[i]! : this.x[i]!;
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
   * too unless `keepTables` (a store about to share them, {@link sharingTables}: its arrivals stay times).
   */
  seal(keepTables = false): this {
    if (!keepTables) this.dropMaps();
    if (!this.sealed) {
      this.w = undefined;
      // Joined even when empty: fresh arrays, never the shared EMPTY_COLUMN (pack transfers the buffers).
      const { type, columns } = (this.chunks ?? new Chunks(0)).join(this.length);
      this.chunks = undefined;
      this.type = type;
      for (const k of COLUMNS) this[k] = columns[k];
      this.capacity = this.length;
      this.sealed = true;
    }
    // Once no other store copies its rows (a store sealed to share its tables may be sealed again).
    if (!keepTables && !this.arrivalsChecked) {
      this.arrivalsChecked = true;
      const lengths = arrivalsAsLengths(this.t, this.x, this.type, this.length);
      if (lengths) [this.x, this.arriveRelative] = [lengths, true];
    }
    return this;
  }

  /** A store holding `events` (plain objects, or views of another store), in order. */
  static of(events: readonly TraceEvent[]): TraceStore {
    const s = new TraceStore(Math.max(16, events.length));
    for (const e of events) s.push(e);
    return s.seal();
  }
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
