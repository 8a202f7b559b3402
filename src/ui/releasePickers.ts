/**
 * The header's release pickers: which release of a mesh a run models. One per mesh shown — the
 * mesh on screen, or each pane's in compare mode — never a picker for a mesh that is not on
 * screen (Linkerd on locality-failover showed "Istio 1.30"), and none for a mesh modelled at
 * one release (nothing to pick: its pane label and the run report name it).
 */
import { MESHES } from '../player/index.ts';
import { el } from './dom.ts';

export class ReleasePickers {
  readonly root: HTMLElement;
  private readonly selects = new Map<string, HTMLSelectElement>();
  /** Meshes the scenario is written for (null: not known yet, every mesh). */
  private offered: readonly string[] | null = null;
  /** Meshes on screen (one per pane). */
  private shown: readonly string[] = [];

  constructor(pick: (mesh: string, version: string) => void) {
    this.root = el('div', { class: 'release-picker', role: 'group', 'aria-label': 'Release' });
    for (const m of MESHES) {
      const select = el('select', { 'aria-label': `${m.name} release`, 'data-mesh': m.id, title: `Which ${m.name} release to simulate` });
      // Each option names its mesh: "Istio 1.30 (current)", "Istio ambient 1.30 (current)".
      for (const r of m.releases) select.append(el('option', { value: r }, `${m.name} ${r}${r === m.defaultRelease ? ' (current)' : ''}`));
      select.value = m.defaultRelease;
      select.hidden = true;
      select.addEventListener('change', () => pick(m.id, select.value));
      this.selects.set(m.id, select);
      this.root.append(select);
    }
  }

  /** The meshes the scenario is written for. */
  offer(offered: readonly string[]): void {
    this.offered = offered;
    this.refresh();
  }

  /** The meshes on screen, one per pane (a mesh twice in compare mode gets one picker). */
  show(meshes: readonly string[]): void {
    this.shown = meshes;
    this.refresh();
  }

  /** Shows `version` as `mesh`'s release (the picker follows the run, not only the learner). */
  set(mesh: string, version: string): void {
    const select = this.selects.get(mesh);
    if (select && [...select.options].some((o) => o.value === version)) select.value = version;
  }

  private refresh(): void {
    for (const m of MESHES) {
      const select = this.selects.get(m.id)!;
      select.hidden = m.releases.length < 2 || !this.shown.includes(m.id) || (this.offered !== null && !this.offered.includes(m.id));
    }
  }
}
