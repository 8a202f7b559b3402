/**
 * The trace store's tables (src/sim/traceStore.ts): the strings and objects its columns hold by
 * number. A string is interned (one id per distinct string); a cause by identity; a flight's
 * detail once per detail object; other objects are kept one row each. The maps that find an
 * entry's id are needed only while events are written, and are dropped when the store is sealed.
 */
import type { FlightEvent } from './trace.ts';
import { NONE } from './traceViews.ts';
import { asString, numbered } from './traceIds.ts';

export class TraceTables {
  strings: string[] = [];
  objects: unknown[] = [];
  protected stringIds: Map<string, number> | undefined = new Map();
  /**
   * Ids of the strings interned by {@link strRare} (decision summaries), apart from
   * {@link stringIds}: a string is in one map or the other, never both, and each looks in the other
   * before it appends. At 30 replicas per service a 10 s run interns ~7,400 endpoint-pick
   * summaries, most used once or twice; kept out of the map every event looks its node, kind and
   * label up in, they leave it ~4,500 entries instead of ~12,000.
   */
  protected rareIds: Map<string, number> | undefined = new Map();
  protected objectIds: Map<unknown, number> | undefined = new Map();
  /** Row of each flight detail's `{ detail }` in `objects` ({@link detailRow}). */
  protected detailRows: Map<object, number> | undefined;

  /** The id of `s` in the string table (added on first use). */
  str(s: string): number {
    const ids = this.stringIds ?? this.stringTable();
    let id = ids.get(s);
    if (id === undefined) {
      id = this.rareIds!.get(s);
      if (id !== undefined) return id;
      id = this.append(s);
      ids.set(s, id);
    }
    return id;
  }

  /**
   * {@link str} for a string most events do not name and that may be one of many (a decision's
   * summary): the same id `str` gives it, looked up in a map of its own ({@link rareIds}).
   */
  strRare(s: string): number {
    const rare = this.rareIds ?? (this.stringTable(), this.rareIds!);
    let id = rare.get(s);
    if (id === undefined) {
      id = this.stringIds!.get(s);
      if (id !== undefined) return id;
      id = this.append(s);
      rare.set(s, id);
    }
    return id;
  }

  /**
   * Appends `s` to the table, kept flat: a string built by concatenation (a summary with numbers
   * in it) is a tree of its parts in V8, about three times the memory of its characters. Reading a
   * character of it flattens it in place (V8 writes the characters out once and the tree's parts
   * are freed) — at 30 replicas a 10 s run interns ~20,000 new strings (a connection's entity, a
   * draw's words), and a copy through JSON.stringify and JSON.parse cost ~3 % of its CPU time.
   */
  private append(s: string): number {
    s.charCodeAt(0);
    this.strings.push(s);
    return this.strings.length - 1;
  }

  /**
   * {@link str} for a string the caller knows no event of this store names yet and none will (a
   * connection's entity, which ends in its run-unique id): appended to the table, kept out of the
   * interning map. Not needed for lookups, it would only lengthen them: a new entry goes first in
   * its hash bucket's chain, so every lookup of an older string in that bucket would step over it
   * (at 30 replicas per service ~7,800 connections, against ~900 strings that every event names).
   */
  strUnique(s: string): number {
    return this.append(s);
  }

  optStr(s: string | null | undefined): number {
    return s === undefined || s === null ? NONE : this.str(s);
  }

  /** A cause is interned by identity (most are one object per rule); other objects are kept as they are. */
  protected object(o: unknown, intern: boolean): number {
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

  /**
   * The row of `{ detail }` for a flight's detail: one row per detail object, shared by every
   * flight that carries it (a handshake's messages carry the same few details run-long), not a
   * wrapper object kept per flight. Rows are read, never changed.
   */
  detailRow(detail: NonNullable<FlightEvent['detail']>): number {
    const rows = (this.detailRows ??= new Map());
    let row = rows.get(detail);
    if (row === undefined) rows.set(detail, (row = this.object({ detail }, false)));
    return row;
  }

  protected stringTable(): Map<string, number> {
    if (!this.stringIds) this.rebuildTables();
    return this.stringIds!;
  }

  protected objectTable(): Map<unknown, number> {
    if (!this.objectIds) this.rebuildTables();
    return this.objectIds!;
  }

  /** The last request id stored and its number: a request's events mostly come one after another. */
  private lastRequest: string | undefined;
  private lastRequestN = NONE;

  /** A request id as the `req` column holds it: its number, or its string's id (written another way), or NONE. */
  requestId(id: string | undefined): number {
    if (id === undefined) return NONE;
    if (id === this.lastRequest) return this.lastRequestN;
    const n = numbered(id, 'req-', 6) ?? asString(this.str(id));
    this.lastRequest = id;
    this.lastRequestN = n;
    return n;
  }

  /** Shares `from`'s tables (a store copying rows from it as they are). */
  protected shareTables(from: TraceTables): void {
    this.strings = from.strings;
    this.objects = from.objects;
    this.stringIds = from.stringTable();
    this.rareIds = from.rareIds;
    this.objectIds = from.objectTable();
  }

  /** Drops the maps that find ids (they are rebuilt if events are appended again). */
  protected dropMaps(): void {
    this.stringIds = undefined;
    this.rareIds = undefined;
    this.objectIds = undefined;
    this.detailRows = undefined;
  }

  /** A store read back from another thread: rebuild the interning maps to append again. */
  private rebuildTables(): void {
    this.stringIds = new Map(this.strings.map((s, i) => [s, i]));
    this.rareIds = new Map();
    this.objectIds = new Map(this.objects.map((o, i) => [o, i]));
  }
}
