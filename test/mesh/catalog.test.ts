import { describe, expect, it } from 'vitest';
import { MESH_CATALOG, meshCatalog, nativeSection } from '../../src/scenario/index.ts';
import { MESH_IDS, PROFILES, linkerdProfile, profileById, registerMesh } from '../../src/mesh/index.ts';

describe('the mesh catalog and the mesh profiles', () => {
  it('list the same meshes, in the same order', () => {
    expect(Object.keys(PROFILES)).toEqual(MESH_CATALOG.map((m) => m.id));
    expect(MESH_IDS).toEqual(MESH_CATALOG.map((m) => m.id));
  });

  it('agree on each mesh’s name and section, and the section exists', () => {
    for (const m of MESH_CATALOG) {
      const p = profileById(m.id)!;
      expect([p.id, p.name, p.resourcesKey]).toEqual([m.id, m.name, m.section]);
      expect(nativeSection(p.resourcesKey), m.id).toBeDefined();
    }
  });

  it('know no mesh by an inherited name', () => {
    expect(profileById('constructor')).toBeUndefined();
    expect(profileById('toString')).toBeUndefined();
  });
});

describe('registerMesh', () => {
  it('refuses a profile that disagrees with its entry, and registers nothing', () => {
    const entry = { id: 'meshy', name: 'Meshy', section: 'linkerd' };
    expect(() => registerMesh(entry, { ...linkerdProfile, id: 'other' })).toThrow(
      'profile other (section linkerd) does not match catalog entry meshy (section linkerd)',
    );
    expect(() => registerMesh(entry, { ...linkerdProfile, id: 'meshy', resourcesKey: 'istio' })).toThrow(
      'profile meshy (section istio) does not match catalog entry meshy (section linkerd)',
    );
    expect(() => registerMesh({ ...entry, id: 'linkerd' }, linkerdProfile)).toThrow('mesh id "linkerd" is taken');
    expect(meshCatalog()).toEqual(MESH_CATALOG);
    expect(Object.keys(PROFILES)).toEqual(MESH_CATALOG.map((m) => m.id));
  });
});
