/**
 * The native resources in effect for a run — the file's own and those generated from policies —
 * for the YAML pane. Writing them needs the YAML writer, so the page imports this module only
 * when it shows them.
 */
import type { LoadedScenario } from '../scenario/index.ts';
import { effectiveResources, profileById, type EffectiveResource } from '../mesh/index.ts';

/** The resources in effect for `scenario` (as simulated) under `mesh`; none for a mesh that does not exist. */
export function resourcesOf(scenario: LoadedScenario, mesh: string): EffectiveResource[] {
  const profile = profileById(mesh);
  return profile ? effectiveResources(scenario, profile) : [];
}
