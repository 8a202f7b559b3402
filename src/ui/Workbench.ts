/**
 * The learner's workbench around the player: knobs and the effective YAML, faults injected at the
 * playhead with their what-if branches, breakpoints, checkpoints (predict, then reveal), compare
 * mode's summary and divergence marks, and export. It holds the {@link Lab} (what the learner
 * changed) and asks the app to re-simulate; it never simulates or draws the mesh itself.
 */
import {
  BREAKPOINTS,
  Lab,
  applyEdits,
  describeCommand,
  formatClock,
  breakpointStops,
  checkpointPrompts,
  checkpointStops,
  diffLines,
  divergences,
  knobGroups,
  knobText,
  paneNames,
  readKnob,
  scenarioPods,
  setKnob,
  summaryOf,
  whatIf,
  type CheckpointPrompt,
  type EffectiveResource,
  type KnobValue,
  type LearnerCommand,
  type Player,
  type RunProblem,
  type RunReport,
  type ScenarioEdits,
  type Trace,
} from '../player/index.ts';
import { el, setText } from './dom.ts';
import type { ScenarioFile } from './library.ts';
import { ComparePanel, type PlacedDivergence } from './comparePanel.ts';
import { KnobsPanel } from './knobsPanel.ts';
import { YamlPane } from './yamlPane.ts';
import { WhatIfPanel } from './whatIfPanel.ts';
import { BreakpointsPanel } from './breakpointsPanel.ts';
import { CheckpointDialog } from './checkpointDialog.ts';
import { ExportPanel } from './exportPanel.ts';
import type { TimelineMark } from './controls.ts';
import './workbench.css';

/** One pane's run, as the runner returned it. */
export interface PaneRun {
  mesh: string;
  trace: Trace;
  report: RunReport;
  resources: EffectiveResource[];
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
  /** Resumes playing. */
  play(): void;
  /** Where new panels and notes go. */
  mount(parts: { top: HTMLElement[]; bottom: HTMLElement[]; stage: HTMLElement[] }): void;
  /** Marks on the timeline (divergences, faults). */
  setMarks(marks: readonly TimelineMark[]): void;
  /** The learner answered a checkpoint (for embedding pages). */
  answered?(answer: { index: number; question: string; answer: string; correct: boolean }): void;
}

const yamlOf = (resources: readonly EffectiveResource[]): string =>
  resources.map((r) => `# ${r.origin === 'file' ? 'from the scenario file' : 'generated from policies'}\n${r.yaml}`).join('\n---\n');

export class Workbench {
  private lab = new Lab();
  /** The knobs turned, in order (the last value of each), so a link can turn them again. */
  private knobLog: [string, string][] = [];
  private file: ScenarioFile | null = null;
  private runs: PaneRun[] = [];
  private player: Player | null = null;
  private yamlPane = 0;
  /** Each mesh's YAML before the last knob change, to mark what it changed. */
  private yamlBefore: Map<string, string> | null = null;
  private prompts: CheckpointPrompt[] = [];
  private readonly answered = new Set<number>();
  private readonly whatIfCache = new Map<string, string>();
  private resumeAfterCheckpoint = false;
  /** Where the last breakpoint stopped: its note goes when the playhead moves on. */
  private breakAt: unknown = null;
  readonly compare: ComparePanel;
  readonly knobs: KnobsPanel;
  readonly yaml: YamlPane;
  readonly whatIf: WhatIfPanel;
  readonly breakpoints: BreakpointsPanel;
  readonly checkpoint: CheckpointDialog;
  readonly exporter: ExportPanel;
  private readonly breakNote: HTMLElement;
  /** A question asked at 0 s, offered at the start rather than halting the first Play. */
  private readonly startQuestion: HTMLElement;
  private readonly startText: HTMLElement;
  private startIndex = -1;
  /** Something {@link update} shows changed without the view changing. */
  private changed = false;

  constructor(private readonly host: WorkbenchHost) {
    this.compare = new ComparePanel(
      (d) => host.jump(d.pane, d.seq),
      (pane) => host.follow(pane),
    );
    this.knobs = new KnobsPanel(
      (id, value) => void this.setKnob(id, value),
      () => void this.resetKnobs(),
    );
    this.yaml = new YamlPane((pane) => {
      this.yamlPane = pane;
      this.showYaml();
    });
    this.whatIf = new WhatIfPanel(
      (command) => void this.inject(command),
      (id) => void this.switchBranch(id),
    );
    this.breakpoints = new BreakpointsPanel(() => this.applyStops());
    this.checkpoint = new CheckpointDialog(
      (pane, seq) => host.jump(pane, seq),
      (prompt, answer, grades) => host.answered?.({ index: prompt.index, question: prompt.question, answer, correct: grades.every((g) => g.correct) }),
    );
    this.exporter = new ExportPanel();
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
    host.mount({
      top: [this.compare.root],
      bottom: [this.knobs.root, this.yaml.root, this.whatIf.root, this.breakpoints.root, this.exporter.root],
      stage: [this.checkpoint.root, this.breakNote, this.startQuestion],
    });
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
    this.yamlBefore = null;
    this.answered.clear();
    this.whatIfCache.clear();
    this.checkpoint.close();
    this.knobs.setStatus('');
    this.whatIf.setProblem(null);
  }

  /** What a link needs to turn the same knobs and inject the same faults. */
  get link(): { knobs: [string, string][]; faults: LearnerCommand[] } {
    return { knobs: this.knobLog, faults: this.lab.current.commands };
  }

  /**
   * Turns the knobs and injects the faults a link names (before the first run of `file`); what
   * cannot be done is returned as messages naming the URL parameter, and left out.
   */
  restore(file: ScenarioFile, knobs: readonly [string, string][], faults: readonly LearnerCommand[]): string[] {
    this.reset(file);
    const base = this.base();
    if (!base?.ok) return [];
    const errors: string[] = [];
    for (const [id, text] of knobs) {
      const read = readKnob(knobGroups(base.scenario, file.text, this.lab.knobs), id, text);
      if (typeof read === 'string') errors.push(`URL parameter knob: ${read}; left out`);
      else this.turn(base.scenario, id, read.value);
    }
    for (const c of faults) {
      const check = applyEdits(file.text, file.file, { ...this.lab.edits, commands: [...this.lab.current.commands, c] });
      if (check.ok) this.lab.inject(c);
      else errors.push(`URL parameter fault: ${check.problems.map((p) => p.message).join('; ')}; left out`);
    }
    return errors;
  }

  private turn(base: Parameters<typeof setKnob>[0], id: string, value: KnobValue): void {
    this.lab.knobs = setKnob(base, this.lab.knobs, id, value);
    this.knobLog = [...this.knobLog.filter(([k]) => k !== id), [id, knobText(value)]];
  }

  /** After every (re)simulation: refresh every panel from the runs. */
  onRuns(runs: PaneRun[], player: Player, focus: number): void {
    this.runs = runs;
    this.player = player;
    this.yamlPane = Math.min(this.yamlPane, runs.length - 1);
    const comparing = runs.length > 1;
    this.compare.show(comparing);
    const marks: TimelineMark[] = [];
    if (comparing) {
      // Every pane against the reference, the first.
      const names = paneNames(runs.map((r) => r.mesh));
      const placed: PlacedDivergence[] = divergences(
        runs.map((r) => r.trace),
        names,
      ).map((d) => ({
        ...d,
        showMs: player.timelines[d.pane]!.show.eventShow[d.seq]!,
      }));
      this.compare.setRuns(
        names,
        runs.map((r) => summaryOf(r.report)),
        placed,
      );
      this.compare.setFollow(focus);
      // Only the first is a button on the timeline; the panel lists every difference as one.
      placed.forEach((d, i) =>
        marks.push(
          i === 0
            ? {
                showMs: d.showMs,
                kind: 'first-divergence',
                label: `First divergence at ${formatClock(d.timeMs)}: ${d.text}`,
                jump: () => this.host.jump(d.pane, d.seq),
              }
            : { showMs: d.showMs, kind: 'divergence', label: `Difference at ${formatClock(d.timeMs)}: ${d.text}` },
        ),
      );
    }
    for (const c of this.lab.current.commands) marks.push({ showMs: player.showAt(c.at), kind: 'fault', label: `Fault injected: ${describeCommand(c)}` });
    this.host.setMarks(marks);
    this.refreshKnobs();
    this.showYaml();
    this.whatIf.setPods(this.pods());
    this.prompts = checkpointPrompts(runs.map((r) => r.report));
    this.applyStops();
    this.exporter.setTrace(runs[focus]!.trace);
    void this.refreshBranches();
  }

  /** The side panels follow pane `pane`. */
  setFocus(pane: number): void {
    this.compare.setFollow(pane);
    this.yamlPane = pane;
    this.showYaml();
    const run = this.runs[pane];
    if (run) this.exporter.setTrace(run.trace);
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
    this.whatIf.setTime(player.timeMs);
    // At the start, the first unanswered question at 0 s is offered (it never halts Play).
    const start = player.timeMs <= 0 && !this.checkpoint.open ? this.prompts.findIndex((p, i) => p.atMs <= 0 && !this.answered.has(i)) : -1;
    if (start !== this.startIndex) {
      this.startIndex = start;
      this.startQuestion.hidden = start < 0;
      setText(this.startText, start < 0 ? '' : this.prompts[start]!.question);
    }
  }

  private base(): ReturnType<typeof applyEdits> | null {
    return this.file ? applyEdits(this.file.text, this.file.file, {}) : null;
  }

  private pods(): string[] {
    const base = this.base();
    return base?.ok ? scenarioPods(base.scenario) : [];
  }

  private refreshKnobs(): void {
    const base = this.base();
    if (!base?.ok || !this.file) return;
    this.knobs.setGroups(
      knobGroups(base.scenario, this.file.text, this.lab.knobs),
      this.runs.map((r) => r.mesh),
    );
  }

  private showYaml(): void {
    const run = this.runs[this.yamlPane];
    if (!run) return;
    this.yaml.setMeshes(
      this.runs.map((r) => r.mesh),
      this.yamlPane,
    );
    const now = yamlOf(run.resources);
    const before = this.yamlBefore?.get(run.mesh);
    this.yaml.show(run.mesh, diffLines(before ?? now, now));
  }

  private outcomeText(): string {
    const names = paneNames(this.runs.map((r) => r.mesh));
    return this.runs.map((r, i) => `${this.runs.length > 1 ? `${names[i]}: ` : ''}${r.report.summary.ok} ok, ${r.report.summary.failed} failed`).join('; ');
  }

  private async setKnob(id: string, value: KnobValue): Promise<void> {
    const base = this.base();
    if (!base?.ok) return;
    const previous = { knobs: this.lab.knobs, log: this.knobLog };
    await this.rerun(
      () => this.turn(base.scenario, id, value),
      () => ((this.lab.knobs = previous.knobs), (this.knobLog = previous.log)),
    );
  }

  private async resetKnobs(): Promise<void> {
    const previous = { knobs: this.lab.knobs, log: this.knobLog };
    await this.rerun(
      () => ((this.lab.knobs = {}), (this.knobLog = [])),
      () => ((this.lab.knobs = previous.knobs), (this.knobLog = previous.log)),
    );
  }

  /** Applies a knob change, re-simulates, and says what changed; undoes it when the run cannot be made. */
  private async rerun(apply: () => void, undo: () => void): Promise<void> {
    const was = this.outcomeText();
    const yaml = new Map(this.runs.map((r) => [r.mesh, yamlOf(r.resources)]));
    apply();
    this.knobs.setStatus('Simulating again with the same seed…');
    const problems = await this.host.resimulate();
    if (problems) {
      undo();
      this.refreshKnobs();
      this.knobs.setStatus(`Not applied: ${problems.map((p) => p.text).join('; ')}`);
      return;
    }
    this.yamlBefore = yaml;
    this.showYaml();
    this.knobs.setStatus(`Re-simulated with the same seed, playhead kept. Now ${this.outcomeText()} (was ${was}).`);
  }

  private async inject(command: LearnerCommand): Promise<void> {
    const from = this.lab.current.id;
    const branch = this.lab.inject(command);
    this.whatIf.setProblem(null);
    const problems = await this.host.resimulate();
    if (problems) {
      this.lab.drop(branch.id);
      this.lab.switchTo(from);
      this.whatIf.setProblem(`Not injected: ${problems.map((p) => p.text).join('; ')}`);
      void this.refreshBranches();
    }
  }

  private async switchBranch(id: number): Promise<void> {
    const from = this.lab.current.id;
    if (id === from || !this.lab.switchTo(id)) return;
    if (await this.host.resimulate()) this.lab.switchTo(from);
  }

  /** The runs, and what the current branch's last fault changed against the run before it. */
  private async refreshBranches(): Promise<void> {
    const branch = this.lab.current;
    const parent = this.lab.parent;
    const list = (summary: string): void => this.whatIf.setBranches(this.lab.branches, branch.id, summary);
    if (!parent) return list(this.lab.branches.length > 1 ? 'The run as written: switch to a branch to see what its fault changed.' : '');
    const command = branch.commands[branch.commands.length - 1]!;
    const key = JSON.stringify([this.lab.edits, this.runs.map((r) => r.mesh)]);
    let text = this.whatIfCache.get(key);
    if (text === undefined) {
      list('Comparing with the run before this fault…');
      const before = await this.host.simulateAside(this.lab.editsOf(parent));
      if (!before || branch !== this.lab.current) return;
      const names = paneNames(this.runs.map((r) => r.mesh));
      text = this.runs
        .map((r, i) => {
          const s = whatIf(before[i]!.report.requests, r.report.requests, command.at);
          return `${this.runs.length > 1 ? `${names[i]}: ` : ''}${s.text}`;
        })
        .join(' ');
      this.whatIfCache.set(key, text);
    }
    list(`${branch.label.slice(2)} — ${text}`);
  }

  private applyStops(): void {
    const player = this.player;
    if (!player) return;
    const enabled = this.breakpoints.enabled();
    const all = breakpointStops(player.steps, new Set(BREAKPOINTS.map((b) => b.id)));
    const counts = new Map<string, number>();
    for (const s of all) counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
    this.breakpoints.setCounts(counts);
    player.setStops([
      ...all.filter((s) => enabled.has(s.id)),
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
    this.changed = true;
    this.checkpoint.ask(prompt, () => {
      this.changed = true;
      this.answered.add(index);
      this.applyStops();
      if (this.resumeAfterCheckpoint) this.host.play();
    });
  }
}
