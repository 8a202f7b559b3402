// Show time's slots numbered only while their conversation or instant lives (placeSlots.ts): the same show maps as slots never reused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/player/index.ts';
import { buildShowMap, buildSharedShowMaps, flightSpan, showAtTime, type ShowMap } from '../../src/player/pace.ts';
import { SlotTable } from '../../src/player/pairTable.ts';
import { FLIGHT, arrivalsOf, factsOf } from '../../src/player/paceFacts.ts';
import { instantsOf } from '../../src/player/paceInstants.ts';
import { slotsOf } from '../../src/player/placeSlots.ts';
import { flightEndAt, instantIndex } from '../../src/player/showTime.ts';
import type { Trace } from '../../src/sim/index.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';
import { flight, traceOf } from './fixtures.ts';

/** A small deterministic generator (the tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

const request = (f: ReturnType<typeof flight>, requestId: string): ReturnType<typeof flight> => ({ ...f, requestId }) as ReturnType<typeof flight>;

/** Where two show maps first differ ('' where they do not): every array value by value (NaN equal to NaN), the rest as JSON. */
function difference(a: ShowMap, b: ShowMap): string {
  // Each flight's end, however it is kept (pace.ts keeps them as lengths when it can).
  const ends = (m: ShowMap): Float64Array => Float64Array.from(m.flightSeqs, (seq, k) => flightEndAt(m, k, m.eventShow[seq]!));
  for (const key of ['instantMs', 'startShow', 'holdShow', 'eventShow', 'flightSeqs', 'ends'] as const) {
    const x = key === 'ends' ? ends(a) : a[key];
    const y = key === 'ends' ? ends(b) : b[key];
    if (x.length !== y.length) return `${key}: ${x.length} values, ${y.length}`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${key}[${i}]: ${x[i]}, ${y[i]}`;
  }
  const rest = (m: ShowMap): string => JSON.stringify([m.endShow, m.fastForwards, m.folds]);
  return rest(a) === rest(b) ? '' : `${rest(a)}, ${rest(b)}`;
}

describe('SlotTable', () => {
  it('gives each live pair its own number, the same each time, marks a first ask, and reuses the numbers of released heads', () => {
    const next = lcg(5);
    const table = new SlotTable(4);
    // The model: each live head's pairs and their numbers, and each number's pair.
    const live = new Map<number, Map<number, number>>();
    const owner = new Map<number, string>();
    let alive = 0;
    let most = 0;
    for (let k = 0; k < 20_000; k++) {
      const head = Math.floor(next() * 300);
      if (next() < 0.1) {
        table.release(head);
        for (const number of live.get(head)?.values() ?? []) owner.delete(number);
        alive -= live.get(head)?.size ?? 0;
        live.delete(head);
        continue;
      }
      const node = Math.floor(next() * 6);
      const pairs = live.get(head) ?? live.set(head, new Map()).get(head)!;
      const got = table.slot(head, node);
      const known = pairs.get(node);
      if (known !== undefined) {
        if (got !== known) expect(`${head},${node}: ${got}`).toBe(`${head},${node}: ${known}`);
        continue;
      }
      // A first ask: a number no live pair has.
      if (got >= 0 || owner.has(-got - 1)) expect(`${head},${node}: ${got} (${owner.get(-got - 1)})`).toBe(`${head},${node}: a new number`);
      pairs.set(node, -got - 1);
      owner.set(-got - 1, `${head},${node}`);
      most = Math.max(most, ++alive);
    }
    // Numbers were reused: no more of them than pairs alive at once.
    expect(table.size).toBe(most);
  });
});

describe('show time on reused slots', () => {
  describe('when a request starts where an earlier one, lagging, has just ended', () => {
    // r1 hands its request to its sidecar (a moment) and on to b (shown at least flightMinShowMs):
    // it ends late in show time. r2 starts half a millisecond later at the same nodes, on the
    // slots r1's pairs let go.
    const trace = traceOf([
      request(flight('a/app', 'a/proxy', 0, 0), 'r1'),
      request(flight('a/proxy', 'b/proxy', 0, 1), 'r1'),
      request(flight('a/app', 'a/proxy', 0.5, 0.5), 'r2'),
      request(flight('a/proxy', 'b/proxy', 0.5, 1.5), 'r2'),
    ]);
    const map = buildShowMap(trace.events, trace.durationMs);

    it('starts the later request at its own time: nothing the earlier one left on the slots holds it back', () => {
      expect(flightSpan(map, 1).end).toBeGreaterThan(showAtTime(map, 0.5));
      expect(flightSpan(map, 2).start).toBe(showAtTime(map, 0.5));
      expect(flightSpan(map, 3).start).toBe(flightSpan(map, 2).end);
    });

    it('places every event as on slots never reused', () => {
      expect(difference(map, buildShowMap(trace.events, trace.durationMs, false))).toBe('');
    });
  });

  describe('when more pairs are alive at once than a width holds', () => {
    // `count` requests, each a flight from a to b arriving after all of them have left, and one back:
    // 2 × count conversation pairs and count (arrival instant, b) pairs alive together.
    for (const [count, widths] of [
      [100, ['Int16Array', 'Uint8Array']],
      [300, ['Int16Array', 'Uint16Array']],
      [70_000, ['Int32Array', 'Int32Array']],
    ] as const)
      it(`${count} requests at once: slots in ${widths.join(' and ')}`, () => {
        const later = count + 10;
        // Labels in letters, all different: nothing repeats, so nothing folds.
        const label = (i: number): string => [...String(i)].map((d) => String.fromCharCode(97 + Number(d))).join('');
        const there = [...Array(count).keys()].map((i) => request(flight('a/proxy', 'b/proxy', i, later + i, label(i)), `r${i}`));
        const back = [...Array(count).keys()].map((i) => request(flight('b/proxy', 'a/proxy', later + i, later + i + 0.5, label(i)), `r${i}`));
        const trace = traceOf([...there, ...back], 2 * later);
        const f = factsOf(trace.events);
        const instantMs = instantsOf([f], trace.durationMs);
        f.arriveAfter = arrivalsOf(f, instantMs);
        const slots = slotsOf(f, instantMs, []);
        expect([slots.source.constructor.name, slots.atSource.constructor.name]).toEqual(widths);
        // Placed on them as on slots never reused (the largest only numbered: looking for its folds takes seconds).
        if (count > 1000) return;
        const map = buildShowMap(trace.events, trace.durationMs);
        expect(map.folds).toEqual([]);
        expect(difference(map, buildShowMap(trace.events, trace.durationMs, false))).toBe('');
      });
  });

  describe('on library runs and a load', () => {
    const runs = (file: string, text: string): Trace[] =>
      ['istio', 'linkerd', 'ambient'].flatMap((mesh) => {
        const run = runScenario({ text, file, mesh });
        return run.ok ? [run.trace] : [];
      });
    const cases: [string, string][] = [
      ...['retries-flaky-pod', 'mtls-handshake', 'certificate-rotation', 'circuit-breaking-pool'].map((name): [string, string] => [
        `scenarios/${name}.yaml`,
        readFileSync(`scenarios/${name}.yaml`, 'utf8'),
      ]),
      // Thousands of requests: never reused, their slots pass 16 bits.
      ['load.yaml', loadScenarioYaml(20, 3, 1000, 5)],
    ];
    for (const [file, text] of cases)
      it(`${file}: the same show maps as on slots never reused, alone and in compare mode`, () => {
        const traces = runs(file, text);
        expect(traces.length).toBeGreaterThan(1);
        for (const { events, durationMs } of traces) expect(difference(buildShowMap(events, durationMs), buildShowMap(events, durationMs, false))).toBe('');
        const all = traces.map((trace) => trace.events);
        const durationMs = Math.max(...traces.map((trace) => trace.durationMs));
        const apart = buildSharedShowMaps(all, durationMs, false);
        expect(buildSharedShowMaps(all, durationMs).map((m, k) => difference(m, apart[k]!))).toEqual(all.map(() => ''));
      });
  });
});

describe('arrivalsOf', () => {
  // A flight arriving `gap` instants after its own, one each millisecond between, one arriving before its time.
  for (const [gap, width] of [
    [1, Int8Array],
    [300, Int16Array],
    [40_000, Int32Array],
  ] as const)
    it(`counts each arrival's instant from its flight's (${gap} instants later: ${width.name})`, () => {
      const events = [flight('a/proxy', 'b/proxy', 0, gap), flight('b/proxy', 'a/proxy', 0.5, 0.25)];
      for (let t = 1; t < gap; t++) events.push(flight('a/app', 'a/proxy', t, t + 0.5));
      const trace = traceOf(events, gap + 10);
      const f = factsOf(trace.events);
      const instantMs = Float64Array.from(new Set([0, trace.durationMs, ...events.flatMap((e) => [e.t, e.arriveMs])])).sort();
      const after = arrivalsOf(f, instantMs);
      const want: number[] = [];
      for (let i = 0; i < f.t.length; i++) if (f.flags[i]! & FLIGHT) want.push(instantIndex(instantMs, f.arrive[i]!) - instantIndex(instantMs, f.t[i]!));
      expect(after).toBeInstanceOf(width);
      expect([...after]).toEqual(want);
      expect(want.slice(0, 2)).toEqual([instantMs.indexOf(gap), -1]);
    });
});
