/**
 * Prints a hash of every library scenario's trace (its events, as canonical JSON with sorted
 * keys) and of its run report, under each mesh the scenario names (`meshes`, else `expect`; all
 * meshes when it names none). A refactor that must not change behaviour shows the same lines before and
 * after: `npm run trace-hashes > before.txt`, change, `npm run trace-hashes -- --compare before.txt`.
 * With `--steps` it also hashes the sentences a learner reads: each run's steps in the player, and
 * the merged steps of compare mode over the scenario's meshes (pass `--steps` to both runs).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScenario, formatProblem, namedMeshes } from '../../src/scenario/index.ts';
import { simulate, PROFILES } from '../../src/mesh/index.ts';
import { Player } from '../../src/player/index.ts';
import type { Trace } from '../../src/sim/index.ts';
import { canonical } from './canonical.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A hash of the steps a player shows for `traces` (one, or compare mode's panes): index, rank, kind, times, nodes and sentence. */
function stepsHash(traces: Trace[]): string {
  const player = new Player(traces);
  return hash(
    player.steps
      .map((s) => `${s.index} ${s.seq} ${s.pane ?? ''} ${s.kind} ${s.showMs} ${s.timeMs} ${s.nodes.join(',')} ${s.decision ?? ''} ${s.text}`)
      .join('\n'),
  );
}

export function traceHashes(dir = join(ROOT, 'scenarios'), steps = false): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()) {
    const file = join(dir, name);
    const loaded = parseScenario(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    const named = namedMeshes(loaded.scenario);
    const meshes = named.length > 0 ? named : Object.keys(PROFILES);
    const traces: Trace[] = [];
    for (const mesh of meshes) {
      const profile = PROFILES[mesh];
      if (!profile) continue;
      const { trace, report } = simulate(loaded.scenario, profile);
      lines.push(`${name} ${mesh} events=${hash(canonical(trace.events))} report=${hash(canonical(report))} n=${trace.events.length}`);
      if (steps) lines.push(`${name} ${mesh} steps=${stepsHash([trace])}`);
      traces.push(trace);
    }
    if (steps && traces.length > 1) lines.push(`${name} compare steps=${stepsHash(traces)}`);
  }
  return lines;
}

const args = process.argv.slice(2);
const lines = traceHashes(undefined, args.includes('--steps'));
const at = args.indexOf('--compare');
if (at >= 0) {
  const before = new Set(
    readFileSync(args[at + 1]!, 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  const changed = lines.filter((l) => !before.has(l));
  for (const l of changed) console.log(`changed: ${l}`);
  console.log(`${lines.length - changed.length} of ${lines.length} identical`);
  process.exit(changed.length ? 1 : 0);
} else {
  for (const l of lines) console.log(l);
}
