/**
 * Reading a loaded scenario by the catalog: the meshes it is written for, and a native section's
 * resources by key — for code that must not name a mesh or a section (the simulation, the
 * command line, the player).
 */
import type { LoadedScenario } from './load.ts';

/**
 * The meshes a scenario is written for: its `meshes` list, else the meshes its `expect` names
 * (empty when it names none — then any mesh may run it, and `check` has nothing to compare).
 */
export function namedMeshes(scenario: Pick<LoadedScenario, 'meshes' | 'expect'>): string[] {
  return scenario.meshes ? [...scenario.meshes] : Object.keys(scenario.expect).filter((m) => scenario.expect[m] !== undefined);
}

/**
 * The resources of section `key` in a scenario or in one of its `changes` (undefined when the
 * change brings none); a section registered at run time is read the same way as a shipped one.
 */
export function sectionResources(holder: object, key: string): readonly unknown[] | undefined {
  const list = (holder as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : undefined;
}
