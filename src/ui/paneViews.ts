/**
 * The panes' pictures: one MeshView per pane, made the first time a pane needs one (the page's
 * first pane once the page around it is laid out, compare mode's others on demand), each telling
 * the app what the learner selects or focuses in it. The first pane's frame loop drives the app.
 */
import { MeshView, type Selection } from '../render/index.ts';
import type { Shell } from './shell.ts';

/** What a pane's picture tells the app. */
export interface PaneHooks {
  /** The learner selected `selection` (null: nothing) in pane `pane`. */
  select(selection: Selection, pane: number): void;
  /** Each animation frame, `realMs` of wall time since the last (from the first pane's loop). */
  frame(realMs: number): void;
}

/** A box on the page, in client CSS pixels. */
type Rect = { x: number; y: number; w: number; h: number };

export class PaneViews {
  /** One picture per pane: the first is the page's own, the others appear in compare mode. */
  readonly list: MeshView[] = [];
  /** Guided mode, for pictures made later. */
  private guided = false;
  /** The pictures being made ({@link ensure}). */
  private making = Promise.resolve();

  constructor(
    private readonly shell: Shell,
    private readonly hooks: PaneHooks,
  ) {}

  /** Creates the panes' pictures the first time they are needed, one at a time. */
  ensure(count: number): Promise<void> {
    this.making = this.making.then(async () => {
      while (this.list.length < count) this.add(await MeshView.create(this.shell.stageOf(this.list.length)));
    });
    return this.making;
  }

  /** The next pane's picture: clicking in it selects there; its keyboard focus is announced, with the pane's name in compare mode. */
  add(view: MeshView): void {
    const pane = this.list.length;
    view.describeWith('picture-text');
    view.onSelect = (selection) => this.hooks.select(selection, pane);
    view.onKeyboardFocus = (text) => this.shell.announce(text === null ? '' : this.list.length > 1 ? `${this.shell.paneName(pane)}: ${text}` : text);
    view.setGuided(this.guided);
    view.onFrame(pane === 0 ? (ms) => this.hooks.frame(ms) : () => {});
    this.list.push(view);
  }

  setGuided(on: boolean): void {
    this.guided = on;
    for (const v of this.list) v.setGuided(on);
  }

  zoom(factor: number): void {
    for (const v of this.list) v.zoom(factor);
  }

  /** The Fit to view button: every picture whole, whatever its label size. */
  fit(): void {
    for (const v of this.list) v.fit(true);
  }

  /** Where pane `pane` draws its boxes and control plane, in client CSS pixels (the workbench keeps its cards off them). */
  onScreen(pane: number): { boxes: ({ id: string } & Rect)[]; controlPlane: Rect | null } | null {
    const view = this.list[pane];
    const layout = view?.layoutOnScreen();
    if (!view || !layout) return null;
    const at = this.shell.stageOf(pane).getBoundingClientRect();
    const move = <R extends { x: number; y: number }>(r: R): R => ({ ...r, x: r.x + at.left, y: r.y + at.top });
    const plane = view.controlPlaneOnScreen();
    return { boxes: layout.boxes.map(move), controlPlane: plane && move(plane) };
  }
}
