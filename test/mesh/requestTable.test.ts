import { describe, expect, it } from 'vitest';
import { RequestTable, packReport, unpackReport, tableOfRequests } from '../../src/mesh/index.ts';
import type { RequestRecord } from '../../src/mesh/stats.ts';

/** Requests as traffic.ts writes them: one try, retries with a classified last try, no attempt, odd ids, headers. */
const RECORDS: RequestRecord[] = [
  {
    id: 'req-000000',
    from: 'a-0',
    to: 'b',
    method: 'GET',
    path: '/',
    headers: {},
    startMs: 0.5,
    endMs: 12.25,
    status: 200,
    attempts: 1,
    tries: [{ attempt: 1, pod: 'b-1', status: 200, startMs: 0.5, endMs: 12.25 }],
    mtls: true,
    reason: undefined,
  },
  {
    id: 'req-000001',
    from: 'a-0',
    to: 'b',
    method: 'POST',
    path: '/x',
    headers: { 'x-user': 'jason' },
    startMs: 3,
    endMs: 40,
    status: 503,
    attempts: 3,
    tries: [
      { attempt: 1, pod: 'b-0', status: 503, startMs: 3, endMs: 10, failure: true },
      { attempt: 2, pod: null, status: 0, startMs: 11, endMs: 11 },
      { attempt: 3, pod: 'b-2', status: 503, startMs: 25, endMs: 40, failure: false },
    ],
    mtls: false,
    reason: 'upstream connect error',
  },
  {
    id: 'mirror-7',
    from: 'c',
    to: 'd',
    method: 'GET',
    path: '/',
    headers: {},
    startMs: 1,
    endMs: 2,
    status: 0,
    attempts: 1,
    tries: [],
    mtls: false,
    reason: 'reset',
  },
];

describe('RequestTable (the run report requests by column)', () => {
  it('gives back each request as written, fields in the same order, so the report JSON is unchanged', () => {
    const table = new RequestTable(1); // grows past its first capacity
    for (const r of RECORDS) table.add(r);
    const list = table.list();
    expect(list.length).toBe(3);
    expect(JSON.stringify(list)).toBe(JSON.stringify(RECORDS));
    expect(list.map((r) => r)).toEqual(RECORDS);
    expect(Object.keys(list[1]!)).toEqual(Object.keys(RECORDS[1]!));
    expect(list[1]!.tries.map((t) => Object.keys(t))).toEqual(RECORDS[1]!.tries.map((t) => Object.keys(t)));
    expect([table.lastFailure(0), table.lastFailure(1), table.lastFailure(2)]).toEqual([undefined, false, undefined]);
    expect(tableOfRequests(list)).toBe(table);
  });

  it('copies what it is given: a tries array pushed to afterwards does not change the record', () => {
    const table = new RequestTable();
    const tries = [{ attempt: 1, pod: 'b-1', status: 200, startMs: 0, endMs: 1 }];
    table.add({ ...RECORDS[0]!, tries });
    tries.push({ attempt: 2, pod: 'b-2', status: 200, startMs: 1, endMs: 2 });
    expect(table.list()[0]!.tries).toHaveLength(1);
  });

  it('crosses to another thread as buffers: the report after the trip reads as before, keys in order', () => {
    const table = new RequestTable();
    for (const r of RECORDS) table.add(r);
    const report = { version: 1, requests: table.list(), summary: { total: 3 } };
    const before = JSON.stringify(report);
    const { packed, transfer } = packReport(report);
    expect(transfer.length).toBeGreaterThan(0);
    const back = unpackReport(structuredClone(packed, { transfer }));
    expect(JSON.stringify(back)).toBe(before);
    // A plain array of records travels as it is.
    const plain = { version: 1, requests: RECORDS, summary: { total: 3 } };
    expect(packReport(plain)).toEqual({ packed: plain, transfer: [] });
  });

  it('packs each column at its length and as narrow as its values allow, and reads back every value as written', () => {
    // Values needing each width: request numbers past 32,767 and ids kept as strings (negative
    // ids), ~200 caller names (ids past 127), statuses past 127, fractional times, times past
    // 2^31, whole times within 16 and 32 bits.
    const records: RequestRecord[] = [];
    for (let i = 0; i < 200; i++)
      records.push({
        ...RECORDS[i % 2]!,
        id: i % 3 === 0 ? `mirror-${i}` : `req-${String(40000 + i).padStart(6, '0')}`,
        from: `caller-${i}`,
        startMs: i + 0.25,
        endMs: 3e9 + i,
        status: i % 2 ? 503 : 200,
        tries: [
          { attempt: 1, pod: 'b-0', status: 503, startMs: 1000 + i, endMs: 100000 + i, failure: true },
          { attempt: 2, pod: null, status: 0, startMs: -5, endMs: -5 },
        ],
      });
    const table = new RequestTable();
    for (const r of records) table.add(r);
    const report = { version: 1, requests: table.list() };
    const { packed, transfer } = packReport(report);
    const p = packed.packedRequests!;
    const kind = (c: ArrayLike<number>): string => c.constructor.name;
    expect([p.requestInts.id, p.requestInts.from, p.requestInts.to, p.requestInts.status, p.requestInts.attempts].map(kind)).toEqual([
      'Int32Array',
      'Int16Array',
      'Int8Array',
      'Int16Array',
      'Int8Array',
    ]);
    expect([p.requestFloats.startMs, p.requestFloats.endMs, p.tryFloats.startMs, p.tryFloats.endMs].map(kind)).toEqual([
      'Float64Array',
      'Float64Array',
      'Int16Array',
      'Int32Array',
    ]);
    // Each at its length: the buffers hold the rows written, no room to grow.
    for (const c of [...Object.values(p.requestInts), ...Object.values(p.requestFloats), p.requestBytes]) {
      expect(c.length).toBe(200);
      expect(c.buffer.byteLength).toBe(c.byteLength);
    }
    for (const c of [...Object.values(p.tryInts), ...Object.values(p.tryFloats), p.tryBytes]) expect(c.length).toBe(400);
    // A table read back takes more rows: its narrow columns widen again.
    const more = RequestTable.unpack(structuredClone(p));
    const back = unpackReport(structuredClone(packed, { transfer }));
    expect(back.requests.map((r) => r)).toEqual(records);
    expect(JSON.stringify(back.requests)).toBe(JSON.stringify(records));
    more.add({ ...RECORDS[0]!, id: 'req-900000', startMs: 0.125, endMs: 5e9 });
    expect(more.list().map((r) => r)).toEqual([...records, { ...RECORDS[0]!, id: 'req-900000', startMs: 0.125, endMs: 5e9 }]);
  });

  it('packs an empty table, which takes rows again afterwards', () => {
    const { packed, transfer } = new RequestTable().pack();
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true);
    const table = RequestTable.unpack(structuredClone(packed, { transfer }));
    expect(table.list()).toHaveLength(0);
    for (const r of RECORDS) table.add(r);
    expect(table.list().map((r) => r)).toEqual(RECORDS);
  });
});
