/**
 * The meshes a learner can pick, by id and name, read from the mesh catalog; and compare mode's
 * panes: 2 to {@link MAX_PANES} meshes side by side (`mesh=compare&with=a,b,c`), the first being
 * the reference the others are compared with. A mesh may appear twice.
 */
import { COMPARE_PANES, meshCatalog } from '../scenario/index.ts';
import { meshTraits } from '../mesh/index.ts';

/** A mesh a learner can pick, and the releases of it mesh-sim models. */
export interface MeshChoice {
  id: string;
  name: string;
  /** Releases a learner can pick (`?istio=1.23`), oldest first. */
  releases: readonly string[];
  /** The current line: what runs unless the scenario or the learner picks another. */
  defaultRelease: string;
}

/**
 * The meshes the player can simulate, in the order the switch shows them: the catalog's, each with
 * its releases (its traits: no profile is loaded for this). Read when this module loads, so a mesh registered at run time must be
 * registered first — as a build's `MESH_SIM_EXTENSIONS` are, imported before anything else.
 */
export const MESHES: readonly MeshChoice[] = meshCatalog().map((m) => {
  const release = meshTraits(m.id)!.release;
  return { id: m.id, name: m.name, releases: release.known, defaultRelease: release.default };
});

/** The mesh switch's extra choice: meshes side by side under one playhead. */
export const COMPARE = 'compare';

/** Compare mode shows at least this many panes… */
export const MIN_PANES = COMPARE_PANES.min;
/**
 * …and at most this many: two in a row, three or four in two rows of two, five or six in two rows
 * of three (a pane too small for its whole picture follows the current step's nodes).
 */
export const MAX_PANES = COMPARE_PANES.max;

/**
 * The panes of `mesh=compare` without `with`: the first two meshes of the list, which is what
 * compare has always meant (the two meshes mesh-sim started with), whatever meshes come later.
 */
export const DEFAULT_PANES: readonly string[] = MESHES.slice(0, MIN_PANES).map((m) => m.id);

/** A mesh's name (`Istio`), or the id itself when unknown. */
export function meshName(id: string): string {
  return MESHES.find((m) => m.id === id)?.name ?? id;
}

/** The meshes a choice simulates, one per pane: the mesh itself, or compare's panes (by default {@link DEFAULT_PANES}). */
export function meshesOf(choice: string, panes?: readonly string[]): string[] {
  return choice === COMPARE ? [...(panes ?? DEFAULT_PANES)] : [choice];
}

/**
 * Each pane's name: the mesh's name, numbered when a mesh is on screen more than once
 * (`Istio #1`, `Linkerd`, `Istio #2`), so every pane can be told apart in text.
 */
export function paneNames(meshes: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return meshes.map((m) => {
    const n = (seen.get(m) ?? 0) + 1;
    seen.set(m, n);
    return meshes.filter((x) => x === m).length > 1 ? `${meshName(m)} #${n}` : meshName(m);
  });
}

/**
 * Checks compare's panes as a URL, an embed or a host page gives them: `mesh` (undefined when not
 * given) and the `with` list. Returns the panes, or a problem in words that names the allowed
 * ids (the caller adds which parameter or field it was). Without `with`, compare shows
 * {@link DEFAULT_PANES}. `known`: the mesh ids allowed (by default every mesh's).
 */
export function checkPanes(
  mesh: string | undefined,
  given: readonly string[] | undefined,
  known: readonly string[] = MESHES.map((m) => m.id),
): { ok: true; panes: string[] } | { ok: false; problem: string } {
  const choices = (): string => known.join(', ');
  if (given === undefined) return { ok: true, panes: meshesOf(mesh ?? known[0]!) };
  if (mesh !== COMPARE)
    return {
      ok: false,
      problem: `lists the meshes compare mode shows side by side, so it needs mesh=${COMPARE} (${mesh === undefined ? 'no mesh is given' : `mesh is ${JSON.stringify(mesh)}`})`,
    };
  const unknown = given.filter((id) => !known.includes(id));
  if (unknown.length)
    return {
      ok: false,
      problem: `${unknown.map((id) => `unknown mesh ${JSON.stringify(id)}`).join(', ')}; give ${MIN_PANES} to ${MAX_PANES} of ${choices()}, comma-separated (a mesh may appear twice)`,
    };
  if (given.length < MIN_PANES || given.length > MAX_PANES)
    return {
      ok: false,
      problem: `lists ${given.length} mesh${given.length === 1 ? '' : 'es'}; compare shows ${MIN_PANES} to ${MAX_PANES} side by side: give ${MIN_PANES} to ${MAX_PANES} of ${choices()}, comma-separated`,
    };
  return { ok: true, panes: [...given] };
}

/** A `with` parameter's text as a list (`istio,linkerd` → two ids; spaces around commas are dropped). */
export function splitPanes(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

/**
 * Compare's panes with `mesh` shown (`on`: added as the last pane) or taken away (every pane of
 * it); null when that would leave fewer than {@link MIN_PANES} or more than {@link MAX_PANES}
 * panes, or change nothing. The first pane stays the reference unless it is the one taken away.
 */
export function togglePane(panes: readonly string[], mesh: string, on: boolean): string[] | null {
  const shown = panes.includes(mesh);
  if (on === shown) return null;
  const next = on ? [...panes, mesh] : panes.filter((m) => m !== mesh);
  return next.length < MIN_PANES || next.length > MAX_PANES ? null : next;
}

/** Compare's panes with pane `i` made the reference (moved first, the others in their order). */
export function withReference(panes: readonly string[], i: number): string[] {
  if (i <= 0 || i >= panes.length) return [...panes];
  return [panes[i]!, ...panes.slice(0, i), ...panes.slice(i + 1)];
}
