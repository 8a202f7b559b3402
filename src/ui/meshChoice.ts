/**
 * Which meshes are on screen: the mesh switch's choice (a mesh, or compare) and the pane each
 * mesh has, kept to the meshes the open scenario is written for. The app asks it what to simulate
 * and tells it what a run offered; it holds no picture and runs nothing.
 */
import { COMPARE, DEFAULT_PANES, MAX_PANES, MESHES, MIN_PANES, meshName, meshesOf } from '../player/index.ts';

export class MeshChoice {
  /** The switch's choice: a mesh id, or {@link COMPARE}. */
  mesh = MESHES[0]!.id;
  /** The mesh of each pane: the mesh, or compare mode's 2–6 (the first is the reference). */
  panes: string[] = [MESHES[0]!.id];
  /** The meshes the open scenario is written for (the switch offers only these); null before the first run. */
  offered: string[] | null = null;
  /** The meshes compare mode opens the open scenario with (its `compare`, else the first two offered); null before the first run. */
  comparePair: string[] | null = null;
  /** Whether the learner (or the URL's `with`) chose compare's panes: else they follow the scenario's {@link comparePair}. */
  private panesChosen = false;
  /** Which of `mesh` and `with` the URL gave, until the first run has checked them against the scenario. */
  private fromUrl: { mesh: boolean; with: boolean } = { mesh: false, with: false };

  /** What the URL asks for (`mesh`, `with`), checked against the scenario by the first {@link fit}. */
  fromLink(mesh: string | undefined, withPanes: readonly string[] | undefined): void {
    this.fromUrl = { mesh: mesh !== undefined, with: withPanes !== undefined };
    this.panesChosen = withPanes !== undefined;
    if (mesh) this.mesh = mesh;
    this.panes = meshesOf(this.mesh, withPanes);
  }

  /**
   * Chooses `mesh` (for compare, `panes`: 2–6 meshes; by default the panes shown already, or the
   * scenario's pair, or {@link DEFAULT_PANES}). Whether anything changed; throws when a mesh is one
   * the open scenario (`scenario`) is not written for.
   */
  choose(mesh: string, panes: readonly string[] | undefined, scenario: string | undefined): boolean {
    const offered = this.offered;
    const compareDefault = this.comparePair ?? (offered && offered.length >= MIN_PANES ? offered.slice(0, MIN_PANES) : DEFAULT_PANES);
    const next = meshesOf(mesh, panes ?? (mesh === this.mesh ? this.panes : compareDefault));
    const bad = offered ? next.filter((m) => !offered.includes(m)) : [];
    // The switch offers no such button; a host page's setMesh hears why.
    if (bad.length && scenario !== undefined) throw new Error(`mesh: ${scenario} is written for ${offered!.join(', ')}, not ${[...new Set(bad)].join(', ')}`);
    if (mesh === this.mesh && next.join() === this.panes.join()) return false;
    if (panes) this.panesChosen = true;
    this.mesh = mesh;
    this.panes = next;
    return true;
  }

  /**
   * Moves the panes that show a mesh scenario `key` is not written for to meshes it is (compare
   * keeps two or more of them, else shows the first). Whether it moved any, and what to tell the
   * learner when the URL asked for them.
   */
  fit(key: string, offered: readonly string[]): { moved: boolean; error?: string } {
    const fromUrl = this.fromUrl;
    this.fromUrl = { mesh: false, with: false };
    // Compare's panes nobody chose are the ones the scenario names (Istio with Istio ambient for an ambient lesson).
    const pair = this.comparePair;
    if (this.mesh === COMPARE && !this.panesChosen && pair && pair.length >= MIN_PANES && pair.join() !== this.panes.join()) {
      this.panes = [...pair];
      return { moved: true };
    }
    const bad = [...new Set(this.panes.filter((m) => !offered.includes(m)))];
    if (bad.length === 0) return { moved: false };
    const keep = this.panes.filter((m) => offered.includes(m));
    const comparing = this.mesh === COMPARE && offered.length >= MIN_PANES;
    const panes = comparing ? (keep.length >= MIN_PANES ? keep : offered.slice(0, MIN_PANES)) : [offered[0]!];
    // mesh=compare with no `with`: the panes are the app's default, not the learner's — two
    // meshes the scenario is written for, silently (a scenario for Istio and Istio ambient).
    const defaultPanes = this.mesh === COMPARE && !fromUrl.with && comparing;
    let error: string | undefined;
    if ((fromUrl.mesh || fromUrl.with) && !defaultPanes) {
      const param = this.mesh === COMPARE && fromUrl.with ? 'with' : 'mesh';
      const give =
        param === 'with' && offered.length >= MIN_PANES
          ? `give ${MIN_PANES} to ${MAX_PANES} of ${offered.join(', ')}`
          : `it is written for ${offered.join(', ')}`;
      error = `URL parameter ${param}: ${key} is not written for ${bad.map((m) => `${meshName(m)} (${m})`).join(', ')}; ${give}; showing ${and(panes.map(meshName))}${
        this.mesh === COMPARE && !comparing ? ` alone (compare needs ${MIN_PANES} meshes it is written for)` : ''
      }`;
    }
    this.mesh = comparing ? COMPARE : panes[0]!;
    this.panes = panes;
    return error === undefined ? { moved: true } : { moved: true, error };
  }

  /** The URL's `with`: the panes, when compare shows others than the scenario's (or the default) pair. */
  get link(): { with?: string[] } {
    return this.mesh === COMPARE && this.panes.join() !== (this.comparePair ?? DEFAULT_PANES).join() ? { with: this.panes } : {};
  }
}

/** `a`, `a and b`, `a, b and c`. */
export function and(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}
