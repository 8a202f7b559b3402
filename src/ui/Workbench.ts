/**
 * The learner's workbench around the player: knobs and the effective YAML, faults injected at the
 * playhead with their what-if branches, breakpoints, checkpoints (predict, then reveal), compare
 * mode's summary and divergence marks, and export. It holds the {@link Lab} (what the learner
 * changed) and asks the app to re-simulate; it never simulates or draws the mesh itself.
 *
 * Only what playing needs is here: the state, the stops (breakpoints, checkpoints) and the
 * question offered at the start. Each panel's code loads when it is first opened (compare mode's
 * when comparing, the checkpoint dialog at the first question), so the first play carries none
 * of it; a panel reads the state from this class when it loads and on every change after.
 */
import {
  BREAKPOINTS,
  Lab,
  checkpointPrompts,
  checkpointStops,
  breakpointStops,
  connectsOnly,
  meshName,
  commandCode,
  formatClock,
  readScenario,
  type CheckpointPrompt,
  type Player,
  type RunProblem,
  type RunReport,
  type ScenarioEdits,
  type Trace,
} from '../player/index.ts';
import type { LoadedScenario } from '../scenario/index.ts';
import { el, setText } from './dom.ts';
import type { ScenarioFile } from './library.ts';
import type { TimelineMark } from './controls.ts';
import { LazyPanel, type PanelHandle } from './lazyPanel.ts';
import type { KnobsHandle } from './knobsPanel.ts';
import type { ExportHandle } from './exportPanel.ts';
import type { WhatIfHandle } from './whatIfPanel.ts';
import type { CheckpointDialog } from './checkpointDialog.ts';
import { CardPlacer, type OnScreen } from './cardPlace.ts';
import './workbench.css';

/** One pane's run, as the runner returned it. */
export interface PaneRun {
  mesh: string;
  trace: Trace;
  report: RunReport;
  /** The scenario as simulated (knobs and faults applied): the YAML pane derives its resources from it. */
  scenario: LoadedScenario;
}

/** What the workbench needs from the app. */
export interface WorkbenchHost {
  /** Re-simulates the scenario with {@link Workbench.edits}, keeping the playhead; the problems when it cannot. */
  resimulate(): Promise<RunProblem[] | null>;
  /** Simulates other edits without showing them (the run a fault is compared with). */
  simulateAside(edits: ScenarioEdits): Promise<PaneRun[] | null>;
  /** Moves the playhead to event `seq` of pane `pane`. */
  jump(pane: number, seq: number): void;
  /** Makes the side panels follow pane `pane`. */
  follow(pane: number): void;
  /** The meshes the open scenario is written for (compare's pane picker offers these). */
  offered(): readonly string[];
  /** Shows `panes` side by side in compare mode (re-simulates, keeping the playhead's time). */
  setPanes(panes: readonly string[]): void;
  /** Resumes playing. */
  play(): void;
  /** Where new panels and notes go. */
  mount(parts: { top: HTMLElement[]; bottom: HTMLElement[]; stage: HTMLElement[] }): void;
  /** Marks on the timeline (divergences, faults). */
  setMarks(marks: readonly TimelineMark[]): void;
  /** The learner answered a checkpoint (for embedding pages). */
  answered?(answer: { index: number; question: string; answer: string; correct: boolean }): void;
  /** Where pane `pane` draws its boxes and its control plane, in client CSS pixels (null before it is drawn). */
  onScreen?: OnScreen;
}

export class Workbench {
  /** What the learner changed: knobs, and faults in branches. */
  lab = new Lab();
  /** The knobs turned, in order (the last value of each), so a link can turn them again. */
  knobLog: [string, string][] = [];
  file: ScenarioFile | null = null;
  runs: PaneRun[] = [];
  /** The runs before the last knob change, so the YAML pane can mark what it changed. */
  runsBefore: PaneRun[] | null = null;
  player: Player | null = null;
  /** The pane the side panels follow. */
  focus = 0;
  /** The request the learner last clicked a packet of (the export panel offers it). */
  selectedRequest: string | null = null;
  /** Breakpoints switched on. */
  readonly breakpoints = new Set<string>();
  private prompts: CheckpointPrompt[] = [];
  private readonly answered = new Set<number>();
  private resumeAfterCheckpoint = false;
  private dialog: Promise<CheckpointDialog> | null = null;
  /** Keeps the start question and the checkpoint dialog off the control plane and the evidence. */
  private readonly cards: CardPlacer;
  private asking = false;
  /** Where the last breakpoint stopped: its note goes when the playhead moves on. */
  private breakAt: unknown = null;
  readonly knobs: LazyPanel<KnobsHandle>;
  readonly yaml: LazyPanel<PanelHandle>;
  readonly whatIf: LazyPanel<WhatIfHandle>;
  readonly breakpointsPanel: LazyPanel<PanelHandle>;
  readonly exporter: LazyPanel<ExportHandle>;
  private compare: Promise<PanelHandle> | null = null;
  private readonly compareHost: HTMLElement;
  private readonly breakNote: HTMLElement;
  /** Says why Knobs and What if… are not offered: a connection mesh's run has no requests to change. */
  private readonly requestOnly: HTMLElement;
  /** A question asked at 0 s, offered at the start rather than halting the first Play. */
  private readonly startQuestion: HTMLElement;
  private readonly startText: HTMLElement;
  private startIndex = -1;
  /** Something {@link update} shows changed without the view changing. */
  private changed = false;

  constructor(readonly host: WorkbenchHost) {
    this.knobs = new LazyPanel('knobs', 'Knobs', async (root) => (await import('./knobsPanel.ts')).knobsHandle(this, root));
    this.yaml = new LazyPanel('yaml-pane', 'Effective YAML', async (root) => (await import('./yamlPane.ts')).yamlHandle(this, root));
    this.whatIf = new LazyPanel('what-if', 'What if…', async (root) => (await import('./whatIfPanel.ts')).whatIfHandle(this, root));
    this.breakpointsPanel = new LazyPanel('breakpoints-panel', 'Breakpoints', async (root) =>
      (await import('./breakpointsPanel.ts')).breakpointsHandle(this, root),
    );
    this.exporter = new LazyPanel('export', 'Export', async (root) => (await import('./exportPanel.ts')).exportHandle(this, root));
    this.compareHost = el('div', { class: 'compare-host' });
    this.breakNote = el('div', { class: 'break-note', role: 'status', hidden: true });
    this.startText = el('span', { class: 'start-text' });
    const predict = el('button', { type: 'button' }, 'Predict');
    predict.addEventListener('click', () => this.startIndex >= 0 && this.askCheckpoint(this.startIndex, false));
    this.startQuestion = el(
      'div',
      { class: 'start-question', role: 'group', 'aria-label': 'Question before you start', hidden: true },
      el('strong', {}, 'Before you start: '),
      this.startText,
      ' ',
      predict,
    );
    this.requestOnly = el('p', { class: 'panel panel-note', hidden: true });
    host.mount({
      top: [this.compareHost],
      bottom: [this.requestOnly, this.knobs.root, this.yaml.root, this.whatIf.root, this.breakpointsPanel.root, this.exporter.root],
      stage: [this.breakNote, this.startQuestion],
    });
    this.cards = new CardPlacer(this.startQuestion, host.onScreen?.bind(host), () => Math.max(1, this.runs.length));
  }

  private get panels(): LazyPanel<PanelHandle>[] {
    return [this.knobs, this.yaml, this.whatIf, this.breakpointsPanel, this.exporter];
  }

  /** What the runs simulate: the knobs and the current branch's faults. */
  get edits(): ScenarioEdits {
    return this.lab.edits;
  }

  /** A new scenario: nothing changed yet. */
  reset(file: ScenarioFile): void {
    if (this.file?.key === file.key) return;
    this.file = file;
    this.lab = new Lab();
    this.knobLog = [];
    this.runsBefore = null;
    this.answered.clear();
    void this.dialog?.then((d) => d.close());
    this.knobs.loaded?.setStatus('');
    this.whatIf.loaded?.setProblem(null);
  }

  /** What a link needs to turn the same knobs and inject the same faults. */
  get link(): { knobs: [string, string][]; faults: string[] } {
    return { knobs: this.knobLog, faults: this.lab.current.commands.map((c) => JSON.stringify(c)) };
  }

  /** The scenario file as written (no edits): parsed only when it is not a compiled library scenario. */
  async base(): Promise<LoadedScenario | null> {
    const file = this.file;
    if (!file) return null;
    const loaded = await readScenario(file.text, file.file, file.loaded);
    return loaded.ok ? loaded.scenario : null;
  }

  /**
   * Turns the knobs and injects the faults a link names (before the first run of `file`); what
   * cannot be done is returned as messages naming the URL parameter, and left out. Its code
   * (linkRestore.ts) loads when a link names any: a first play's does not.
   */
  async restore(file: ScenarioFile, knobs: readonly [string, string][], faults: readonly string[]): Promise<string[]> {
    return (await import('./linkRestore.ts')).restoreLink(this, file, knobs, faults);
  }

  /** After every (re)simulation: refresh every panel from the runs. */
  onRuns(runs: PaneRun[], player: Player, focus: number): void {
    this.runs = runs;
    this.player = player;
    this.focus = focus;
    const comparing = runs.length > 1;
    if (comparing) void this.comparePanel().then((c) => c.refresh());
    else void this.compare?.then((c) => c.refresh());
    this.setMarks([]);
    // A connection mesh (NSM, FIDELITY-MORE K1) has no requests, retries or routes: the knobs and faults would change nothing.
    const connections = runs.length > 0 && runs.every((r) => connectsOnly(r.mesh));
    this.knobs.root.hidden = this.whatIf.root.hidden = connections;
    this.requestOnly.hidden = !connections;
    const names = [...new Set(runs.map((r) => meshName(r.mesh)))].join(' and ');
    setText(
      this.requestOnly,
      connections ? `No Knobs or What if… here: ${names} connects workloads to network services and has no requests, retries or routes to change.` : '',
    );
    this.prompts = checkpointPrompts(runs.map((r) => r.report));
    this.applyStops();
    for (const p of this.panels) p.refresh();
  }

  /** Compare mode's summary and differences: loaded the first time two runs are shown. */
  private comparePanel(): Promise<PanelHandle> {
    this.compare ??= import('./comparePanel.ts').then(({ compareHandle }) => compareHandle(this, this.compareHost));
    return this.compare;
  }

  /** The timeline's marks: the faults injected, plus `more` (compare mode's differences). */
  setMarks(more: readonly TimelineMark[]): void {
    const player = this.player;
    if (!player) return;
    const faults: TimelineMark[] = this.lab.current.commands.map((c) => ({
      timeMs: c.at,
      kind: 'fault',
      label: `Fault injected: ${commandCode().describeCommand(c)}`,
    }));
    this.host.setMarks([...more, ...faults]);
  }

  /** The side panels follow pane `pane`. */
  setFocus(pane: number): void {
    this.focus = pane;
    void this.compare?.then((c) => c.refresh());
    for (const p of this.panels) p.refresh();
  }

  /** The learner clicked a packet of request `requestId`: the export panel offers it. */
  selectRequest(requestId: string): void {
    this.selectedRequest = requestId;
    this.exporter.loaded?.selectRequest(requestId);
  }

  /** Each frame: a stop reached (a checkpoint question, a breakpoint note). */
  takeHit(player: Player, wasPlaying: boolean): void {
    const hit = player.takeHit();
    if (hit?.kind === 'checkpoint') this.askCheckpoint(Number(hit.id), wasPlaying);
    else if (hit?.kind === 'breakpoint') {
      const step = player.steps[player.stepIndex];
      const label = BREAKPOINTS.find((b) => b.id === hit.id)?.label ?? '';
      this.breakNote.hidden = false;
      this.breakAt = player.position;
      setText(this.breakNote, `Paused at a breakpoint: ${label} (${step ? formatClock(step.timeMs) : ''}). The step below says where and why.`);
    }
  }

  /** Whether {@link update} must run though the view has not changed (a checkpoint opened or closed). */
  get stale(): boolean {
    return this.changed;
  }

  /** When the view changed: the breakpoint note, the playhead's time, the question offered at the start. */
  update(player: Player): void {
    this.changed = false;
    if (!this.breakNote.hidden && player.position !== this.breakAt) this.breakNote.hidden = true;
    this.whatIf.loaded?.setTime(player.timeMs);
    // At the start, the first unanswered question at 0 s is offered (it never halts Play).
    const start = player.timeMs <= 0 && !this.asking ? this.prompts.findIndex((p, i) => p.atMs <= 0 && !this.answered.has(i)) : -1;
    if (start !== this.startIndex) {
      this.startIndex = start;
      this.startQuestion.hidden = start < 0;
      setText(this.startText, start < 0 ? '' : this.prompts[start]!.question);
      if (start >= 0) this.cards.soon();
    }
  }

  /**
   * Keeps the cards over the picture off what it shows, after {@link update}: the app calls it
   * once the frame has written the page (panels, picture), so that measuring where things are
   * lays the page out once, not once here and again for the writes after.
   */
  placeCards(): void {
    this.cards.place();
  }

  /** Where playing stops: the breakpoints switched on, and the questions not answered yet. */
  applyStops(): void {
    const player = this.player;
    if (!player) return;
    player.setStops([
      ...(this.breakpoints.size ? breakpointStops(player.steps, this.breakpoints) : []),
      ...checkpointStops(
        this.prompts.map((p) => p.atMs),
        (t) => player.showAt(t),
        this.answered,
      ),
    ]);
  }

  private askCheckpoint(index: number, resume: boolean): void {
    const prompt = this.prompts[index];
    if (!prompt) return;
    this.resumeAfterCheckpoint = resume;
    this.asking = true;
    this.changed = true;
    // The dialog's code loads with the first question.
    this.dialog ??= import('./checkpointDialog.ts').then(({ CheckpointDialog }) => {
      const dialog = new CheckpointDialog(
        (pane, seq) => {
          this.host.jump(pane, seq);
          this.cards.showing(pane, (this.runs[pane]?.trace.events[seq] as object | undefined) ?? null);
        },
        (p, answer, grades) => this.host.answered?.({ index: p.index, question: p.question, answer, correct: grades.every((g) => g.correct) }),
      );
      this.host.mount({ top: [], bottom: [], stage: [dialog.root] });
      this.cards.setDialog(dialog.root);
      return dialog;
    });
    void this.dialog.then((dialog) => {
      dialog.ask(prompt, () => {
        this.cards.showing(0, null);
        this.asking = false;
        this.changed = true;
        this.answered.add(index);
        this.applyStops();
        if (this.resumeAfterCheckpoint) this.host.play();
      });
      this.cards.showing(0, null);
    });
  }
}
