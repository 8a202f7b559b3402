/**
 * The app: picks a scenario and a mesh, has the player simulate it, and keeps the picture and
 * the panels in step with the player's cursor. It changes the world only by re-running the
 * simulation (another scenario, mesh or seed); everything else is a cursor move.
 */
import { COMPARE, Player, meshName, type RunOutcome, type RunProblem, type Runner, type ScenarioEdits } from '../player/index.ts';
import { loadFollow, type MeshView, type Selection } from '../render/index.ts';
import { libraryFile, linkedScenario, type ScenarioFile } from './library.ts';
import { headStart, pageRunner, takeHeadStart } from './headStart.ts';
import { takeFetch } from './earlyStart.ts';
import { readUrl, writeUrl } from './urlState.ts';
import type { MeshVersions, ReleaseMesh } from '../scenario/index.ts';
import type { Shell } from './shell.ts';
import type { AppOptions } from './appOptions.ts';
import { Workbench, type PaneRun } from './Workbench.ts';
import type { TimelineMark } from './controls.ts';
import { CompareNotes } from './compareNotes.ts';
import { MeshChoice, and } from './meshChoice.ts';
import { jump, type JumpTarget } from './jumps.ts';
import { Redraw } from './redraw.ts';
import { PaneViews } from './paneViews.ts';
import { paneRun, previewPane, simulatePanes } from './paneRuns.ts';
import { setPictures, showPage } from './pictures.ts';
import { nextFrame } from './dom.ts';

/**
 * From this many events a run's picture is drawn before the player indexes it (App.open): about
 * 0.1 s of indexing in Chromium, more than a frame is worth holding the picture back for.
 */
const EARLY_PICTURE_EVENTS = 20_000;

export class App {
  player: Player | null = null;
  private scenario: ScenarioFile | null = null;
  /** Releases the learner picked (the URL's `istio=1.23`, the release picker). */
  private versions: MeshVersions = {};
  /** The mesh switch's choice and each pane's mesh. */
  private readonly meshes = new MeshChoice();
  private seed: number | undefined;
  private selection: Selection = null;
  private loading = 0;
  private readonly runner: Runner;
  private readonly reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  private urlErrors: string[] = [];
  /** The panes' pictures (paneViews.ts). */
  private readonly panes: PaneViews;
  /** One picture per pane: the first is the page's own, the others appear in compare mode. */
  private readonly views: readonly MeshView[];
  /** The pane the side panels follow, and the pane the selection was made in. */
  private focus = 0;
  private selectionPane = 0;
  /** The timeline's marks (compare mode's differences, faults), for the keys that jump to them. */
  private marks: readonly TimelineMark[] = [];
  readonly workbench: Workbench;
  /** Compare mode: each pane's difference from the others at the playhead. */
  private readonly diffs: CompareNotes;
  /** Brings the pictures and panels in step with the player each frame. */
  private readonly redraw: Redraw;
  /** Guided mode: each picture frames the nodes its current narration is about and dims the rest. */
  private guided = false;

  /**
   * `view`: the first pane's picture; null to have it made when the first run is shown, once the
   * page around it is laid out (its canvas made at the size it is drawn at, see {@link open}).
   */
  constructor(
    private readonly shell: Shell,
    view: MeshView | null,
    private readonly options: AppOptions = {},
  ) {
    this.runner = options.runner ?? headStart()?.runner ?? pageRunner();
    this.panes = new PaneViews(shell, {
      // Clicking in a pane selects there, and the side panels follow that pane.
      select: (selection, pane) => {
        this.selection = selection;
        this.selectionPane = pane;
        if (selection?.kind === 'packet' && selection.packet.requestId) this.workbench.selectRequest(selection.packet.requestId);
        this.setFocus(pane);
        this.redraw.invalidate();
        if (selection) this.shell.revealInspector();
      },
      frame: (ms) => this.frame(ms),
    });
    this.views = this.panes.list;
    this.diffs = new CompareNotes(
      (i) => shell.stageOf(i).parentElement!,
      () => this.redraw.invalidate(),
    );
    this.workbench = new Workbench({
      resimulate: async () => (this.scenario ? this.open(this.scenario, undefined, { revertable: true }) : null),
      simulateAside: (edits) => this.simulateAside(edits),
      jump: (pane, seq) => {
        this.command((p) => {
          p.pause();
          p.seekEvent(pane, seq);
        });
      },
      follow: (pane) => this.setFocus(pane),
      offered: () => this.meshes.offered ?? [],
      setPanes: (panes) => void this.setMesh(COMPARE, panes),
      play: () => this.command((p) => p.play()),
      mount: (parts) => shell.mount(parts),
      setMarks: (marks) => {
        this.marks = marks;
        shell.setMarks(marks, this.player?.trace.durationMs ?? 1);
      },
      answered: (answer) => this.options.events?.checkpointAnswered?.(answer),
      onScreen: (pane) => this.panes.onScreen(pane),
    });
    this.redraw = new Redraw(shell, this.views, this.workbench, this.diffs, () => this.focus);
    if (view) this.panes.add(view);
    this.reducedMotion.addEventListener('change', () => this.applyMotion());
    shell.narration.onGuided = (on) => this.setGuided(on);
  }

  /** Turns guided mode on or off, in every pane (the narration panel's switch, `guided=on` in the URL). */
  setGuided(on: boolean): void {
    this.guided = on;
    this.panes.setGuided(on);
    this.shell.narration.setGuided(on);
    this.writeUrl();
  }

  /** The side panels (inspector, events, metrics, YAML, export) follow pane `pane`. */
  setFocus(pane: number): void {
    const player = this.player;
    if (!player || pane >= player.timelines.length) return;
    if (pane !== this.focus && this.scenario) {
      this.focus = pane;
      this.shell.setTrace(player.timelines[pane]!.trace, this.scenario, player.steps);
    }
    this.workbench.setFocus(pane);
    this.redraw.invalidate();
  }

  /** The picture of pane `i` (compare mode has one per mesh). */
  view(i: number): MeshView | undefined {
    return this.views[i];
  }

  zoom(factor: number): void {
    this.panes.zoom(factor);
  }

  /** The Fit to view button: every picture whole, whatever its label size. */
  fit(): void {
    this.panes.fit();
  }

  /** Runs `edits` under the current mesh(es) without showing them (the run a fault is compared with). */
  private async simulateAside(edits: ScenarioEdits): Promise<PaneRun[] | null> {
    const file = this.scenario;
    if (!file) return null;
    const outcomes = await this.simulate(file, this.meshes.panes, edits);
    return outcomes.every((o) => o.ok) ? outcomes.map(paneRun) : null;
  }

  /** Runs `file` under each pane's mesh, with this seed and these releases. */
  private simulate(file: ScenarioFile, panes: readonly string[], edits: ScenarioEdits): Promise<RunOutcome[]> {
    return simulatePanes(this.runner, file, panes, { edits, versions: this.versions, seed: this.seed });
  }

  get motion(): boolean {
    return !this.reducedMotion.matches;
  }

  private applyMotion(): void {
    if (this.player) this.player.reducedMotion = !this.motion;
    this.redraw.invalidate();
  }

  /**
   * Opens what the URL asks for (or the default scenario), reporting every bad parameter. An
   * embedding page passes its own query, and `given` for a scenario it already holds.
   */
  async start(search = location.search, given?: ScenarioFile): Promise<void> {
    const { state, errors } = readUrl(search);
    this.urlErrors = errors;
    this.meshes.fromLink(state.mesh, state.with);
    this.versions = state.versions ?? {};
    this.seed = state.seed;
    if (state.guided) this.setGuided(true);
    // A scenario from elsewhere may be a long run for the worker: its modules load meanwhile.
    if (!given && state.scenarioUrl) this.runner.warm?.();
    // The fetch the page's head start began (headStart.ts), when this page's runner is the one it
    // started the run on; else the entry script's, if it began one (earlyStart.ts).
    const head = takeHeadStart();
    const own = !given && !!state.scenarioUrl && !this.options.scenarioOrigins;
    const fetched =
      own && head?.runner === this.runner && head.url === state.scenarioUrl ? head.file : own ? (takeFetch(state.scenarioUrl!) ?? undefined) : undefined;
    const file = given ?? (await linkedScenario(state, this.options.scenarioOrigins, this.urlErrors, fetched));
    if (file && (state.knobs || state.faults)) this.urlErrors.push(...(await this.workbench.restore(file, state.knobs ?? [], state.faults ?? [])));
    this.shell.setMesh(this.meshes.mesh);
    if (file) await this.open(file, state.t);
    else this.shell.showErrors(['The scenario library is empty.']);
  }

  /**
   * Simulates `file` under the current mesh (each pane's in compare mode), seed and the workbench's
   * edits, then seeks to `t` (or keeps the time on a re-run). Returns the problems when it cannot;
   * with `revertable` (a knob or a fault) they are left to the caller and the last run stays.
   */
  async open(file: ScenarioFile, t?: number, options: { revertable?: boolean } = {}): Promise<RunProblem[] | null> {
    const sameScenario = this.scenario?.key === file.key;
    if (!sameScenario) this.workbench.reset(file);
    const token = ++this.loading;
    const meshes = this.meshes.panes;
    const names = [...new Set(meshes)].map(meshName);
    this.shell.setLoading(`Simulating under ${and(names)}…`);
    // Let the loading note paint before a run that may take a few tens of milliseconds — not on
    // the page's first open, which has no picture yet to keep the note over (its page paints
    // while the scenario is fetched).
    const first = !this.player;
    if (!first) await nextFrame();
    // A long run begun before the renderer (headStart.ts): its start's picture first, the rest on arrival.
    const edits = { edits: this.workbench.edits, versions: this.versions, seed: this.seed };
    const preview = !this.player && meshes.length === 1 ? previewPane(this.runner, file, meshes[0]!, edits) : null;
    // Its picture's canvas is made while the worker simulates, this thread being free (resized if
    // the page around it changes); a run simulated here has its canvases made after it (below).
    // The title's row is held by the file's name until the run brings its title: a canvas made
    // beside an empty title was resized when the title came (~0.2 s in software WebGL).
    if (preview) {
      this.shell.setTitle(file.file, '');
      void this.panes.ensure(1);
    }
    const simulated = this.simulate(file, meshes, this.workbench.edits);
    const previewed = await preview;
    if (previewed && token === this.loading) {
      showPage(this.shell, this.focus, meshes, [previewed.trace]);
      await this.panes.ensure(1);
      setPictures(this.views, [previewed.trace], previewed.requestsScale);
    }
    const outcomes = await simulated;
    // The page's first pictures are made once the page around them is laid out (below): a WebGL
    // canvas made at one size and drawn at another reallocates its buffers (~0.1 s in software WebGL).
    if (!first) await this.panes.ensure(meshes.length);
    if (token !== this.loading) return null;
    // Only the meshes the scenario is written for: a pane showing another moves to one it is.
    const offered = outcomes.find((o) => o.offered)?.offered;
    this.meshes.comparePair = outcomes.find((o) => o.compare)?.compare ?? null;
    if (offered?.length) {
      const fitted = this.meshes.fit(file.key, offered);
      if (fitted.error) this.urlErrors.push(fitted.error);
      if (fitted.moved) {
        this.shell.setMesh(this.meshes.mesh);
        return this.open(file, t, options);
      }
      this.meshes.offered = offered;
      this.shell.offerMeshes(file.key, offered);
    }
    this.shell.setLoading(null);
    const outcome = outcomes.find((o) => !o.ok) ?? outcomes[0]!;
    if (!outcome.ok && options.revertable && sameScenario && this.player) return outcome.problems;
    this.shell.setScenario(file);
    if (!outcome.ok) {
      this.shell.showErrors([...this.urlErrors, ...outcome.problems.map((p) => p.text)]);
      this.shell.setTitle(file.file, 'This scenario has problems; pick another one, or fix the file.');
      await this.panes.ensure(meshes.length);
      if (token !== this.loading) return null;
      this.options.events?.opened?.(
        file,
        this.meshes.mesh,
        outcome.problems.map((p) => p.text),
        meshes,
      );
      return outcome.problems;
    }
    this.shell.showErrors(this.urlErrors);
    const runs = outcomes.map(paneRun);
    const traces = runs.map((r) => r.trace);
    // The page around the pictures, once: the pictures are laid out at the size it leaves them.
    showPage(this.shell, this.focus, meshes, traces);
    // Two panes or more follow the step: what follows it loads first (framing.ts loadFollow).
    if (traces.length > 1) {
      await loadFollow();
      if (token !== this.loading) return null;
    }
    if (first) {
      await this.panes.ensure(meshes.length);
      if (token !== this.loading) return null;
    }
    const playing = this.player?.playing ?? false;
    // A long run opened first: its picture at 0 s (the layout and the static scene, what the
    // learner starts from) is drawn now, before the player indexes the run (a second or more).
    const early = !this.player && traces.length === 1 && (!!previewed || traces[0]!.events.length >= EARLY_PICTURE_EVENTS);
    if (early) {
      setPictures(this.views, traces);
      await nextFrame();
      if (token !== this.loading) return null;
    }
    if (this.player && sameScenario) {
      this.player.replaceTrace(traces);
      if (playing) this.player.play();
    } else {
      this.player = new Player(traces);
      this.selection = null;
      if (t !== undefined) this.player.seekTime(t);
      else this.player.restart();
    }
    if (this.selectionPane >= traces.length) this.selection = null;
    this.focus = Math.min(this.focus, traces.length - 1);
    this.scenario = file;
    this.applyMotion();
    if (!early) setPictures(this.views, traces);
    this.diffs.setRuns(traces, this.player);
    // The page's first picture, at the asked time, is rendered before the panels are filled.
    if (first && !early) this.redraw.pictures(this.player, { selection: null, selectionPane: 0, motion: this.motion }, true);
    this.shell.setTrace(traces[this.focus]!, file, this.player.steps);
    this.workbench.onRuns(runs, this.player, this.focus);
    this.redraw.invalidate();
    // The address once the picture is drawn: replaceState took 17–144 ms a mesh switch under load.
    void nextFrame().then(() => token === this.loading && this.writeUrl());
    this.options.events?.opened?.(file, this.meshes.mesh, [], meshes);
    return null;
  }

  /**
   * Switches the mesh (for compare, `panes`: 2–6 meshes, checked by the caller; by default the
   * panes shown already, or {@link DEFAULT_PANES}): re-simulates with the same seed, keeping the
   * playhead's time.
   */
  async setMesh(mesh: string, panes?: readonly string[]): Promise<void> {
    if (!this.meshes.choose(mesh, panes, this.scenario?.key)) return;
    this.shell.setMesh(mesh);
    if (this.scenario) await this.open(this.scenario);
  }

  /** Picks another library scenario (from the start). */
  async pick(key: string): Promise<void> {
    if (key === this.scenario?.key) return;
    const file = await libraryFile(key);
    if (!file || file.key === this.scenario?.key) return;
    this.urlErrors = [];
    this.player?.pause();
    await this.open(file, 0);
  }

  /**
   * Runs `mesh` as another of its releases (the release picker), keeping the playhead's time. A
   * release the scenario cannot run under (it asks for a field that release lacks) is reported
   * and the previous one stays.
   */
  async setRelease(mesh: string, version: string): Promise<void> {
    const before = this.versions;
    this.versions = { ...before, [mesh as ReleaseMesh]: version };
    if (!this.scenario) return;
    const problems = await this.open(this.scenario, undefined, { revertable: true });
    if (problems) {
      this.versions = before;
      const shown = this.player?.timelines.find((t) => t.trace.mesh === mesh)?.trace.release?.version;
      if (shown) this.shell.setRelease(mesh, shown);
      this.shell.showErrors([...this.urlErrors, ...problems.map((p) => p.text)]);
    }
  }

  /**
   * Jumps to the next (1) or previous (-1) narration line, moment a breakpoint can stop at, or
   * difference between the panes (compare mode), and pauses there.
   */
  jump(what: JumpTarget, direction: 1 | -1): void {
    this.command((p) => {
      p.pause();
      jump(p, this.marks, what, direction);
    });
  }

  /** Runs a player command, then refreshes the URL when paused. */
  command(run: (p: Player) => void): void {
    if (!this.player) return;
    run(this.player);
    this.redraw.invalidate();
    if (!this.player.playing) this.writeUrl();
  }

  private writeUrl(): void {
    if (!this.scenario || !this.player || this.options.writeUrl === false) return;
    const fromUrl = this.scenario.key.startsWith('url:');
    const query = writeUrl({
      ...(fromUrl ? { scenarioUrl: this.scenario.key.slice(4) } : { scenario: this.scenario.key }),
      mesh: this.meshes.mesh,
      ...this.meshes.link,
      ...(Object.keys(this.versions).length ? { versions: this.versions } : {}),
      ...(this.seed === undefined ? {} : { seed: this.seed }),
      t: this.player.timeMs,
      ...(this.guided ? { guided: true } : {}),
      ...this.workbench.link,
    });
    if (query !== location.search) history.replaceState(null, '', query);
  }

  private frame(realMs: number): void {
    const player = this.player;
    if (!player) return;
    const wasPlaying = player.playing;
    if (wasPlaying) player.advance(realMs);
    if (wasPlaying && !player.playing) this.writeUrl();
    this.workbench.takeHit(player, wasPlaying);
    this.redraw.frame(player, { focus: this.focus, selection: this.selection, selectionPane: this.selectionPane, motion: this.motion }, realMs);
  }
}
