/**
 * Compare mode's pane picker, at the top of the Compare panel: a check box per mesh the open
 * scenario is written for (ticked: it has a pane), and which pane is the reference the others
 * are compared with. Without it the panes could be chosen only in the URL (`with`). Each change
 * asks the app to show those panes (it re-simulates, keeping the playhead's time); the picker
 * shows what is on screen again once the runs come back.
 */
import { MAX_PANES, MIN_PANES, meshName, paneNames, togglePane, withReference } from '../player/index.ts';
import { el } from './dom.ts';

export class PanePicker {
  readonly root: HTMLElement;
  private readonly boxes: HTMLElement;
  private readonly reference: HTMLSelectElement;
  /** The panes asked for last (what is on screen, or on its way). */
  private panes: readonly string[] = [];
  private offered: readonly string[] = [];

  constructor(private readonly onPanes: (panes: readonly string[]) => void) {
    this.boxes = el('span', { class: 'pane-boxes' });
    this.reference = el('select', { 'aria-label': 'Reference pane' });
    this.reference.addEventListener('change', () => this.ask(withReference(this.panes, Number(this.reference.value))));
    const hint = el('p', { class: 'hint pane-hint' }, `${MIN_PANES} to ${MAX_PANES} panes; the reference is the first.`);
    this.root = el(
      'fieldset',
      { class: 'pane-picker' },
      el('legend', {}, 'Side by side'),
      this.boxes,
      el('label', { class: 'pane-reference' }, 'Reference ', this.reference),
      hint,
    );
  }

  /** Shows `panes` (the meshes on screen, the first the reference) among the `offered` meshes. */
  set(offered: readonly string[], panes: readonly string[]): void {
    if (offered.join() !== this.offered.join()) {
      this.offered = [...offered];
      this.boxes.replaceChildren(
        ...offered.map((id) => {
          const box = el('input', { type: 'checkbox', value: id });
          box.addEventListener('change', () => {
            const next = togglePane(this.panes, id, box.checked);
            if (next) this.ask(next);
            else this.sync();
          });
          return el('label', { class: 'pane-box' }, box, ` ${meshName(id)}`);
        }),
      );
    }
    this.panes = [...panes];
    this.sync();
  }

  private ask(panes: readonly string[]): void {
    if (panes.join() === this.panes.join()) return;
    this.panes = [...panes];
    this.sync();
    this.onPanes(panes);
  }

  /** The boxes and the reference as {@link panes} says. */
  private sync(): void {
    const panes = this.panes;
    for (const box of this.boxes.querySelectorAll('input')) {
      const on = panes.includes(box.value);
      box.checked = on;
      // A box that cannot change says why in its title; the hint says the rule once.
      const stuck = togglePane(panes, box.value, !on) === null;
      box.disabled = stuck;
      box.title = !stuck ? '' : on ? `Compare shows at least ${MIN_PANES} panes` : `Compare shows at most ${MAX_PANES} panes: untick one first`;
    }
    const names = paneNames(panes);
    this.reference.replaceChildren(...names.map((n, i) => el('option', { value: String(i) }, n)));
    this.reference.value = '0';
  }
}
