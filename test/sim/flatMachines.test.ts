import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { AnyStateMachine } from 'xstate';
import {
  Scheduler,
  TraceRecorder,
  chartGraph,
  chartRunsFlat,
  flatTable,
  flatTableOf,
  machineGraph,
  runsFlat,
  startChartActor,
  startRecordedActor,
  startXstateActor,
  type Chart,
  type RecordedActor,
} from '../../src/sim/index.ts';
import {
  CHARTS,
  MACHINES,
  certificateMachine,
  endpointHealthMachine,
  proxyConfigMachine,
  tlsConnectionChart,
  tlsConnectionMachine,
  workloadMachine,
} from '../../src/mesh/machines/index.ts';
import { registrationMachine, vwireMachine } from '../../src/mesh/profiles/nsm/vwireMachine.ts';

type Start<M> = (m: M, o: Parameters<typeof startRecordedActor>[1]) => RecordedActor;

/** Runs `events` (with a stop before the event at `stopAt`) through one runner; the transitions it records, as plain events. */
function record<M>(start: Start<M>, machine: M, events: string[], stopAt: number, peer?: string): unknown[] {
  const scheduler = new Scheduler();
  const recorder = new TraceRecorder();
  const actor = start(machine, { scheduler, recorder, entity: 'e', node: 'n', ...(peer === undefined ? {} : { peer }) });
  events.forEach((type, i) => {
    if (i === stopAt) actor.stop();
    scheduler.runUntil(i * 10);
    actor.send({ type });
  });
  recorder.store.seal();
  return Array.from({ length: recorder.store.length }, (_, i) => recorder.store.plain(i));
}

/** Every event a machine names, and one it does not. */
function eventsOf(machine: AnyStateMachine): string[] {
  return [...new Set(machineGraph(machine).transitions.map((t) => t.event)), 'proxy.stopped', 'not.an.event'];
}

describe('flat machines run from a lookup table', () => {
  // xstate warns (in development builds) about each event sent to an actor in a final state or stopped.
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('runs the connection, pod, proxy-config and endpoint-health machines flat, the certificate machine through xstate', () => {
    expect([tlsConnectionMachine, workloadMachine, proxyConfigMachine, endpointHealthMachine].map(runsFlat)).toEqual([true, true, true, true]);
    expect(runsFlat(certificateMachine)).toBe(false);
  });

  for (const machine of [...MACHINES, vwireMachine, registrationMachine].filter(runsFlat)) {
    it(`records what the xstate actor records for any events sent to ${machine.id}`, () => {
      const names = eventsOf(machine);
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...names), { maxLength: 30 }),
          fc.integer({ min: 0, max: 40 }),
          fc.constantFrom(undefined, 'peer', ''),
          (events, stopAt, peer) => {
            expect(record(startRecordedActor, machine, events, stopAt, peer)).toEqual(record(startXstateActor, machine, events, stopAt, peer));
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});

describe('an actor whose other end changes (peerWith)', () => {
  /** A vWire's events, the endpoint named before each `connected` (FIDELITY-MORE K4: a heal joins another endpoint). */
  function wired(start: Start<typeof vwireMachine>): unknown[] {
    const scheduler = new Scheduler();
    const recorder = new TraceRecorder();
    const actor = start(vwireMachine, { scheduler, recorder, entity: 'vwire:c', node: 'c/app' }) as ReturnType<typeof startRecordedActor>;
    const steps: [string, string?][] = [['request'], ['connected', 'a/app'], ['liveness.failed'], ['connected', 'b/app'], ['refresh'], ['refreshed']];
    steps.forEach(([type, peer], i) => {
      scheduler.runUntil(i * 10);
      if (peer) actor.peerWith(peer);
      actor.send({ type } as never);
    });
    recorder.store.seal();
    return Array.from({ length: recorder.store.length }, (_, i) => recorder.store.plain(i));
  }

  it('records the new peer from its next transition on, flat as through xstate', () => {
    const flat = wired(startRecordedActor);
    expect(flat).toEqual(wired(startXstateActor));
    expect(flat.map((e) => [(e as { to: string }).to, (e as { peer?: string }).peer])).toEqual([
      ['idle', undefined],
      ['requesting', undefined],
      ['up', 'a/app'],
      ['healing', 'a/app'],
      ['up', 'b/app'],
      ['refreshing', 'b/app'],
      ['up', 'b/app'],
    ]);
  });
});

describe("a flat actor keeps its states' ids per trace store", () => {
  it('records the right names in two stores whose string tables differ, actors of one chart in each', () => {
    const events = ['tcp.syn', 'tls.clientHello', 'tls.serverFinished', 'tls.clientFinished', 'connection.closed'];
    const run = (recorder: TraceRecorder, entity: string): void => {
      const actor = startChartActor(tlsConnectionChart, { scheduler: new Scheduler(), recorder, entity, node: 'n' });
      for (const type of events) actor.send({ type } as never);
    };
    const read = (recorder: TraceRecorder, from: number, to: number): unknown[] =>
      Array.from({ length: to - from }, (_, i) => {
        const { seq: _seq, ...rest } = recorder.store.plain(from + i) as unknown as Record<string, unknown>;
        return rest;
      });
    const a = new TraceRecorder();
    const b = new TraceRecorder();
    // Store b holds other strings first, so the same names get other ids there.
    for (const s of ['x', 'y', 'established', 'z']) b.store.str(s);
    // Two actors in each store: the second reads the ids the first interned in its store.
    for (const r of [a, b, a, b]) run(r, 'conn-1');
    a.store.seal();
    b.store.seal();
    const n = a.store.length / 2;
    const inA = read(a, 0, n);
    expect(read(a, n, 2 * n)).toEqual(inA);
    expect(read(b, 0, n)).toEqual(inA);
    expect(read(b, n, 2 * n)).toEqual(inA);
    expect(inA.map((e) => (e as { to: string }).to)).toEqual(['idle', 'tcpHandshake', 'clientHelloSent', 'serverAuthenticated', 'established', 'closed']);
  });

  it('records a unique entity as any other, its name in the string table but not in the interning map', () => {
    const record = (uniqueEntity: boolean): TraceRecorder => {
      const recorder = new TraceRecorder();
      for (const [i, peer] of ['p', 'q'].entries()) {
        const actor = startChartActor(tlsConnectionChart, {
          scheduler: new Scheduler(),
          recorder,
          entity: `conn:n→${peer}#${i + 1}`,
          uniqueEntity,
          node: 'n',
          peer,
        });
        actor.send({ type: 'tcp.syn' });
      }
      return recorder;
    };
    const [unique, interned] = [record(true), record(false)];
    expect(unique.store.strings).toEqual(interned.store.strings);
    // Interning a unique entity's name again would make a second id: nothing does (the caller's promise).
    const id = unique.store.strings.indexOf('conn:n→q#2');
    expect(unique.store.str('conn:n→q#2')).not.toBe(id);
    expect(interned.store.str('conn:n→q#2')).toBe(interned.store.strings.indexOf('conn:n→q#2'));
    for (const r of [unique, interned]) r.store.seal();
    const plain = (r: TraceRecorder) => r.store.views().map((v) => JSON.parse(JSON.stringify(v)));
    expect(plain(unique)).toEqual(plain(interned));
  });

  it('looks up only its node and peer once an actor of its machine has started in the store (the initial state and `start` once)', () => {
    const recorder = new TraceRecorder();
    const scheduler = new Scheduler();
    const start = (peer: string, i: number) =>
      startChartActor(tlsConnectionChart, { scheduler, recorder, entity: `conn:n→${peer}#${i}`, uniqueEntity: true, node: 'n', peer });
    start('p', 1);
    const str = vi.spyOn(recorder.store, 'str');
    const second = start('q', 2);
    expect(str.mock.calls.map(([s]) => s)).toEqual(['n', 'q']);
    expect([second.node, second.peer]).toEqual([recorder.store.strings.indexOf('n'), recorder.store.strings.indexOf('q')]);
    recorder.store.seal();
    expect(recorder.store.plain(1)).toMatchObject({ type: 'transition', entity: 'conn:n→q#2', node: 'n', peer: 'q', from: null, to: 'idle', cause: 'start' });
  });
});

describe('the engine runs and draws its machines from charts, without xstate', () => {
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('has one chart per xstate machine, in the same order, and the xstate machines are made from them', () => {
    expect(CHARTS.map((c) => c.id)).toEqual(MACHINES.map((m) => m.id));
    MACHINES.forEach((m, i) => expect(m.config).toMatchObject(CHARTS[i] as object));
  });

  it('runs the connection, pod, proxy-config and endpoint-health charts flat, and not the certificate chart', () => {
    expect(CHARTS.map(chartRunsFlat)).toEqual(MACHINES.map(runsFlat));
    expect(CHARTS.filter(chartRunsFlat).map((c) => c.id)).toEqual(['workload', 'tlsConnection', 'proxyConfig', 'endpointHealth']);
    expect(() => startChartActor(CHARTS[1] as Chart, { scheduler: new Scheduler(), recorder: new TraceRecorder(), entity: 'e', node: 'n' })).toThrow(
      /not flat/,
    );
  });

  CHARTS.forEach((chart, i) => {
    const machine = MACHINES[i]!;
    it(`draws ${chart.id} as the inspector drew its xstate machine, and reads the same lookup table off it`, () => {
      expect(chartGraph(chart)).toEqual(machineGraph(machine));
      expect(flatTableOf(chart)).toEqual(flatTable(machine));
    });
    if (!chartRunsFlat(chart)) return;
    it(`records what the xstate actor records for any events sent to the ${chart.id} chart`, () => {
      const names = eventsOf(machine);
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...names), { maxLength: 30 }),
          fc.integer({ min: 0, max: 40 }),
          fc.constantFrom(undefined, 'peer', ''),
          (events, stopAt, peer) => {
            expect(record(startChartActor as Start<Chart>, chart, events, stopAt, peer)).toEqual(record(startXstateActor, machine, events, stopAt, peer));
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
