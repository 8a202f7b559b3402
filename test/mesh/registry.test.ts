import { describe, expect, it } from 'vitest';
import { MESH_CATALOG } from '../../src/scenario/index.ts';
import { PROFILES, isConnectionMesh, loadProfile, loadedProfile, meshTraits } from '../../src/mesh/index.ts';

describe('mesh traits (what the page knows of a mesh before loading its profile)', () => {
  for (const { id } of MESH_CATALOG) {
    it(`${id}: name, plane, data plane modes and releases are the profile's`, () => {
      const profile = PROFILES[id]!;
      const traits = meshTraits(id)!;
      expect(traits.id).toBe(profile.id);
      expect(traits.name).toBe(profile.name);
      expect(traits.plane === 'connections').toBe(isConnectionMesh(profile));
      expect(traits.dataPlaneModes ?? ['sidecar']).toEqual(isConnectionMesh(profile) ? ['sidecar'] : (profile.dataPlaneModes ?? ['sidecar']));
      expect({ known: [...traits.release.known], default: traits.release.default }).toEqual({
        known: [...profile.release.known],
        default: profile.release.default,
      });
    });
  }

  it('an unknown mesh has no traits and loads no profile', async () => {
    expect(meshTraits('meshy')).toBeUndefined();
    expect(await loadProfile('meshy')).toBeUndefined();
    expect(loadedProfile('meshy')).toBeUndefined();
  });
});

describe('loadProfile', () => {
  it('loads each shipped profile, the same object the static list holds, and keeps it', async () => {
    for (const { id } of MESH_CATALOG) {
      const p = await loadProfile(id);
      expect(p).toBe(PROFILES[id]);
      expect(loadedProfile(id)).toBe(p);
    }
  });
});
