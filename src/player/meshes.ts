/** The meshes a learner can pick, by id and name, read from the mesh profiles. */
import { PROFILES } from '../mesh/index.ts';

/** A mesh a learner can pick. */
export interface MeshChoice {
  id: string;
  name: string;
}

/** The meshes the player can simulate, in the order the switch shows them. */
export const MESHES: readonly MeshChoice[] = Object.values(PROFILES).map((p) => ({ id: p.id, name: p.name }));

/** The mesh switch's extra choice: every mesh side by side under one playhead. */
export const COMPARE = 'compare';

/** A mesh's name (`Istio`), or the id itself when unknown. */
export function meshName(id: string): string {
  return MESHES.find((m) => m.id === id)?.name ?? id;
}

/** The meshes a choice simulates: one, or all of them for compare. */
export function meshesOf(choice: string): string[] {
  return choice === COMPARE ? MESHES.map((m) => m.id) : [choice];
}
