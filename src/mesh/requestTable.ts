/**
 * The run report's requests stored by column: one row per request (times in Float64Arrays, ids,
 * statuses and interned strings in Int32Arrays) and one row per attempt. As objects a request
 * with its `tries` array and attempt record cost ~280 bytes (~17 MB for the benchmarks' 60 s
 * load, ~170 MB for its 10-minute run); here ~90.
 *
 * `report.requests` stays an array of {@link RequestRecord}s to read ({@link RequestTable.list}):
 * each is a fresh plain object made when its index is read, with its fields in the order they
 * were always written, so `JSON.stringify(report)` is unchanged. The report crosses to another
 * thread as the columns' buffers ({@link packReport}).
 */
import { lazyList, numbered } from '../sim/index.ts';
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

/** Columns that grow by doubling. */
interface Rows<I extends string, F extends string> {
  capacity: number;
  ints: Record<I, Int32Array>;
  floats: Record<F, Float64Array>;
  /** One byte per row: a request's mTLS (0/1); an attempt's failure (-1 unset, 0, 1). */
  bytes: Int8Array;
}

function rows<I extends string, F extends string>(ints: readonly I[], floats: readonly F[], capacity: number): Rows<I, F> {
  const r = { capacity, ints: {} as Record<I, Int32Array>, floats: {} as Record<F, Float64Array>, bytes: new Int8Array(capacity) };
  for (const k of ints) r.ints[k] = new Int32Array(capacity);
  for (const k of floats) r.floats[k] = new Float64Array(capacity);
  return r;
}

function grow<I extends string, F extends string>(r: Rows<I, F>, used: number, capacity: number): void {
  const resize = <A extends Int32Array | Float64Array | Int8Array>(a: A, make: (n: number) => A): A => {
    const b = make(capacity);
    b.set(a.subarray(0, used));
    return b;
  };
  for (const k of Object.keys(r.ints) as I[]) r.ints[k] = resize(r.ints[k], (n) => new Int32Array(n));
  for (const k of Object.keys(r.floats) as F[]) r.floats[k] = resize(r.floats[k], (n) => new Float64Array(n));
  r.bytes = resize(r.bytes, (n) => new Int8Array(n));
  r.capacity = capacity;
}

/** A table as it crosses to another thread: its columns' buffers (transferable) and its tables. */
export interface PackedRequestTable {
  length: number;
  tries: number;
  requestInts: Record<RequestInt, ArrayBuffer>;
  requestFloats: Record<RequestFloat, ArrayBuffer>;
  requestBytes: ArrayBuffer;
  tryInts: Record<TryInt, ArrayBuffer>;
  tryFloats: Record<TryFloat, ArrayBuffer>;
  tryBytes: ArrayBuffer;
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
    if (i === this.r.capacity) grow(this.r, i, i * 2);
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
      if (k === this.a.capacity) grow(this.a, k, k * 2);
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

  /** The table as plain data and buffers (list them in `transfer`): unusable here afterwards if they are transferred. */
  pack(): { packed: PackedRequestTable; transfer: ArrayBuffer[] } {
    const buffers = <K extends string>(cols: Record<K, Int32Array | Float64Array>): Record<K, ArrayBuffer> => {
      const out = {} as Record<K, ArrayBuffer>;
      for (const k of Object.keys(cols) as K[]) out[k] = cols[k].buffer as ArrayBuffer;
      return out;
    };
    const packed: PackedRequestTable = {
      length: this.length,
      tries: this.tries,
      requestInts: buffers(this.r.ints),
      requestFloats: buffers(this.r.floats),
      requestBytes: this.r.bytes.buffer as ArrayBuffer,
      tryInts: buffers(this.a.ints),
      tryFloats: buffers(this.a.floats),
      tryBytes: this.a.bytes.buffer as ArrayBuffer,
      strings: this.strings,
      objects: this.objects,
    };
    const transfer = [
      ...Object.values<ArrayBuffer>(packed.requestInts),
      ...Object.values<ArrayBuffer>(packed.requestFloats),
      packed.requestBytes,
      ...Object.values<ArrayBuffer>(packed.tryInts),
      ...Object.values<ArrayBuffer>(packed.tryFloats),
      packed.tryBytes,
    ];
    return { packed, transfer };
  }

  /** A table from {@link pack}'s data. */
  static unpack(p: PackedRequestTable): RequestTable {
    const t = new RequestTable(0);
    t.length = p.length;
    t.tries = p.tries;
    const ints = <K extends string>(b: Record<K, ArrayBuffer>): Record<K, Int32Array> => {
      const out = {} as Record<K, Int32Array>;
      for (const k of Object.keys(b) as K[]) out[k] = new Int32Array(b[k]);
      return out;
    };
    const floats = <K extends string>(b: Record<K, ArrayBuffer>): Record<K, Float64Array> => {
      const out = {} as Record<K, Float64Array>;
      for (const k of Object.keys(b) as K[]) out[k] = new Float64Array(b[k]);
      return out;
    };
    t.r = { capacity: new Int8Array(p.requestBytes).length, ints: ints(p.requestInts), floats: floats(p.requestFloats), bytes: new Int8Array(p.requestBytes) };
    t.a = { capacity: new Int8Array(p.tryBytes).length, ints: ints(p.tryInts), floats: floats(p.tryFloats), bytes: new Int8Array(p.tryBytes) };
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
