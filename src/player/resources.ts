/**
 * The native resources in effect for a run — the file's own and those generated from policies —
 * for the YAML pane. Writing them needs the YAML writer, so the page imports this module only
 * when it shows them.
 */
import type { LoadedScenario } from '../scenario/index.ts';
import { effectiveResources, loadProfile, loadedProfile, type EffectiveResource } from '../mesh/index.ts';

/**
 * Null when the profiles of `meshes` are loaded, else their loading: a run made when the site was
 * built ran no profile (runner.ts), so the pane waits for it before {@link resourcesOf}.
 */
export function profilesLoading(meshes: readonly string[]): Promise<unknown> | null {
  const missing = meshes.filter((m) => !loadedProfile(m));
  return missing.length ? Promise.all(missing.map(loadProfile)) : null;
}

/**
 * The resources in effect for `scenario` (as simulated) under `mesh`, a mesh that ran (its profile
 * is loaded: the runner loads it, `runScenario` has them all); throws for one whose profile is not.
 */
export function resourcesOf(scenario: LoadedScenario, mesh: string): EffectiveResource[] {
  const profile = loadedProfile(mesh);
  if (!profile) throw new Error(`resourcesOf: the profile of mesh "${mesh}" is not loaded (it has not run here)`);
  return effectiveResources(scenario, profile);
}
