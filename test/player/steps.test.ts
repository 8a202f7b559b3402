/**
 * Steps write their sentence when first read, and compare mode's merged list wraps each pane's
 * steps instead of copying them. What a learner reads must not change: every step of every
 * library scenario, alone and in compare mode, against the list built the plain way — every
 * step event in (show time, seq) order (compare: by rank), its sentence written at once; a
 * folded run (folds.ts) is its first step event, read as the fold.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Player, runScenario, runnableMeshes, PANE_STRIDE } from '../../src/player/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { paneNames } from '../../src/player/meshes.ts';
import { foldText, isStep, StepWriter } from '../../src/player/steps.ts';
import type { Trace } from '../../src/sim/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Plain {
  seq: number;
  pane: number | undefined;
  kind: string;
  showMs: number;
  timeMs: number;
  text: string;
  nodes: string[];
  decision: string | undefined;
}

/** The steps of `traces` built eagerly, from the player's own show times. */
function plainSteps(player: Player, traces: Trace[]): Plain[] {
  const names = paneNames(traces.map((t) => t.mesh));
  const out: Plain[] = [];
  traces.forEach((trace, pane) => {
    const writer = new StepWriter(trace);
    const show = player.timelines[pane]!.show;
    const taken = new Set<number>();
    for (const e of trace.events) {
      if (!isStep(e)) continue;
      const fold = show.folds.find((f) => f.fromSeq <= e.seq && e.seq <= f.toSeq);
      if (fold && taken.has(fold.fromSeq)) continue;
      if (fold) taken.add(fold.fromSeq);
      const text = fold ? foldText(fold) : writer.text(e);
      out.push({
        seq: traces.length > 1 ? pane * PANE_STRIDE + e.seq : e.seq,
        pane: traces.length > 1 ? pane : undefined,
        kind: e.type,
        showMs: show.eventShow[e.seq]!,
        timeMs: e.t,
        text: traces.length > 1 ? `${names[pane]}: ${text}` : text,
        nodes: e.type === 'flight' ? [e.from, e.to] : 'node' in e && e.node ? [e.node] : [],
        decision: e.type === 'decision' && !fold ? e.kind : undefined,
      });
    }
  });
  return out.sort((a, b) => a.showMs - b.showMs || a.seq - b.seq);
}

describe('steps written when read', () => {
  for (const name of FILES) {
    it(`${name}: every step, alone and in compare mode, reads as when written at once`, () => {
      const file = `scenarios/${name}`;
      const text = readFileSync(join(ROOT, file), 'utf8');
      const loaded = parseScenario(text, file);
      if (!loaded.ok) throw new Error(`${file} does not load`);
      // Every mesh that can run it: an NSM scenario runs only under NSM, an HTTP one under the HTTP meshes.
      const traces = runnableMeshes(loaded.scenario).map((mesh) => {
        const o = runScenario({ text, file, mesh });
        if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('; '));
        return o.trace;
      });
      for (const set of [...traces.map((t) => [t]), traces]) {
        const player = new Player(set);
        const got = player.steps.map((s, i) => {
          expect(s.index).toBe(i);
          return { seq: s.seq, pane: s.pane, kind: s.kind, showMs: s.showMs, timeMs: s.timeMs, text: s.text, nodes: [...s.nodes], decision: s.decision };
        });
        expect(got).toEqual(plainSteps(player, set));
      }
    });
  }
});
