/** The mesh profiles, by id. Adding a mesh is adding a file here. */
import type { MeshProfile } from './types.ts';
import { istioProfile } from './istio.ts';
import { linkerdProfile } from './linkerd.ts';

export const PROFILES: Record<string, MeshProfile> = { istio: istioProfile, linkerd: linkerdProfile };

export type MeshId = 'istio' | 'linkerd';
export const MESH_IDS = Object.keys(PROFILES) as MeshId[];

export function profileById(id: string): MeshProfile | undefined {
  return PROFILES[id];
}

export { istioProfile, linkerdProfile };
export type { MeshProfile };
