/**
 * Checks of the meshes a scenario names that the schema cannot make: `meshes` lists each mesh
 * once, what the file expects or narrates of a mesh is among them, and `compare` opens only meshes
 * the scenario is written for. Reads the raw data defensively, like the other reference checks.
 */
import type { PathProblem } from './load.ts';
import { describe } from './units.ts';
import { isObj, list, type Obj, unique } from './raw.ts';
import { meshCatalog } from './catalog.ts';

/**
 * `compare` lists meshes compare mode opens with: each a mesh the scenario is written for (its
 * `meshes`, else what `expect` names, when either names any) — the same one twice is allowed (two
 * releases of a mesh side by side are picked in the app, not here).
 */
function checkCompare(data: Obj, problems: PathProblem[]): void {
  if (!Array.isArray(data.compare)) return;
  const ids = meshCatalog().map((m) => m.id);
  const written = Array.isArray(data.meshes)
    ? data.meshes.filter((m): m is string => typeof m === 'string')
    : isObj(data.expect)
      ? Object.keys(data.expect)
      : [];
  const known = written.filter((m) => ids.includes(m));
  if (known.length === 0) return;
  data.compare.forEach((m, i) => {
    if (typeof m === 'string' && ids.includes(m) && !known.includes(m))
      problems.push({ path: ['compare', i], message: `is a mesh the scenario is not written for (${known.join(', ')}): compare could not show it` });
  });
}

/**
 * `meshes` lists the meshes the scenario is written for: each once, and what the file expects or
 * narrates of a mesh must be among them (`check` would never run it, the line would never show).
 */
export function checkMeshes(data: Obj, problems: PathProblem[]): void {
  checkCompare(data, problems);
  unique(list(data.meshes), ['meshes'], undefined, undefined, (id) => `names mesh ${describe(id)} a second time`, problems);
  if (!Array.isArray(data.meshes)) return;
  const ids = meshCatalog().map((m) => m.id);
  const named = data.meshes.filter((m): m is string => typeof m === 'string' && ids.includes(m));
  if (named.length === 0) return;
  const outside = (mesh: unknown): mesh is string => typeof mesh === 'string' && ids.includes(mesh) && !named.includes(mesh);
  if (isObj(data.expect))
    for (const mesh of Object.keys(data.expect).filter(outside))
      problems.push({
        atKey: true,
        path: ['expect', mesh],
        message: `is for a mesh that meshes does not list (${named.join(', ')}): add it there, or check never runs it`,
      });
  list(data.narration).forEach((n, i) => {
    if (isObj(n) && outside(n.mesh))
      problems.push({ path: ['narration', i, 'mesh'], message: `is a mesh that meshes does not list (${named.join(', ')}): the line would never show` });
  });
}
