/**
 * The page around the picture: header (scenario picker, mesh switch, help), the stage with its
 * loading and fast-forward notes, the transport bar, narration, and the side panels (inspector,
 * events, metrics, legend). It only displays; the app decides.
 */
import { meshName, paneNames, type MetricsAt, type Player, type Trace, type View } from '../player/index.ts';
import type { Selection } from '../render/index.ts';
import { el, setText } from './dom.ts';
import { LIBRARY, pickerTitle, type ScenarioFile } from './library.ts';
import { Controls, type ControlActions, type TimelineMark } from './controls.ts';
import { NarrationPanel } from './narration.ts';
import { EventList } from './eventList.ts';
import { Inspector } from './inspector.ts';
import { MetricsPanel } from './metricsPanel.ts';
import { ReleasePickers } from './releasePickers.ts';
import { MeshSwitch } from './meshSwitch.ts';
import { FastForwardNote } from './fastForwardNote.ts';

/** The widest window (CSS px) whose side panels are a drawer (styles.css's media query says the same). */
export const DRAWER_MAX_PX = 900;

export interface ShellActions extends ControlActions {
  pickScenario(key: string): void;
  /** Runs `mesh` as another of its releases (`1.23`). */
  setRelease(mesh: string, version: string): void;
  setMesh(mesh: string): void;
  jumpToStep(index: number): void;
  /** To event `seq` of pane `pane` (one inside a folded run). */
  jumpToEvent(pane: number, seq: number): void;
  zoom(factor: number): void;
  fit(): void;
}

export class Shell {
  /** The first pane's picture (the only one outside compare mode). */
  readonly stage: HTMLElement;
  /** Each pane (its label above its picture) and its picture; compare mode's extra panes are made on demand. */
  private readonly panes: HTMLElement[];
  private readonly stages: HTMLElement[];
  private readonly paneLabels: HTMLElement[];
  private readonly stageWrap: HTMLElement;
  private readonly left: HTMLElement;
  private readonly right: HTMLElement;
  private readonly header: HTMLElement;
  /** Narrow screens: the buttons that open the side column as a drawer, and the one that last did. */
  private readonly drawerButtons: HTMLButtonElement[] = [];
  private drawerOpener: HTMLButtonElement | null = null;
  /** The workbench's panels (the drawer's Tools button scrolls to the first one shown). */
  private tools: HTMLElement[] = [];
  /** The keyboard help, its code loaded the first time it is asked for (no first play carries it). */
  readonly help: { toggle(): void };
  private readonly picker: HTMLSelectElement;
  private readonly editLink: HTMLAnchorElement;
  private readonly meshSwitch: MeshSwitch;
  private readonly releases: ReleasePickers;
  private readonly errors: HTMLElement;
  private readonly loading: HTMLElement;
  private readonly fastForward = new FastForwardNote();
  private readonly title: HTMLElement;
  private readonly description: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly controls: Controls;
  /** The narration panel (its guided-mode switch is wired by the app). */
  readonly narration = new NarrationPanel();
  private readonly events: EventList;
  private readonly textList: HTMLElement;
  private readonly canvasFocus: HTMLElement;
  private textKey = '';
  /** The player last shown, for the events of a folded run. */
  private player: Player | null = null;
  private readonly inspector = new Inspector();
  private readonly metrics = new MetricsPanel();

  constructor(root: HTMLElement, actions: ShellActions) {
    this.picker = el('select', { 'aria-label': 'Scenario', id: 'scenario-picker' });
    for (const s of LIBRARY) this.picker.append(el('option', { value: s.key }, pickerTitle(s)));
    this.picker.addEventListener('change', () => actions.pickScenario(this.picker.value));
    this.meshSwitch = new MeshSwitch((mesh) => actions.setMesh(mesh));
    // The release of each mesh on screen: the current line unless the scenario or the learner picks another.
    this.releases = new ReleasePickers((mesh, version) => actions.setRelease(mesh, version));
    let dialog: Promise<{ toggle(): void }> | null = null;
    this.help = {
      toggle: () => {
        dialog ??= import('./help.ts').then((m) => {
          const d = m.helpDialog();
          root.append(d.root);
          return d;
        });
        void dialog.then((d) => d.toggle());
      },
    };
    const helpButton = el('button', { type: 'button', 'aria-label': 'Keyboard shortcuts', title: 'Keyboard shortcuts (?)', class: 'help-button' }, '?');
    helpButton.addEventListener('click', () => this.help.toggle());
    // The authoring view is its own chunk: a link, so the editor is loaded only when asked for.
    this.editLink = el('a', { class: 'edit-link', href: '?author=1', hidden: true }, 'Edit this scenario');
    const header = (this.header = el(
      'header',
      { class: 'top' },
      el('h1', {}, 'mesh-sim'),
      el('label', { class: 'picker' }, el('span', { class: 'picker-word' }, 'Scenario '), this.picker),
      this.meshSwitch.root,
      this.meshSwitch.note,
      this.releases.root,
      this.editLink,
      helpButton,
    ));

    this.errors = el('div', { class: 'errors', role: 'alert', hidden: true });
    this.title = el('h2', { class: 'scenario-title' });
    this.description = el('p', { class: 'scenario-description clamped', id: 'scenario-description' });
    // A long description is cut to two lines (the picture needs the height); the button shows the rest.
    this.more = el('button', { type: 'button', class: 'more', 'aria-expanded': 'false', 'aria-controls': 'scenario-description', hidden: true }, 'More');
    this.more.addEventListener('click', () => {
      const open = this.description.classList.toggle('clamped') === false;
      this.more.setAttribute('aria-expanded', String(open));
      setText(this.more, open ? 'Less' : 'More');
    });
    new ResizeObserver(() => this.checkClamp()).observe(this.description);
    this.loading = el('div', { class: 'loading', role: 'status', hidden: true });
    const zoomIn = el('button', { type: 'button', 'aria-label': 'Zoom in' }, '+');
    const zoomOut = el('button', { type: 'button', 'aria-label': 'Zoom out' }, '−');
    const fit = el('button', { type: 'button', 'aria-label': 'Fit to view' }, '⤢');
    zoomIn.addEventListener('click', () => actions.zoom(1.25));
    zoomOut.addEventListener('click', () => actions.zoom(0.8));
    fit.addEventListener('click', () => actions.fit());
    this.paneLabels = [el('p', { class: 'pane-label', hidden: true })];
    this.stage = el('div', { class: 'stage', 'data-testid': 'stage' });
    this.stages = [this.stage];
    this.panes = [el('div', { class: 'pane' }, this.paneLabels[0], this.stage)];
    const stageWrap = el('div', { class: 'stage-wrap' }, this.panes[0], this.loading);
    this.stageWrap = stageWrap;
    this.controls = new Controls(actions);
    // The fast-forward note sits in the transport bar, beside the clock it explains: over the
    // picture it hid the boxes at its bottom edge (nsm-network-service's endpoints at 8 s).
    this.controls.root.querySelector('.buttons')!.append(this.fastForward.root);
    // The zoom buttons end the transport bar: over the picture they covered its right edge (and
    // the right pane's in compare mode).
    this.controls.root.querySelector('.buttons')!.append(el('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom' }, zoomIn, zoomOut, fit));
    this.events = new EventList({
      jump: (i) => actions.jumpToStep(i),
      jumpToEvent: (pane, seq) => actions.jumpToEvent(pane, seq),
      foldSteps: (step) => (step.fold ? (this.player?.timelines[step.pane ?? 0]?.foldSteps(step.fold, step.pane) ?? []) : []),
    });
    // Narrow screens: the side column is a drawer over the page, opened by a button per panel.
    const drawerBar = el('div', { class: 'drawer-bar', role: 'group', 'aria-label': 'Side panels' });
    for (const [name, target] of [
      ['Inspector', () => this.inspector.root],
      ['Events', () => this.events.root],
      ['Metrics', () => this.metrics.root],
      ['Tools', () => this.tools.find((t) => !t.hidden) ?? null],
    ] as const) {
      const b = el('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'side-panels' }, name);
      b.addEventListener('click', () => this.openDrawer(b, target()));
      this.drawerButtons.push(b);
      drawerBar.append(b);
    }
    this.left = el(
      'div',
      { class: 'left' },
      this.errors,
      el('div', { class: 'intro' }, this.title, this.description, this.more),
      drawerBar,
      stageWrap,
      this.controls.root,
      this.narration.root,
    );
    // The picture in words: what a screen reader reads instead of the canvas (the canvas points
    // here), and a plain list for anyone who prefers it.
    this.textList = el('ul', { class: 'text-view-list', id: 'picture-text' });
    const textView = el('details', { class: 'panel text-view' }, el('summary', {}, el('h2', {}, 'Picture as text')), this.textList);
    textView.setAttribute('aria-label', 'Picture as text');
    this.canvasFocus = el('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'canvas-focus' });
    const close = el('button', { type: 'button', class: 'drawer-close', 'aria-label': 'Close side panels' }, 'Close ×');
    close.addEventListener('click', () => this.closeDrawer());
    this.right = el(
      'aside',
      { class: 'right', id: 'side-panels' },
      close,
      this.inspector.root,
      this.events.root,
      this.metrics.root,
      textView,
      legendPanel(),
      this.canvasFocus,
    );
    this.right.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.right.classList.contains('open') || e.defaultPrevented) return;
      e.preventDefault();
      this.closeDrawer();
    });
    // A window widened past the drawer's width shows the column beside the picture again.
    matchMedia(`(max-width: ${DRAWER_MAX_PX}px)`).addEventListener('change', (e) => {
      if (!e.matches) this.closeDrawer();
    });
    const main = el('main', { class: 'layout' }, this.left, this.right);
    root.replaceChildren(header, main);
  }

  setMesh(mesh: string): void {
    this.meshSwitch.set(mesh);
  }

  /** Turns on only the meshes `scenario` is written for (the switch and the release pickers). */
  offerMeshes(scenario: string, offered: readonly string[]): void {
    this.meshSwitch.offer(scenario, offered);
    this.releases.offer(offered);
  }

  /**
   * Pane `i`'s picture: the page's own for 0; compare mode's others are made the first time they
   * are asked for (`data-testid` stage-2, stage-3, stage-4), hidden until {@link setPanes} shows them.
   */
  stageOf(i: number): HTMLElement {
    while (this.stages.length <= i) {
      const n = this.stages.length + 1;
      const label = el('p', { class: 'pane-label', hidden: true });
      const stage = el('div', { class: 'stage', 'data-testid': `stage-${n}` });
      const pane = el('div', { class: 'pane', hidden: true }, label, stage);
      this.panes[this.panes.length - 1]!.after(pane);
      this.panes.push(pane);
      this.stages.push(stage);
      this.paneLabels.push(label);
    }
    return this.stages[i]!;
  }

  /**
   * One picture, or one per pane in a grid (compare mode: 2 side by side, 3 to 6 in two rows, one
   * column on a narrow screen), each labelled with its pane's name; the first is the reference.
   */
  setPanes(meshes: readonly string[], releases: readonly (string | undefined)[] = []): void {
    const comparing = meshes.length > 1;
    // Each pane names its mesh as the release it ran (`Istio 1.30`, `Istio 1.30 #1`).
    const names = paneNames(meshes).map((n, i) => (releases[i] ? n.replace(meshName(meshes[i]!), releases[i]!) : n));
    this.stageWrap.classList.toggle('compare', comparing);
    this.stageWrap.dataset.panes = String(meshes.length);
    this.releases.show(meshes);
    this.panes.forEach((pane, i) => {
      pane.hidden = i >= meshes.length;
      const label = this.paneLabels[i]!;
      label.hidden = !comparing || i >= meshes.length;
      setText(label, !comparing ? '' : i === 0 && meshes.length > 2 ? `${names[0]} · reference` : (names[i] ?? ''));
    });
    // Where each label ends, for its pane's difference note to start after it (workbench.css
    // .pane-diff): five or six panes make a pane a third of the picture wide, and a note at 62 % of
    // it covered "reference" of "Istio 1.30 · reference". Read once the labels are all written.
    if (!comparing) return;
    this.panes.forEach((pane, i) => {
      const label = this.paneLabels[i]!;
      if (!pane.hidden) pane.style.setProperty('--label-room', `${label.offsetLeft + label.offsetWidth}px`);
    });
  }

  /** Shows the release `mesh` runs as (the picker follows the run, not only the learner). */
  setRelease(mesh: string, version: string): void {
    this.releases.set(mesh, version);
  }

  /** Adds the workbench's panels: above the inspector, below the metrics, and over the picture. */
  mount(parts: { top: HTMLElement[]; bottom: HTMLElement[]; stage: HTMLElement[] }): void {
    this.right.prepend(...parts.top);
    this.right.lastElementChild!.before(...parts.bottom);
    this.tools.push(...parts.bottom);
    this.stageWrap.append(...parts.stage);
  }

  /**
   * Opens the side column as a drawer (narrow screens) at `target`, focus inside it; the rest of
   * the page is inert until {@link closeDrawer} (Escape, or Close) gives the focus back to `opener`.
   */
  private openDrawer(opener: HTMLButtonElement, target: HTMLElement | null): void {
    this.drawerOpener = opener;
    this.right.classList.add('open');
    this.left.inert = true;
    this.header.inert = true;
    for (const b of this.drawerButtons) b.setAttribute('aria-expanded', 'true');
    const shown = target && !target.hidden ? target : null;
    if (shown) shown.scrollIntoView({ block: 'start' });
    else this.right.scrollTop = 0;
    const focusable = shown?.matches('[tabindex]') ? shown : shown?.querySelector<HTMLElement>('summary, button, [tabindex], input, select');
    (focusable ?? this.right.querySelector<HTMLElement>('.drawer-close'))?.focus({ preventScroll: true });
  }

  /**
   * On a narrow screen (the side column a drawer), opens the drawer at the inspector: the learner
   * clicked a node or a packet on the picture and should see what it is. Close gives the focus to
   * the Inspector button. Nothing when the drawer bar is not shown (wide screens, embeds without it).
   */
  revealInspector(): void {
    const opener = this.drawerButtons[0];
    if (!opener || opener.offsetParent === null || this.right.classList.contains('open')) return;
    this.openDrawer(opener, this.inspector.root);
  }

  /** Closes the drawer and returns the focus to the button that opened it. */
  closeDrawer(): void {
    if (!this.right.classList.contains('open')) return;
    this.right.classList.remove('open');
    this.left.inert = false;
    this.header.inert = false;
    for (const b of this.drawerButtons) b.setAttribute('aria-expanded', 'false');
    this.drawerOpener?.focus();
    this.drawerOpener = null;
  }

  /** Marks above the scrubber (compare mode's divergences, injected faults). */
  setMarks(marks: readonly TimelineMark[], endShowMs: number): void {
    this.controls.setMarks(marks, endShowMs);
  }

  setScenario(file: ScenarioFile): void {
    const source: [string, string] | null = file.key.startsWith('url:')
      ? ['scenarioUrl', file.key.slice(4)]
      : LIBRARY.some((s) => s.key === file.key)
        ? ['scenario', file.key]
        : null;
    this.editLink.hidden = source === null;
    if (source) this.editLink.href = `?${new URLSearchParams([['author', '1'], source]).toString()}`;
    if (LIBRARY.some((s) => s.key === file.key)) this.picker.value = file.key;
    else if (![...this.picker.options].some((o) => o.value === file.key)) {
      this.picker.append(el('option', { value: file.key }, file.file));
      this.picker.value = file.key;
    }
  }

  setTitle(title: string, description: string): void {
    setText(this.title, title);
    setText(this.description, description);
    // Measured in the next frame, once the page around it has its new content: measuring here
    // would lay the whole page out in the middle of the app filling it (a scenario opening).
    requestAnimationFrame(() => this.checkClamp());
  }

  /** Offers "More" only when the two-line cut hides something. */
  private checkClamp(): void {
    const d = this.description;
    if (!d.classList.contains('clamped')) return;
    this.more.hidden = d.scrollHeight <= d.clientHeight + 1;
  }

  setTrace(trace: Trace, file: ScenarioFile, steps: Player['steps']): void {
    this.setTitle(trace.scenario.title, trace.scenario.description?.trim() ?? '');
    document.title = `${trace.scenario.title} — mesh-sim`;
    this.inspector.setTrace(trace, file.file);
    this.events.setSteps(steps);
    // A scenario in which nothing calls anything (a connection mesh's, NSM: FIDELITY-MORE K1) has no requests to wait for.
    this.metrics.setCalls(trace.topology.edges.length > 0);
  }

  /** Says what the keyboard's focus ring on the picture is on (a polite live region). */
  announce(text: string): void {
    setText(this.canvasFocus, text);
  }

  /** Pane `i`'s name as its label shows it. */
  paneName(i: number): string {
    return this.paneLabels[i]?.textContent ?? '';
  }

  /** The picture in words, one line each (redrawn only when it changed). */
  setTextView(lines: readonly string[]): void {
    const key = lines.join('\n');
    if (key === this.textKey) return;
    this.textKey = key;
    this.textList.replaceChildren(...lines.map((l) => el('li', {}, l)));
  }

  /** A list of messages (each shown as text), or none. */
  showErrors(messages: readonly string[]): void {
    this.errors.hidden = messages.length === 0;
    this.errors.replaceChildren(...(messages.length ? [el('p', {}, 'Something needs fixing:'), el('ul', {}, ...messages.map((m) => el('li', {}, m)))] : []));
  }

  setLoading(text: string | null): void {
    this.loading.hidden = text === null;
    setText(this.loading, text ?? '');
    document.querySelector('main')?.setAttribute('aria-busy', String(text !== null));
  }

  update(player: Player, view: View, selection: Selection, done: (seq: number) => boolean, metrics: MetricsAt | null): void {
    this.player = player;
    this.controls.update(player, view);
    this.narration.update(player, view);
    this.events.setCurrent(player.stepIndex);
    this.inspector.update(view, selection, done);
    if (metrics) this.metrics.update(metrics);
    this.fastForward.update(view.fastForward);
  }
}

/** The legend's panel: its summary now, what it lists (help.ts) the first time it is opened. */
function legendPanel(): HTMLDetailsElement {
  const panel = el('details', { class: 'panel legend-panel', 'aria-label': 'Legend' }, el('summary', {}, 'Legend'));
  panel.addEventListener('toggle', () => {
    if (panel.open && panel.childElementCount === 1) void import('./help.ts').then((m) => panel.append(...m.legendRows()));
  });
  return panel;
}
