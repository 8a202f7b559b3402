/** The scenario library (scenarios/*.yaml) as the tests that walk it read it. */
import { readdirSync, readFileSync } from 'node:fs';
import { loadScenarioOrThrow, type LoadedScenario } from '../../src/scenario/index.ts';

/** Every library scenario, by id (its file's name without `.yaml`), loaded. */
export function libraryScenarios(): { id: string; scenario: LoadedScenario }[] {
  return readdirSync('scenarios')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ id: f.slice(0, -'.yaml'.length), scenario: loadScenarioOrThrow(readFileSync(`scenarios/${f}`, 'utf8'), f) }));
}
