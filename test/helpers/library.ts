/** The scenario library (scenarios/*.yaml) as the tests that walk it read it. */
import { readdirSync, readFileSync } from 'node:fs';
import { comparePanes, offeredMeshes } from '../../src/player/run.ts';
import { loadScenarioOrThrow, type LoadedScenario } from '../../src/scenario/index.ts';

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
