/**
 * A workbench panel whose code loads when the learner first opens it: until then it is only its
 * `<details>` with a summary, so the first play carries none of it (nor what it needs: the YAML
 * parser for the knobs, the YAML writer for the effective resources, the sequence diagrams).
 */
import { el } from './dom.ts';

/** What a loaded panel does when the workbench's state changes (a run, the followed pane). */
export interface PanelHandle {
  refresh(): void;
}

export class LazyPanel<H extends PanelHandle> {
  readonly root: HTMLDetailsElement;
  private handle: H | null = null;
  private loading: Promise<H> | null = null;

  /** `load` fills `root` (the open `<details>`) and returns the panel. */
  constructor(
    className: string,
    title: string,
    private readonly load: (root: HTMLDetailsElement) => Promise<H>,
  ) {
    this.root = el('details', { class: `panel ${className}` }, el('summary', {}, el('h2', {}, title)));
    this.root.setAttribute('aria-label', title.replace(/…$/, ''));
    this.root.addEventListener('toggle', () => {
      if (this.root.open) void this.get();
    });
  }

  /** The panel, if it has been loaded. */
  get loaded(): H | null {
    return this.handle;
  }

  /** The panel, loading it the first time (and showing the workbench's state in it). */
  get(): Promise<H> {
    this.loading ??= this.load(this.root).then((handle) => {
      this.handle = handle;
      handle.refresh();
      return handle;
    });
    return this.loading;
  }

  /** Opens the panel (loading it). */
  open(): Promise<H> {
    this.root.open = true;
    return this.get();
  }

  /** Shows the workbench's state in the panel, if it is loaded. */
  refresh(): void {
    this.handle?.refresh();
  }
}
