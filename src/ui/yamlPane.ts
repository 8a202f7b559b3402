/**
 * The effective native resources for the mesh on screen and the current knobs — what a user
 * would `kubectl apply` — as YAML, with the lines the last knob change added (+) and removed (−)
 * marked by a sign as well as a colour. Text only.
 */
import { diffLines, meshName, paneNames, type DiffLine, type EffectiveResource } from '../player/index.ts';
import { profilesLoading, resourcesOf } from '../player/resources.ts';
import type { PanelHandle } from './lazyPanel.ts';
import type { Workbench } from './Workbench.ts';
import { el, setText } from './dom.ts';

export class YamlPane {
  private readonly pre: HTMLElement;
  private readonly note: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private key = '';

  /** Fills `root`, the panel's `<details>`. */
  constructor(
    readonly root: HTMLDetailsElement,
    onPick: (pane: number) => void,
  ) {
    this.pre = el('pre', { class: 'yaml', tabindex: '0', 'aria-label': 'Effective resources as YAML' });
    this.note = el('p', { class: 'yaml-note', role: 'status' });
    this.picker = el('select', { 'aria-label': 'YAML for mesh', hidden: true });
    this.picker.addEventListener('change', () => onPick(Number(this.picker.value)));
    root.append(
      el('p', { class: 'hint' }, 'The native resources in effect: the scenario’s own, then those generated from its policies and the knobs.'),
      this.picker,
      this.note,
      this.pre,
    );
  }

  /** Offers a choice of mesh (compare mode) and marks `pane` chosen. */
  setMeshes(meshes: readonly string[], pane: number): void {
    this.picker.hidden = meshes.length < 2;
    const key = meshes.join(',');
    if (this.picker.dataset.meshes !== key) {
      this.picker.dataset.meshes = key;
      this.picker.replaceChildren(...paneNames(meshes).map((n, i) => el('option', { value: String(i) }, n)));
    }
    this.picker.value = String(pane);
  }

  /** Says `mesh`'s resources could not be shown: its profile's file did not load. */
  unavailable(mesh: string): void {
    this.key = '';
    setText(this.note, `${meshName(mesh)}: its resources could not be loaded (the page's files may have changed since it opened: reload the page).`);
    this.pre.replaceChildren();
  }

  /** Shows `lines` for `mesh`; changed lines are marked when the last knob change made them. */
  show(mesh: string, lines: readonly DiffLine[]): void {
    const key = `${mesh}\u0000${lines.map((l) => `${l.change[0]}${l.text}`).join('\n')}`;
    if (key === this.key) return;
    this.key = key;
    const added = lines.filter((l) => l.change === 'added').length;
    const removed = lines.filter((l) => l.change === 'removed').length;
    setText(
      this.note,
      added || removed
        ? `${meshName(mesh)}: the last knob change added ${added} line${added === 1 ? '' : 's'} and removed ${removed} (marked + and −).`
        : `${meshName(mesh)}: as simulated.`,
    );
    this.pre.replaceChildren(
      ...lines.map((l) => {
        const sign = l.change === 'added' ? '+' : l.change === 'removed' ? '−' : ' ';
        return el(
          'span',
          { class: `line ${l.change}`, 'data-change': l.change },
          el('span', { class: 'sign', 'aria-hidden': 'true' }, sign),
          l.change === 'removed' ? el('del', {}, l.text) : l.change === 'added' ? el('ins', {}, l.text) : l.text,
          '\n',
        );
      }),
    );
    if (lines.length === 0) this.pre.append('# no native resources: every setting is the mesh default\n');
  }
}

const yamlOf = (resources: readonly EffectiveResource[]): string =>
  resources.map((r) => `# ${r.origin === 'file' ? 'from the scenario file' : 'generated from policies'}\n${r.yaml}`).join('\n---\n');

/**
 * The YAML pane in `root`, following the pane the side panels follow unless the learner picks
 * another mesh (compare mode); writing YAML needs the YAML writer, which loads with this pane.
 */
export function yamlHandle(wb: Workbench, root: HTMLDetailsElement): PanelHandle {
  let pane = wb.focus;
  let followed = wb.focus;
  const show = (): void => {
    if (wb.focus !== followed) pane = followed = wb.focus;
    pane = Math.min(pane, wb.runs.length - 1);
    const run = wb.runs[pane];
    if (!run) return;
    view.setMeshes(
      wb.runs.map((r) => r.mesh),
      pane,
    );
    const previous = wb.runsBefore?.find((r) => r.mesh === run.mesh);
    // A run made when the site was built comes without its mesh's profile: shown once it is loaded.
    const loading = profilesLoading([run.mesh]);
    if (loading) return void loading.then(show, () => view.unavailable(run.mesh));
    const now = yamlOf(resourcesOf(run.scenario, run.mesh));
    view.show(run.mesh, diffLines(previous ? yamlOf(resourcesOf(previous.scenario, previous.mesh)) : now, now));
  };
  const view = new YamlPane(root, (picked) => {
    pane = picked;
    show();
  });
  return { refresh: show };
}
