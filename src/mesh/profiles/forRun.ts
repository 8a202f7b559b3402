/**
 * Which release of its mesh a run models: the URL's choice, else the scenario's `meshVersions`,
 * else the profile as given (the current line, unless the caller picked another).
 */
import type { LoadedScenario, MeshVersions } from '../../scenario/index.ts';
import { fileCause } from '../cause.ts';
import type { MeshProfile } from './types.ts';

export function profileForRun(scenario: LoadedScenario, profile: MeshProfile, versions: MeshVersions = {}): MeshProfile {
  // Releases are keyed by the mesh family, which is its section (Istio's modes share Istio's releases).
  const mesh = profile.resourcesKey;
  const chosen = (versions as Readonly<Record<string, string | undefined>>)[mesh];
  if (chosen !== undefined)
    return profile.atRelease(chosen, {
      config: `${profile.name} ${chosen}, chosen in the URL (${mesh}=${chosen})`,
      isDefault: false,
      source: 'the learner picked the release (URL parameter)',
    });
  const declared = (scenario.meshVersions as Readonly<Record<string, string | undefined>> | undefined)?.[mesh];
  if (declared !== undefined)
    return profile.atRelease(
      declared,
      fileCause(scenario, `${profile.name} ${declared} (meshVersions.${mesh})`, `meshVersions.${mesh}`, 'the scenario picks the release (meshVersions)'),
    );
  return profile;
}
