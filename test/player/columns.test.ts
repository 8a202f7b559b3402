/**
 * Indexing reads a trace's columns (src/player/columns.ts) instead of its event views: the same
 * run indexed from its columns and from plain events (a trace read back from JSON, which has no
 * columns behind it) gives the same steps, show times and badges, and each event's badge read
 * from the columns is the one its event raises.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player, runScenario } from '../../src/player/index.ts';
import { badgeAt, badgeOf } from '../../src/player/badges.ts';
import { storeOf } from '../../src/player/columns.ts';
import type { Trace } from '../../src/sim/index.ts';

function run(file: string, mesh: string): Trace {
  const o = runScenario({ text: readFileSync(`scenarios/${file}`, 'utf8'), file, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('; '));
  return o.trace;
}

const RUNS: [string, string][] = [
  ['retry-storm.yaml', 'istio'],
  ['outlier-vs-failure-accrual.yaml', 'linkerd'],
  ['certificate-rotation.yaml', 'istio'],
];

describe('indexing from the columns', () => {
  it.each(RUNS)('%s under %s: every badge read from the columns is the one its event raises', (file, mesh) => {
    const trace = run(file, mesh);
    const store = storeOf(trace.events);
    expect(store.length).toBe(trace.events.length);
    let badges = 0;
    for (let i = 0; i < store.length; i++) {
      const expected = badgeOf(store.plain(i));
      expect(badgeAt(store, i)).toEqual(expected);
      if (expected) badges++;
    }
    expect(badges).toBeGreaterThan(0);
  });

  it.each(RUNS)('%s under %s: plain events (no columns behind them) index as the recorded trace does', (file, mesh) => {
    const trace = run(file, mesh);
    const plain: Trace = JSON.parse(JSON.stringify(trace)) as Trace;
    const a = new Player(trace);
    const b = new Player(plain);
    const summary = (p: Player): string[] => p.steps.map((s) => `${s.seq} ${s.kind} ${s.showMs} ${s.timeMs} ${s.nodes.join(',')} ${s.text}`);
    expect(summary(b)).toEqual(summary(a));
    expect(b.timeline.badges).toEqual(a.timeline.badges);
    expect(Array.from(b.timeline.show.eventShow)).toEqual(Array.from(a.timeline.show.eventShow));
    expect(b.timeline.edges.at(trace.durationMs / 2)).toEqual(a.timeline.edges.at(trace.durationMs / 2));
  });

  it('refuses events out of seq order, naming the event', () => {
    const trace = run('retry-storm.yaml', 'istio');
    const plain = JSON.parse(JSON.stringify(trace)) as Trace;
    plain.events = [plain.events[1]!, plain.events[0]!, ...plain.events.slice(2)];
    expect(() => new Player(plain)).toThrow(/event 0 has seq 1/);
  });
});
