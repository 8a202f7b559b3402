/**
 * The mesh profiles, by id: one for each entry of the mesh catalog (src/scenario/catalog.ts).
 * Adding a shipped mesh is its folder here, its line below, its traits and loader in registry.ts
 * (the page's way to them: one profile loaded per mesh run) and its catalog entry; a mesh can also
 * be added at run time with {@link registerMesh} (README "Adding a mesh").
 */
import { addToCatalog, meshCatalog, type MeshEntry, type MeshId, type NativeSection } from '../../scenario/index.ts';
import type { AnyMeshProfile, MeshProfile } from './types.ts';
import { istioProfile } from './istio.ts';
import { linkerdProfile } from './linkerd.ts';
import { ambientProfile } from './ambient.ts';
import { consulProfile } from './consul.ts';
import { osmProfile } from './osm.ts';
import { nsmProfile } from './nsm.ts';
import { keepProfiles } from './registry.ts';

/** Every profile by id: the shipped ones (one per catalog id — the type says so), then the registered ones. */
export const PROFILES: Record<string, AnyMeshProfile> = {
  istio: istioProfile,
  linkerd: linkerdProfile,
  ambient: ambientProfile,
  consul: consulProfile,
  osm: osmProfile,
  nsm: nsmProfile,
} satisfies Record<MeshId, AnyMeshProfile>;

/** Every mesh id, in the catalog's order. Live: a mesh registered later is added to this array. */
export const MESH_IDS: string[] = meshCatalog().map((m) => m.id);

export function profileById(id: string): AnyMeshProfile | undefined {
  return Object.hasOwn(PROFILES, id) ? PROFILES[id] : undefined;
}

/**
 * Adds a mesh at run time: its catalog entry (and its native section when it brings a new one)
 * and its profile. From then on scenarios accept its section, `expect` key and narration `mesh:`
 * value, the command line takes `--mesh <id>`, and the player offers it. Register before loading
 * scenarios (a module loaded with `node --import`, or listed in `MESH_SIM_EXTENSIONS` for a
 * build). Throws when the entry and the profile disagree or the id or section is taken.
 */
export function registerMesh(entry: MeshEntry, profile: MeshProfile, section?: NativeSection): void {
  if (profile.id !== entry.id || profile.resourcesKey !== entry.section)
    throw new Error(`profile ${profile.id} (section ${profile.resourcesKey}) does not match catalog entry ${entry.id} (section ${entry.section})`);
  addToCatalog(entry, section);
  PROFILES[entry.id] = profile;
  // The page finds it without loading (src/mesh/profiles/registry.ts).
  keepProfiles([profile]);
  MESH_IDS.push(entry.id);
}

export { istioProfile, linkerdProfile, ambientProfile, consulProfile, osmProfile, nsmProfile };
export { isConnectionMesh } from './types.ts';
export { loadProfile, loadedProfile, keepProfiles, meshTraits, type MeshTraits } from './registry.ts';
export type { MeshProfile, MeshId, AnyMeshProfile };
