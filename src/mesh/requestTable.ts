/**
 * The run report's requests stored by column: one row per request (times in Float64Arrays, ids,
 * statuses and interned strings in Int32Arrays while the run writes them) and one row per attempt.
 * As objects a request with its `tries` array and attempt record cost ~280 bytes (~17 MB for the
 * benchmarks' 60 s load, ~170 MB for its 10-minute run); here ~90 while written, and once packed
 * ({@link RequestTable.pack}) each column is cut to its length and narrowed to the narrowest typed
 * array its values allow (src/sim/traceColumns.ts: most ids in one byte, whole-millisecond times
 * in four): ~40 bytes a request and its attempt for the 10-minute run (24 MB, 94 MB before), what
 * the page holds for the session.
 *
 * `report.requests` stays an array of {@link RequestRecord}s to read ({@link RequestTable.list}):
 * each is a fresh plain object made when its index is read, with its fields in the order they
 * were always written, so `JSON.stringify(report)` is unchanged. The report crosses to another
 * thread as the columns' buffers ({@link packReport}).
 */
import { lazyList, narrowed, numbered, widthNeededFloat, widthNeededInt, type Column } from '../sim/index.ts';
import type { AttemptRecord, RequestRecord } from './stats.ts';

const NONE = -1;

/** The headers of a request recorded without any (frozen: nothing may add to them). */
const NO_HEADERS: Record<string, string> = Object.freeze({});

const REQUEST_INTS = ['id', 'from', 'to', 'method', 'path', 'headers', 'status', 'attempts', 'reason', 'triesAt', 'triesN'] as const;
const REQUEST_FLOATS = ['startMs', 'endMs'] as const;
const TRY_INTS = ['attempt', 'pod', 'status'] as const;
const TRY_FLOATS = ['startMs', 'endMs'] as const;
type RequestInt = (typeof REQUEST_INTS)[number];
type RequestFloat = (typeof REQUEST_FLOATS)[number];
type TryInt = (typeof TRY_INTS)[number];
type TryFloat = (typeof TRY_FLOATS)[number];

/**
 * Columns: Int32 (`ints`) and Float64 (`floats`) arrays that grow by doubling while the run writes
 * them; once packed, each at its length and as narrow as its values allow ({@link narrowRows}).
 */
interface Rows<I extends string, F extends string> {
  capacity: number;
  ints: Record<I, Column>;
  floats: Record<F, Column>;
  /** One byte per row: a request's mTLS (0/1); an attempt's failure (-1 unset, 0, 1). */
  bytes: Int8Array;
}

function rows<I extends string, F extends string>(ints: readonly I[], floats: readonly F[], capacity: number): Rows<I, F> {
  const r = { capacity, ints: {} as Record<I, Column>, floats: {} as Record<F, Column>, bytes: new Int8Array(capacity) };
  for (const k of ints) r.ints[k] = new Int32Array(capacity);
  for (const k of floats) r.floats[k] = new Float64Array(capacity);
  return r;
}

/** Makes room for `capacity` rows; a packed (narrow) column is widened again to Int32 or Float64. */
function grow<I extends string, F extends string>(r: Rows<I, F>, used: number, capacity: number): void {
  const resize = <A extends Column>(a: Column, make: (n: number) => A): A => {
    const b = make(capacity);
    b.set(a.subarray(0, used));
    return b;
  };
  for (const k of Object.keys(r.ints) as I[]) r.ints[k] = resize(r.ints[k], (n) => new Int32Array(n));
  for (const k of Object.keys(r.floats) as F[]) r.floats[k] = resize(r.floats[k], (n) => new Float64Array(n));
  r.bytes = resize(r.bytes, (n) => new Int8Array(n));
  r.capacity = capacity;
}

/** The first `n` values of `col` in the narrowest column that holds each exactly (an Int8/16 column is narrow already). */
function narrowColumn(col: Column, n: number): Column {
  if (col instanceof Float64Array) return narrowed(col, n, widthNeededFloat(col, n));
  if (col instanceof Int32Array) return narrowed(col, n, widthNeededInt(col, n));
  return col.length === n ? col : col.slice(0, n);
}

/** The first `n` rows of `r`, each column at its length and as narrow as its values allow. */
function narrowRows<I extends string, F extends string>(r: Rows<I, F>, n: number): Rows<I, F> {
  const cut = <K extends string>(cols: Record<K, Column>): Record<K, Column> => {
    const out = {} as Record<K, Column>;
    for (const k of Object.keys(cols) as K[]) out[k] = narrowColumn(cols[k], n);
    return out;
  };
  return { capacity: n, ints: cut(r.ints), floats: cut(r.floats), bytes: r.bytes.length === n ? r.bytes : r.bytes.slice(0, n) };
}

/** A table as it crosses to another thread: its columns (their buffers transferable), each at its length, and its tables. */
export interface PackedRequestTable {
  length: number;
  tries: number;
  requestInts: Record<RequestInt, Column>;
  requestFloats: Record<RequestFloat, Column>;
  requestBytes: Int8Array;
  tryInts: Record<TryInt, Column>;
  tryFloats: Record<TryFloat, Column>;
  tryBytes: Int8Array;
  strings: string[];
  objects: unknown[];
}

/** The requests of one run, appended as each ends; read as records. */
export class RequestTable {
  length = 0;
  private tries = 0;
  private r: Rows<RequestInt, RequestFloat>;
  private a: Rows<TryInt, TryFloat>;
  private strings: string[] = [];
  private objects: unknown[] = [];
  private stringIds: Map<string, number> | undefined = new Map();

  constructor(capacity = 256) {
    this.r = rows(REQUEST_INTS, REQUEST_FLOATS, capacity);
    this.a = rows(TRY_INTS, TRY_FLOATS, capacity);
  }

  private str(s: string): number {
    const ids = (this.stringIds ??= new Map(this.strings.map((x, i) => [x, i])));
    let id = ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      ids.set(s, id);
    }
    return id;
  }

  /** Appends a request as the calling app saw it end; returns its row. `tries` is copied. */
  add(r: RequestRecord): number {
    return this.addOf(r.id, r.from, r.to, r.method, r.path, r.headers, r.startMs, r.endMs, r.status, r.attempts, r.tries, r.mtls, r.reason);
  }

  /**
   * {@link add} from the record's fields, in its order: the simulator's path, which makes no
   * record object (~140 bytes) for each request it only copies into the columns.
   */
  addOf(
    id: string,
    from: string,
    to: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    startMs: number,
    endMs: number,
    status: number,
    attempts: number,
    tries: readonly AttemptRecord[],
    mtls: boolean,
    reason: string | undefined,
  ): number {
    const i = this.length;
    if (i === this.r.capacity) grow(this.r, i, Math.max(16, i * 2));
    const ri = this.r.ints;
    ri.id[i] = numbered(id, 'req-', 6) ?? -this.str(id) - 2;
    ri.from[i] = this.str(from);
    ri.to[i] = this.str(to);
    ri.method[i] = this.str(method);
    ri.path[i] = this.str(path);
    let empty = true;
    for (const _ in headers) {
      empty = false;
      break;
    }
    if (empty) ri.headers[i] = NONE;
    else {
      ri.headers[i] = this.objects.length;
      this.objects.push(headers);
    }
    ri.status[i] = status;
    ri.attempts[i] = attempts;
    ri.reason[i] = reason === undefined ? NONE : this.str(reason);
    ri.triesAt[i] = this.tries;
    ri.triesN[i] = tries.length;
    this.r.floats.startMs[i] = startMs;
    this.r.floats.endMs[i] = endMs;
    this.r.bytes[i] = mtls ? 1 : 0;
    for (let n = 0; n < tries.length; n++) {
      const t = tries[n]!;
      const k = this.tries++;
      if (k === this.a.capacity) grow(this.a, k, Math.max(16, k * 2));
      this.a.ints.attempt[k] = t.attempt;
      this.a.ints.pod[k] = t.pod === null ? NONE : this.str(t.pod);
      this.a.ints.status[k] = t.status;
      this.a.floats.startMs[k] = t.startMs;
      this.a.floats.endMs[k] = t.endMs;
      this.a.bytes[k] = t.failure === undefined ? -1 : t.failure ? 1 : 0;
    }
    return this.length++;
  }

  /** The id of request `i` as written (`req-000012`). */
  id(i: number): string {
    const n = this.r.ints.id[i]!;
    return n >= 0 ? `req-${String(n).padStart(6, '0')}` : this.strings[-n - 2]!;
  }
  from(i: number): string {
    return this.strings[this.r.ints.from[i]!]!;
  }
  to(i: number): string {
    return this.strings[this.r.ints.to[i]!]!;
  }
  status(i: number): number {
    return this.r.ints.status[i]!;
  }
  attempts(i: number): number {
    return this.r.ints.attempts[i]!;
  }
  startMs(i: number): number {
    return this.r.floats.startMs[i]!;
  }
  endMs(i: number): number {
    return this.r.floats.endMs[i]!;
  }
  mtls(i: number): boolean {
    return this.r.bytes[i] === 1;
  }
  /** The last attempt's classification by the route's response classes (undefined: the route has none, or no attempt). */
  lastFailure(i: number): boolean | undefined {
    const n = this.r.ints.triesN[i]!;
    if (n === 0) return undefined;
    const b = this.a.bytes[this.r.ints.triesAt[i]! + n - 1]!;
    return b === -1 ? undefined : b === 1;
  }

  /** Request `i` as a plain record, its fields in the order the run always wrote them. */
  record(i: number): RequestRecord {
    const ri = this.r.ints;
    const at = ri.triesAt[i]!;
    const n = ri.triesN[i]!;
    const tries = new Array<AttemptRecord>(n);
    for (let k = 0; k < n; k++) tries[k] = this.attempt(at + k);
    const reason = ri.reason[i]!;
    const headers = ri.headers[i]!;
    return {
      id: this.id(i),
      from: this.strings[ri.from[i]!]!,
      to: this.strings[ri.to[i]!]!,
      method: this.strings[ri.method[i]!]!,
      path: this.strings[ri.path[i]!]!,
      headers: headers === NONE ? NO_HEADERS : (this.objects[headers] as Record<string, string>),
      startMs: this.r.floats.startMs[i]!,
      endMs: this.r.floats.endMs[i]!,
      status: ri.status[i]!,
      attempts: ri.attempts[i]!,
      tries,
      mtls: this.r.bytes[i] === 1,
      reason: reason === NONE ? undefined : this.strings[reason]!,
    };
  }

  private attempt(k: number): AttemptRecord {
    const pod = this.a.ints.pod[k]!;
    const t: AttemptRecord = {
      attempt: this.a.ints.attempt[k]!,
      pod: pod === NONE ? null : this.strings[pod]!,
      status: this.a.ints.status[k]!,
      startMs: this.a.floats.startMs[k]!,
      endMs: this.a.floats.endMs[k]!,
    };
    const f = this.a.bytes[k]!;
    if (f !== -1) t.failure = f === 1;
    return t;
  }

  /** The requests as a read-only array of records, each made when read (src/sim/lazyList.ts). */
  list(): RequestRecord[] {
    this.stringIds = undefined;
    const list = lazyList(this.length, (i) => this.record(i));
    tables.set(list, this);
    return list;
  }

  /**
   * The table as plain data and columns (list their buffers in `transfer`), each column cut to its
   * length and as narrow as its values allow; the table keeps those (writing to it again widens
   * them) and is unusable here afterwards if they are transferred.
   */
  pack(): { packed: PackedRequestTable; transfer: ArrayBuffer[] } {
    this.r = narrowRows(this.r, this.length);
    this.a = narrowRows(this.a, this.tries);
    const packed: PackedRequestTable = {
      length: this.length,
      tries: this.tries,
      requestInts: { ...this.r.ints },
      requestFloats: { ...this.r.floats },
      requestBytes: this.r.bytes,
      tryInts: { ...this.a.ints },
      tryFloats: { ...this.a.floats },
      tryBytes: this.a.bytes,
      strings: this.strings,
      objects: this.objects,
    };
    const columns = [
      ...Object.values<Column>(packed.requestInts),
      ...Object.values<Column>(packed.requestFloats),
      packed.requestBytes,
      ...Object.values<Column>(packed.tryInts),
      ...Object.values<Column>(packed.tryFloats),
      packed.tryBytes,
    ];
    // Each buffer once: a list naming one twice is refused (DataCloneError).
    return { packed, transfer: [...new Set(columns.map((c) => c.buffer as ArrayBuffer))] };
  }

  /** A table from {@link pack}'s data (its columns as they came: any typed array reads the same). */
  static unpack(p: PackedRequestTable): RequestTable {
    const t = new RequestTable(0);
    t.length = p.length;
    t.tries = p.tries;
    t.r = { capacity: p.length, ints: { ...p.requestInts }, floats: { ...p.requestFloats }, bytes: p.requestBytes };
    t.a = { capacity: p.tries, ints: { ...p.tryInts }, floats: { ...p.tryFloats }, bytes: p.tryBytes };
    t.strings = p.strings;
    t.objects = p.objects;
    t.stringIds = undefined;
    return t;
  }
}

/** The tables behind lists {@link RequestTable.list} made. */
const tables = new WeakMap<readonly RequestRecord[], RequestTable>();

/** The table behind `requests` if it is a list {@link RequestTable.list} made. */
export function tableOfRequests(requests: readonly RequestRecord[]): RequestTable | undefined {
  return tables.get(requests);
}

/**
 * A report whose `requests` travel as a table's buffers (`packedRequests`, `requests` left empty
 * in its place) or as they are (a plain array).
 */
export type PackedReport<R extends { requests: RequestRecord[] }> = R & { packedRequests?: PackedRequestTable };

/** `report` ready for `postMessage(…, transfer)`: its requests as the table's buffers when they are a table's list. */
export function packReport<R extends { requests: RequestRecord[] }>(report: R): { packed: PackedReport<R>; transfer: ArrayBuffer[] } {
  const table = tableOfRequests(report.requests);
  if (!table) return { packed: report, transfer: [] };
  const { packed, transfer } = table.pack();
  // The keys stay in their order (an exported report reads the same): `requests` keeps its place.
  return { packed: { ...report, requests: [], packedRequests: packed }, transfer };
}

/** The report {@link packReport} sent. */
export function unpackReport<R extends { requests: RequestRecord[] }>(p: PackedReport<R>): R {
  const table = p.packedRequests;
  if (!table) return p;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'packedRequests') out[k] = k === 'requests' ? RequestTable.unpack(table).list() : v;
  return out as R;
}
