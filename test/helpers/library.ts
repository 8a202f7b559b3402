/** The scenario library (scenarios/*.yaml) as the tests that walk it read it. */
import { readdirSync, readFileSync } from 'node:fs';
import { comparePanes, offeredMeshes } from '../../src/player/run.ts';
import { runScenario, type RunOutcome } from '../../src/player/index.ts';
import { loadScenarioOrThrow, type LoadedScenario, type MeshVersions } from '../../src/scenario/index.ts';

/** Every library scenario, by id (its file's name without `.yaml`), loaded. */
export function libraryScenarios(): { id: string; scenario: LoadedScenario }[] {
  return readdirSync('scenarios')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ id: f.slice(0, -'.yaml'.length), scenario: loadScenarioOrThrow(readFileSync(`scenarios/${f}`, 'utf8'), f) }));
}

/** Every library scenario offered under two meshes or more, with the panes compare opens it with. */
export function compareLibrary(): { id: string; scenario: LoadedScenario; panes: string[] }[] {
  return libraryScenarios()
    .map((s) => ({ ...s, panes: comparePanes(s.scenario, offeredMeshes(s.scenario)) }))
    .filter((s) => s.panes.length >= 2);
}

/**
 * Library file `file` (`scenarios/retries-flaky-pod.yaml`) simulated under `mesh` in Node, as the
 * page simulates it: what a test compares the page's figures with. Throws with the file's problems.
 */
export function simulateFile(file: string, mesh: string, versions: MeshVersions = {}): Extract<RunOutcome, { ok: true }> {
  const o = runScenario({ text: readFileSync(file, 'utf8'), file, mesh, versions });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
}
