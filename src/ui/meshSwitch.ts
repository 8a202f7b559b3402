/**
 * The header's mesh switch: a button per mesh and Compare, only the meshes the open scenario is
 * written for turned on, and a note beside it saying which.
 */
import { COMPARE, MESHES, MIN_PANES, meshName } from '../player/index.ts';
import { el, setText } from './dom.ts';
import { and } from './meshChoice.ts';

/** What the Compare button says it does. */
const COMPARE_TITLE = 'Meshes side by side, one playhead (the Compare panel picks which)';

export class MeshSwitch {
  /** The buttons. */
  readonly root: HTMLElement;
  /** Says which meshes the scenario is written for when the switch turns others off. */
  readonly note: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();

  constructor(setMesh: (mesh: string) => void) {
    this.root = el('div', { class: 'mesh-switch', role: 'group', 'aria-label': 'Mesh', 'aria-describedby': 'mesh-note' });
    this.note = el('p', { class: 'mesh-note', id: 'mesh-note', hidden: true });
    for (const m of MESHES) {
      const b = el('button', { type: 'button', 'aria-pressed': 'false', 'data-mesh': m.id }, m.name);
      b.addEventListener('click', () => setMesh(m.id));
      this.buttons.set(m.id, b);
      this.root.append(b);
    }
    // Compare: meshes side by side under one playhead (the scenario's pair, unless the URL's with or the Compare panel's boxes name others).
    const compare = el('button', { type: 'button', 'aria-pressed': 'false', 'data-mesh': COMPARE, title: COMPARE_TITLE }, 'Compare');
    compare.addEventListener('click', () => setMesh(COMPARE));
    this.buttons.set(COMPARE, compare);
    this.root.append(compare);
  }

  /** Shows `mesh` (a mesh id, or compare) pressed. */
  set(mesh: string): void {
    for (const [id, b] of this.buttons) b.setAttribute('aria-pressed', String(id === mesh));
  }

  /**
   * Turns on only the meshes `scenario` is offered under (the ones it is written for), and
   * Compare only with two or more of them; the note says why the rest are off.
   */
  offer(scenario: string, offered: readonly string[]): void {
    const list = and(offered.map(meshName));
    const off = MESHES.some((m) => !offered.includes(m.id));
    for (const [id, b] of this.buttons) {
      const disabled = id === COMPARE ? offered.length < MIN_PANES : !offered.includes(id);
      b.disabled = disabled;
      if (id === COMPARE) b.title = disabled ? `${scenario} is written for ${list} only: nothing to compare it with` : COMPARE_TITLE;
      else if (disabled) b.title = `${scenario} is not written for ${meshName(id)} (it is written for ${list})`;
      else b.removeAttribute('title');
    }
    this.note.hidden = !off;
    // Whichever list is shorter, so the note stays on the header's row (the picture keeps its height).
    const offNames = MESHES.filter((m) => !offered.includes(m.id)).map((m) => m.name);
    setText(this.note, !off ? '' : offered.length <= offNames.length ? `Written for ${list} only` : `Not written for ${and(offNames)}`);
  }
}
