/**
 * Mesh profiles loaded on demand. The page simulates one or a few meshes, so it loads a profile
 * (its compile, control plane, identity, data plane…) only when a run needs it: {@link loadProfile}
 * imports it, then {@link loadedProfile} hands it out synchronously. What the mesh switch and the
 * offer of meshes need before any run — names, planes, data plane modes, releases — is in
 * {@link meshTraits}, static and small. src/mesh/profiles/index.ts still imports every shipped
 * profile at once (`PROFILES`, `profileById`) for the command line, the library and the tests.
 */
import { MESH_RELEASES, type MeshId } from '../../scenario/index.ts';
import type { AnyMeshProfile } from './types.ts';

/**
 * What is known of a mesh without loading its profile. A profile carries the same fields with the
 * same values (test/mesh/registry.test.ts checks), so a function reading only these accepts either.
 */
export interface MeshTraits {
  readonly id: string;
  readonly name: string;
  /** `connections` for a connection mesh (NSM, FIDELITY-MORE K1); unset for a request mesh. */
  readonly plane?: 'connections';
  /** The data planes a service may ask for (see `MeshProfile.dataPlaneModes`); `['sidecar']` when unset. */
  readonly dataPlaneModes?: readonly ('sidecar' | 'ambient')[];
  /** The releases a learner can pick, oldest first, and the current line. */
  readonly release: { readonly known: readonly string[]; readonly default: string };
}

/** FIDELITY-MORE K1: NSM's one release line read, v1.15.0 (no release picker). */
export const NSM_RELEASE = { known: ['1.15'], default: '1.15' } as const;

/** The shipped meshes' traits, by catalog id. */
const SHIPPED: Record<MeshId, MeshTraits> = {
  istio: { id: 'istio', name: 'Istio', release: MESH_RELEASES.istio },
  linkerd: { id: 'linkerd', name: 'Linkerd', release: MESH_RELEASES.linkerd },
  // FIDELITY-MORE H8: Istio ambient mixes ztunnel (ambient) pods and sidecar pods; it shares Istio's releases.
  ambient: { id: 'ambient', name: 'Istio ambient', dataPlaneModes: ['ambient', 'sidecar'], release: MESH_RELEASES.istio },
  consul: { id: 'consul', name: 'Consul', release: MESH_RELEASES.consul },
  // FIDELITY-MORE J1: archived — the catalog's name says so in the switch.
  osm: { id: 'osm', name: 'OSM (archived)', release: MESH_RELEASES.osm },
  // FIDELITY-MORE K1: a connection mesh (vWires), not an HTTP proxy mesh.
  nsm: { id: 'nsm', name: 'Network Service Mesh', plane: 'connections', release: NSM_RELEASE },
};

/** How each shipped profile is loaded: a chunk of its own in the page. */
const LOADERS: Record<MeshId, () => Promise<AnyMeshProfile>> = {
  istio: async () => (await import('./istio.ts')).istioProfile,
  linkerd: async () => (await import('./linkerd.ts')).linkerdProfile,
  ambient: async () => (await import('./ambient.ts')).ambientProfile,
  consul: async () => (await import('./consul.ts')).consulProfile,
  osm: async () => (await import('./osm.ts')).osmProfile,
  nsm: async () => (await import('./nsm.ts')).nsmProfile,
};

/** Profiles at hand: loaded shipped ones, and those registered at run time. */
const loaded = new Map<string, AnyMeshProfile>();

/** The traits of mesh `id` (shipped, or registered at run time); undefined for an unknown id. */
export function meshTraits(id: string): MeshTraits | undefined {
  if (Object.hasOwn(SHIPPED, id)) return SHIPPED[id as MeshId];
  const p = loaded.get(id);
  return (
    p && {
      id: p.id,
      name: p.name,
      ...('plane' in p ? { plane: p.plane } : {}),
      ...('dataPlaneModes' in p ? { dataPlaneModes: p.dataPlaneModes } : {}),
      release: p.release,
    }
  );
}

/** The profile of mesh `id` if it is loaded (or registered); undefined otherwise — see {@link loadProfile}. */
export function loadedProfile(id: string): AnyMeshProfile | undefined {
  return loaded.get(id);
}

/** Loads mesh `id`'s profile (once); undefined for an id with no profile. */
export async function loadProfile(id: string): Promise<AnyMeshProfile | undefined> {
  const have = loaded.get(id);
  if (have || !Object.hasOwn(LOADERS, id)) return have;
  const profile = await LOADERS[id as MeshId]();
  loaded.set(id, profile);
  return profile;
}

/** Makes profiles at hand without loading: the shipped ones a caller imported already, or one registered at run time. */
export function keepProfiles(profiles: Iterable<AnyMeshProfile>): void {
  for (const p of profiles) loaded.set(p.id, p);
}
