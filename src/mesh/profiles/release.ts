/**
 * A profile's release: which line of its mesh a run models, out of the ones mesh-sim knows
 * (src/scenario/meshReleases.ts), and who picked it.
 */
import type { Cause } from '../../sim/index.ts';
import { MESH_RELEASES, type ReleaseMesh } from '../../scenario/index.ts';
import { defaultCause } from '../cause.ts';
import type { MeshRelease } from './types.ts';

/** `mesh`'s release `version` (the current line when unset); throws for one mesh-sim does not model. */
export function meshRelease(mesh: ReleaseMesh, name: string, version?: string, cause?: Cause): MeshRelease {
  const line = MESH_RELEASES[mesh];
  const v = version ?? line.default;
  if (!(line.known as readonly string[]).includes(v)) throw new Error(`${name} ${v} is not a release mesh-sim models (${line.known.join(', ')})`);
  const label = `${name} ${v}`;
  return {
    version: v,
    known: line.known,
    default: line.default,
    label,
    cause: cause ?? defaultCause(`${label}, the current release line mesh-sim models`, 'src/scenario/meshReleases.ts: the default release'),
  };
}
