import { describe, expect, it } from 'vitest';
import { TraceStore, type TraceEvent } from '../../src/sim/index.ts';
import { packStore } from '../../src/sim/tracePack.ts';

const cause = { config: 'Istio default', isDefault: true, source: 'FIDELITY B1' };

/** Events of every kind, with ids the store keeps as numbers and ids it must keep as written. */
const EVENTS: TraceEvent[] = [
  { type: 'flight', t: 1, seq: 0, id: 'f-1', kind: 'tcp', from: 'a/proxy', to: 'b/proxy', departMs: 1, arriveMs: 3, label: 'SYN' },
  {
    type: 'flight',
    t: 2,
    seq: 1,
    id: 'f-007',
    kind: 'tls',
    from: 'a/proxy',
    to: 'b/proxy',
    departMs: 2,
    arriveMs: 4,
    label: 'ClientHello',
    detail: { sni: 'x' },
  },
  {
    type: 'flight',
    t: 3,
    seq: 2,
    id: 'nsm-9',
    kind: 'grpc',
    from: 'a',
    to: 'b',
    departMs: 1,
    arriveMs: 5,
    label: 'Request',
    requestId: 'req-1',
    attempt: 2,
    mtls: false,
    status: 503,
  },
  {
    type: 'flight',
    t: 4,
    seq: 3,
    id: 'f-0',
    kind: 'http-request',
    from: 'a',
    to: 'b',
    departMs: 4,
    arriveMs: 4,
    label: 'GET /',
    requestId: 'req-000012',
    mtls: true,
  },
  {
    type: 'transition',
    t: 5,
    seq: 4,
    entity: 'conn:a→b#1',
    machine: 'tlsConnection',
    node: 'a/proxy',
    peer: 'b/proxy',
    from: null,
    to: 'idle',
    cause: 'start',
  },
  { type: 'transition', t: 5, seq: 5, entity: 'a', machine: 'workload', node: 'a/app', from: 'pending', to: 'starting', cause: 'pod.started' },
  {
    type: 'decision',
    t: 6,
    seq: 6,
    node: 'a/proxy',
    layer: 'retry',
    kind: 'retry',
    summary: 'retry 1 of 2',
    cause,
    requestId: 'req-000000',
    attempt: 1,
    data: { retry: 1 },
  },
  { type: 'decision', t: 6, seq: 7, node: 'a/proxy', layer: 'route', kind: 'route', summary: 'to b', cause },
  {
    type: 'request',
    phase: 'start',
    t: 7,
    seq: 8,
    requestId: 'req-000013',
    from: 'a-0',
    to: 'b',
    node: 'a/app',
    method: 'GET',
    path: '/',
    headers: {},
    bodyBytes: 0,
  },
  {
    type: 'request',
    phase: 'start',
    t: 7,
    seq: 9,
    requestId: 'mirror-1',
    from: 'a-0',
    to: 'b',
    node: 'a/app',
    method: 'POST',
    path: '/x',
    headers: { 'x-a': '1' },
    bodyBytes: 10,
    connection: 'traffic[0]#1',
  },
  { type: 'request', phase: 'end', t: 9, seq: 10, requestId: 'req-000013', node: 'a/app', status: 200, attempts: 1, latencyMs: 2, mtls: true },
  { type: 'request', phase: 'end', t: 9, seq: 11, requestId: 'mirror-1', node: 'a/app', status: 0, attempts: 2, latencyMs: 2.5, mtls: false, reason: 'reset' },
  { type: 'narration', t: 10, seq: 12, text: 'hello', node: 'a/app' },
  { type: 'narration', t: 11, seq: 13, text: 'bye' },
];

describe('TraceStore', () => {
  it('gives back every kind of event as it was recorded, ids written as numbers or not', () => {
    const store = new TraceStore(4); // small first chunk: events span several chunks
    for (const e of EVENTS) store.push(e);
    store.seal();
    expect(EVENTS.map((_, i) => store.plain(i))).toEqual(EVENTS);
    expect(store.views().map((v) => JSON.parse(JSON.stringify(v)))).toEqual(JSON.parse(JSON.stringify(EVENTS)));
  });

  it('records a flight, a decision and a transition from their fields as push does from the event', () => {
    const store = new TraceStore();
    store.pushFlight(1, 1, 'tcp', 'a/proxy', 'b/proxy', 3, 'SYN', undefined, undefined, undefined, undefined, undefined);
    store.pushFlight(2, 7, 'tls', 'a/proxy', 'b/proxy', 4, 'ClientHello', 'req-000012', 1, true, 503, { sni: 'x' });
    store.pushDecision(6, 'a/proxy', 'retry', 'retry', 'retry 1 of 2', cause, 'req-000000', 1, { retry: 1 });
    store.pushTransition(5, 'conn:a→b#1', 'tlsConnection', 'a/proxy', 'b/proxy', null, 'idle', 'start');
    store.seal();
    expect([0, 1, 2, 3].map((i) => store.plain(i))).toEqual([
      { type: 'flight', t: 1, seq: 0, id: 'f-1', kind: 'tcp', from: 'a/proxy', to: 'b/proxy', departMs: 1, arriveMs: 3, label: 'SYN' },
      {
        type: 'flight',
        t: 2,
        seq: 1,
        id: 'f-7',
        kind: 'tls',
        from: 'a/proxy',
        to: 'b/proxy',
        departMs: 2,
        arriveMs: 4,
        label: 'ClientHello',
        requestId: 'req-000012',
        attempt: 1,
        mtls: true,
        status: 503,
        detail: { sni: 'x' },
      },
      {
        type: 'decision',
        t: 6,
        seq: 2,
        node: 'a/proxy',
        layer: 'retry',
        kind: 'retry',
        summary: 'retry 1 of 2',
        cause,
        requestId: 'req-000000',
        attempt: 1,
        data: { retry: 1 },
      },
      {
        type: 'transition',
        t: 5,
        seq: 3,
        entity: 'conn:a→b#1',
        machine: 'tlsConnection',
        node: 'a/proxy',
        peer: 'b/proxy',
        from: null,
        to: 'idle',
        cause: 'start',
      },
    ]);
  });

  it('records a transition from interned ids as pushTransition does from its names', () => {
    const byName = new TraceStore();
    byName.pushTransition(5, 'conn:a→b#1', 'tlsConnection', 'a/proxy', 'b/proxy', 'idle', 'tcpHandshake', 'tcp.syn');
    byName.pushTransition(6, 'conn:a→b#1', 'tlsConnection', 'a/proxy', undefined, null, 'idle', 'start');
    const byId = new TraceStore();
    const [entity, machine, node, peer] = [byId.str('conn:a→b#1'), byId.str('tlsConnection'), byId.str('a/proxy'), byId.str('b/proxy')];
    byId.pushTransitionIds(5, entity, machine, node, peer, byId.str('idle'), byId.str('tcpHandshake'), byId.str('tcp.syn'));
    byId.pushTransitionIds(6, entity, machine, node, -1, -1, byId.str('idle'), byId.str('start'));
    expect(
      byId
        .seal()
        .views()
        .map((v) => JSON.parse(JSON.stringify(v))),
    ).toEqual(
      byName
        .seal()
        .views()
        .map((v) => JSON.parse(JSON.stringify(v))),
    );
  });

  it('records a flight from interned ids and a detail row as pushFlight does from its names, tables in the same order', () => {
    const hello = { sni: 'b.default.svc' };
    const byName = new TraceStore();
    byName.pushFlight(1, 1, 'tcp', 'a/proxy', 'b/proxy', 3, 'SYN', undefined, undefined, undefined, undefined, undefined);
    byName.pushFlight(3, 2, 'tls', 'a/proxy', 'b/proxy', 4, 'ClientHello', undefined, undefined, undefined, undefined, hello);
    byName.pushFlight(4, 3, 'tls', 'b/proxy', 'a/proxy', 5, 'ClientHello', undefined, undefined, undefined, undefined, hello);
    const byId = new TraceStore();
    const [a, b] = [byId.str('a/proxy'), byId.str('b/proxy')];
    byId.pushFlightIds(1, 1, byId.str('tcp'), a, b, 3, byId.str('SYN'), -1);
    const [tls, label, row] = [byId.str('tls'), byId.str('ClientHello'), byId.detailRow(hello)];
    byId.pushFlightIds(3, 2, tls, a, b, 4, label, row);
    byId.pushFlightIds(4, 3, tls, b, a, 5, label, row);
    const plain = (s: TraceStore) =>
      s
        .seal()
        .views()
        .map((v) => JSON.parse(JSON.stringify(v)));
    expect(plain(byId)).toEqual(plain(byName));
    expect(byId.strings).toEqual(byName.strings);
    expect(byId.objects).toEqual(byName.objects);
  });

  it('gives a string one id whether a summary (strRare) or an event (str) interns it first, also in a store sharing the tables', () => {
    const store = new TraceStore();
    const early = store.str('b/proxy');
    store.pushDecision(1, 'a/proxy', 'loadBalance', 'endpoint', 'b/proxy', cause, 'req-1', 1, undefined);
    const summary = store.strRare('b-0: b-0 has 0 active, b-1 has 1');
    expect(store.strRare('b/proxy')).toBe(early);
    expect(store.str('b-0: b-0 has 0 active, b-1 has 1')).toBe(summary);
    expect(store.strRare('b-0: b-0 has 0 active, b-1 has 1')).toBe(summary);
    const more = store.seal(true).sharingTables();
    expect(more.str('b-0: b-0 has 0 active, b-1 has 1')).toBe(summary);
    expect(more.strRare('c/proxy')).toBe(store.strings.length - 1);
    expect(more.str('c/proxy')).toBe(store.strings.length - 1);
    expect(new Set(store.strings).size).toBe(store.strings.length);
    // Read back from another thread: the maps are rebuilt, the ids stay.
    const back = TraceStore.fromPacked(structuredClone(packStore(store).packed));
    expect(back.strRare('b-0: b-0 has 0 active, b-1 has 1')).toBe(summary);
    expect(back.str('c/proxy')).toBe(store.strings.indexOf('c/proxy'));
  });

  it('keeps one row per flight detail object, shared by every flight that carries it', () => {
    const store = new TraceStore();
    const hello = { sni: 'b.default.svc' };
    for (let f = 1; f <= 3; f++) store.pushFlight(f, f, 'tls', 'a/proxy', 'b/proxy', f + 1, 'ClientHello', undefined, undefined, undefined, undefined, hello);
    store.pushFlight(4, 4, 'tls', 'a/proxy', 'b/proxy', 5, 'ClientHello', undefined, undefined, undefined, undefined, { sni: 'c.default.svc' });
    store.seal();
    // Two details, two rows (a wrapper kept per flight was four).
    expect(store.objects).toHaveLength(2);
    expect([0, 1, 2, 3].map((i) => (store.plain(i) as { detail?: unknown }).detail)).toEqual([hello, hello, hello, { sni: 'c.default.svc' }]);
    expect(JSON.stringify(store.views())).toContain('"detail":{"sni":"b.default.svc"}');
  });

  it('keeps each column as narrow as its values, widening it without changing a value', () => {
    const store = new TraceStore(16); // several chunks: a column widens in a later chunk than the first
    const events: TraceEvent[] = [];
    for (let k = 0; k < 40_000; k++) {
      // 40,000 distinct labels: string ids pass Int8 (127) and Int16 (32,767) along the way.
      events.push({ type: 'narration', t: k, seq: events.length, text: `line ${k}` });
      if (k % 1000 === 0) events.push({ ...(EVENTS[0] as TraceEvent & { type: 'flight' }), seq: events.length, t: k, departMs: k, arriveMs: k + 2 });
    }
    // Times with a fraction and past Int32: the column goes to Float64.
    events.push({ type: 'narration', t: 40_000.5, seq: events.length, text: 'half' });
    events.push({ type: 'narration', t: 2 ** 33, seq: events.length, text: 'far' });
    events.push({ ...(EVENTS[9] as TraceEvent & { type: 'request' }), seq: events.length, t: 2 ** 33 + 0.5, bodyBytes: 70_000 } as TraceEvent);
    for (const e of events) store.push(e);
    store.seal();
    expect(store.g.BYTES_PER_ELEMENT).toBe(1); // never set
    expect(store.a.BYTES_PER_ELEMENT).toBe(4);
    expect(store.t.BYTES_PER_ELEMENT).toBe(8);
    expect(store.e.BYTES_PER_ELEMENT).toBe(4); // the body past Int16
    expect(events.map((_, i) => store.plain(i))).toEqual(events);
    const back = TraceStore.fromPacked(structuredClone(packStore(store).packed));
    expect(back.a.BYTES_PER_ELEMENT).toBe(4);
    expect(events.map((_, i) => back.plain(i))).toEqual(events);
  });

  it('gives each part back as soon as it is joined, and never a part that is the joined column itself', () => {
    // transfer(0) as the engines that have it do (Chromium; not Node 20): the buffer is detached and reads empty.
    const released: number[] = [];
    const proto = ArrayBuffer.prototype as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
    const had = Object.getOwnPropertyDescriptor(proto, 'transfer');
    Object.defineProperty(proto, 'transfer', {
      configurable: true,
      writable: true,
      value(this: ArrayBuffer): ArrayBuffer {
        released.push(this.byteLength);
        structuredClone(this, { transfer: [this] });
        return new ArrayBuffer(0);
      },
    });
    try {
      // 5,000 events: chunks of 16, 32, … 4,096 events, nine parts of each of the 12 columns and of the types.
      const store = new TraceStore(16);
      const events: TraceEvent[] = [];
      for (let k = 0; k < 5000; k++) events.push({ ...EVENTS[k % EVENTS.length]!, seq: k, t: k % 7 ? k : k + 0.5 } as TraceEvent);
      for (const e of events) store.push(e);
      store.seal();
      expect(released).toHaveLength(13 * 9);
      expect(events.map((_, i) => store.plain(i))).toEqual(events);
      // One chunk: each column is its one part, kept.
      released.length = 0;
      const short = new TraceStore();
      for (const e of EVENTS) short.push(e);
      short.seal();
      expect(EVENTS.map((_, i) => short.plain(i))).toEqual(EVENTS);
      expect(TraceStore.fromPacked(structuredClone(packStore(short).packed)).plain(0)).toEqual(EVENTS[0]);
    } finally {
      if (had) Object.defineProperty(proto, 'transfer', had);
      else delete proto.transfer;
    }
  });

  it('crosses to another thread as buffers and appends again after', () => {
    const store = new TraceStore();
    for (const e of EVENTS) store.push(e);
    const { packed } = packStore(store);
    const back = TraceStore.fromPacked(structuredClone(packed));
    expect(EVENTS.map((_, i) => back.plain(i))).toEqual(EVENTS);
    const more = back.sharingTables();
    more.copyRange(back, 4, 5);
    more.push(EVENTS[0]!);
    more.seal();
    expect([more.plain(0), more.plain(1)]).toEqual([
      { ...EVENTS[4], seq: 0 },
      { ...EVENTS[0], seq: 1 },
    ]);
  });
  it('copies a range of rows (tables shared) as pushing them one by one does, across chunks and column widths', () => {
    const source = new TraceStore(16);
    const events: TraceEvent[] = [];
    // 300 events of every kind, times whole (narrowed) then fractional past Int32 (Float64).
    for (let k = 0; k < 300; k++) events.push({ ...EVENTS[k % EVENTS.length]!, seq: k, t: k < 200 ? k : 2 ** 33 + k / 4 } as TraceEvent);
    for (const e of events) source.push(e);
    source.seal(true);
    const oneByOne = source.sharingTables(16);
    const ranges = source.sharingTables(16);
    const line = (t: number): TraceEvent => ({ type: 'narration', t, seq: 0, text: `line at ${t}` });
    // Runs of rows with lines between them, crossing the chunks' 16, 32, 64 and 128 boundaries.
    const cuts = [0, 1, 15, 17, 50, 130, 131, 299, 300];
    for (let c = 0; c + 1 < cuts.length; c++) {
      for (let i = cuts[c]!; i < cuts[c + 1]!; i++) oneByOne.push(source.plain(i));
      ranges.copyRange(source, cuts[c]!, cuts[c + 1]!);
      oneByOne.push(line(cuts[c + 1]!));
      ranges.push(line(cuts[c + 1]!));
    }
    oneByOne.seal();
    ranges.seal();
    expect(ranges.length).toBe(300 + cuts.length - 1);
    const plains = (s: TraceStore): TraceEvent[] => Array.from({ length: s.length }, (_, i) => s.plain(i));
    expect(plains(ranges)).toEqual(plains(oneByOne));
    // And every source row is there, each followed by the line after its run.
    const expected: TraceEvent[] = [];
    for (let i = 0; i < 300; i++) {
      expected.push({ ...source.plain(i), seq: expected.length } as TraceEvent);
      if (cuts.includes(i + 1)) expected.push({ ...line(i + 1), seq: expected.length });
    }
    expect(plains(ranges)).toEqual(expected);
  });
});
