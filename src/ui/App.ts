/**
 * The app: picks a scenario and a mesh, has the player simulate it, and keeps the picture and
 * the panels in step with the player's cursor. It changes the world only by re-running the
 * simulation (another scenario, mesh or seed); everything else is a cursor move.
 */
import {
  COMPARE,
  DEFAULT_PANES,
  MAX_PANES,
  MESHES,
  MIN_PANES,
  Player,
  breakpointOf,
  createRunner,
  meshName,
  meshesOf,
  preloadMeshes,
  type RunOutcome,
  type RunProblem,
  type Runner,
  type ScenarioEdits,
  type View,
} from '../player/index.ts';
import { MeshView, type Selection } from '../render/index.ts';
import { DEFAULT_SCENARIO, LIBRARY, fetchScenario, libraryFile, type ScenarioFile } from './library.ts';
import { readUrl, writeUrl } from './urlState.ts';
import type { MeshVersions, ReleaseMesh } from '../scenario/index.ts';
import type { Shell } from './shell.ts';
import type { AppOptions } from './appOptions.ts';
import { Workbench, type PaneRun } from './Workbench.ts';
import type { TimelineMark } from './controls.ts';
import { DiffOverlay } from './diffOverlay.ts';

export class App {
  player: Player | null = null;
  private scenario: ScenarioFile | null = null;
  private mesh = MESHES[0]!.id;
  /** Releases the learner picked (the URL's `istio=1.23`, the release picker). */
  private versions: MeshVersions = {};
  /** The mesh of each pane: the mesh, or compare mode's 2–4 (the first is the reference). */
  private panes: string[] = [MESHES[0]!.id];
  private seed: number | undefined;
  private selection: Selection = null;
  private lastView: View | null = null;
  private lastDrawKey = '';
  private metricsDueMs = 0;
  /** A text view of the picture is due after this frame (see describeSoon). */
  private describing = false;
  private loading = 0;
  private readonly runner: Runner;
  private readonly reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  private urlErrors: string[] = [];
  /** The meshes the open scenario is written for (the switch offers only these); null before the first run. */
  private offered: string[] | null = null;
  /** The meshes compare mode opens the open scenario with (its `compare`, else the first two offered); null before the first run. */
  private comparePair: string[] | null = null;
  /** Whether the learner (or the URL's `with`) chose compare's panes: else they follow the scenario's {@link comparePair}. */
  private panesChosen = false;
  /** Which of `mesh` and `with` the URL gave, until the first run has checked them against the scenario. */
  private fromUrl: { mesh: boolean; with: boolean } = { mesh: false, with: false };
  /** One picture per pane: the first is the page's own, the others appear in compare mode. */
  private readonly views: MeshView[];
  /** The pane the side panels follow, and the pane the selection was made in. */
  private focus = 0;
  private selectionPane = 0;
  private drawnPosition: unknown = null;
  /** The timeline's marks (compare mode's differences, faults), for the keys that jump to them. */
  private marks: readonly TimelineMark[] = [];
  readonly workbench: Workbench;
  /** Compare mode: each pane's difference from the others at the playhead. */
  private readonly diffs: DiffOverlay;
  /** Guided mode: each picture frames the nodes its current narration is about and dims the rest. */
  private guided = false;

  constructor(
    private readonly shell: Shell,
    view: MeshView,
    private readonly options: AppOptions = {},
  ) {
    this.runner =
      options.runner ?? createRunner({ spawnWorker: () => new Worker(new URL('../player/simulation.worker.ts', import.meta.url), { type: 'module' }) });
    this.views = [view];
    this.diffs = new DiffOverlay((i) => shell.stageOf(i).parentElement!);
    this.listen(view, 0);
    view.onFrame((ms) => this.frame(ms));
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
      play: () => this.command((p) => p.play()),
      mount: (parts) => shell.mount(parts),
      setMarks: (marks) => {
        this.marks = marks;
        shell.setMarks(marks, this.player?.trace.durationMs ?? 1);
      },
      answered: (answer) => this.options.events?.checkpointAnswered?.(answer),
      onScreen: (pane) => this.onScreen(pane),
    });
    this.reducedMotion.addEventListener('change', () => this.applyMotion());
    shell.narration.onGuided = (on) => this.setGuided(on);
  }

  /** Turns guided mode on or off, in every pane (the narration panel's switch, `guided=on` in the URL). */
  setGuided(on: boolean): void {
    this.guided = on;
    for (const v of this.views) v.setGuided(on);
    this.shell.narration.setGuided(on);
    this.writeUrl();
  }

  /** Where pane `pane` draws its boxes and control plane, in client CSS pixels (the workbench keeps its cards off them). */
  private onScreen(
    pane: number,
  ): { boxes: { id: string; x: number; y: number; w: number; h: number }[]; controlPlane: { x: number; y: number; w: number; h: number } | null } | null {
    const view = this.views[pane];
    const layout = view?.layoutOnScreen();
    if (!view || !layout) return null;
    const at = this.shell.stageOf(pane).getBoundingClientRect();
    const move = <R extends { x: number; y: number }>(r: R): R => ({ ...r, x: r.x + at.left, y: r.y + at.top });
    const plane = view.controlPlaneOnScreen();
    return { boxes: layout.boxes.map(move), controlPlane: plane && move(plane) };
  }

  /** Clicking in pane `i` selects there, and the side panels follow that pane. */
  private listen(view: MeshView, pane: number): void {
    view.describeWith('picture-text');
    view.onSelect = (selection) => {
      this.selection = selection;
      this.selectionPane = pane;
      if (selection?.kind === 'packet' && selection.packet.requestId) this.workbench.selectRequest(selection.packet.requestId);
      this.setFocus(pane);
      this.lastDrawKey = '';
      if (selection) this.shell.revealInspector();
    };
    view.onKeyboardFocus = (text) => this.shell.announce(text === null ? '' : this.views.length > 1 ? `${this.shell.paneName(pane)}: ${text}` : text);
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
    this.lastDrawKey = '';
  }

  /** Creates compare mode's pictures the first time they are needed. */
  private async ensureViews(count: number): Promise<void> {
    while (this.views.length < count) {
      const view = await MeshView.create(this.shell.stageOf(this.views.length));
      this.listen(view, this.views.length);
      view.setGuided(this.guided);
      view.onFrame(() => {});
      this.views.push(view);
    }
  }

  /** The picture of pane `i` (compare mode has one per mesh). */
  view(i: number): MeshView | undefined {
    return this.views[i];
  }

  zoom(factor: number): void {
    for (const v of this.views) v.zoom(factor);
  }

  /** The Fit to view button: every picture whole, whatever its label size. */
  fit(): void {
    for (const v of this.views) v.fit(true);
  }

  /** Runs `edits` under the current mesh(es) without showing them (the run a fault is compared with). */
  private async simulateAside(edits: ScenarioEdits): Promise<PaneRun[] | null> {
    const file = this.scenario;
    if (!file) return null;
    const outcomes = await this.simulate(file, this.panes, edits);
    return outcomes.every((o) => o.ok) ? outcomes.map(paneRun) : null;
  }

  /** Runs `file` under each pane's mesh; a mesh on screen twice is simulated once (same seed, same run). */
  private async simulate(file: ScenarioFile, panes: readonly string[], edits: ScenarioEdits): Promise<RunOutcome[]> {
    const meshes = [...new Set(panes)];
    const outcomes = await Promise.all(
      meshes.map((mesh) =>
        this.runner.run({ ...request(file), mesh, edits, versions: this.versions, ...(this.seed === undefined ? {} : { seed: this.seed }) }),
      ),
    );
    return panes.map((m) => outcomes[meshes.indexOf(m)]!);
  }

  get motion(): boolean {
    return !this.reducedMotion.matches;
  }

  private applyMotion(): void {
    if (this.player) this.player.reducedMotion = !this.motion;
    this.lastDrawKey = '';
  }

  /**
   * Starts fetching what {@link start} will open for `search` — the library scenario and its
   * meshes' profiles, each a chunk — without waiting: the page calls it before the renderer
   * starts, so that they arrive meanwhile. A hint only: `start` reads and reports the URL.
   */
  static prefetch(search = location.search): void {
    const { state } = readUrl(search);
    if (!state.scenarioUrl) void libraryFile(state.scenario ?? DEFAULT_SCENARIO).catch(() => undefined);
    preloadMeshes(meshesOf(state.mesh ?? MESHES[0]!.id, state.with));
  }

  /**
   * Opens what the URL asks for (or the default scenario), reporting every bad parameter. An
   * embedding page passes its own query, and `given` for a scenario it already holds.
   */
  async start(search = location.search, given?: ScenarioFile): Promise<void> {
    const { state, errors } = readUrl(search);
    this.urlErrors = errors;
    this.fromUrl = { mesh: state.mesh !== undefined, with: state.with !== undefined };
    this.panesChosen = state.with !== undefined;
    if (state.mesh) this.mesh = state.mesh;
    this.versions = state.versions ?? {};
    this.panes = meshesOf(this.mesh, state.with);
    this.seed = state.seed;
    if (state.guided) this.setGuided(true);
    let file: ScenarioFile | undefined = given;
    if (file) {
      // The host page chose the scenario itself.
    } else if (state.scenarioUrl) {
      // A scenario from elsewhere may be a long run for the worker: its modules load meanwhile.
      this.runner.warm?.();
      const fetched = await fetchScenario(state.scenarioUrl, this.options.scenarioOrigins);
      if ('error' in fetched) this.urlErrors.push(fetched.error);
      else file = fetched;
    } else if (state.scenario !== undefined) {
      file = await libraryFile(state.scenario);
      if (!file)
        this.urlErrors.push(
          `URL parameter scenario: no scenario "${state.scenario}" in the library (${LIBRARY.map((s) => s.key).join(', ')}); showing ${DEFAULT_SCENARIO}`,
        );
    }
    file ??= (await libraryFile(DEFAULT_SCENARIO)) ?? (LIBRARY[0] ? await libraryFile(LIBRARY[0].key) : undefined);
    if (file && (state.knobs || state.faults)) this.urlErrors.push(...(await this.workbench.restore(file, state.knobs ?? [], state.faults ?? [])));
    this.shell.setMesh(this.mesh);
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
    const meshes = this.panes;
    const names = [...new Set(meshes)].map(meshName);
    this.shell.setLoading(`Simulating under ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]}…`);
    // Let the loading note paint before a run that may take a few tens of milliseconds.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const outcomes = await this.simulate(file, meshes, this.workbench.edits);
    await this.ensureViews(meshes.length);
    if (token !== this.loading) return null;
    // Only the meshes the scenario is written for: a pane showing another moves to one it is.
    const offered = outcomes.find((o) => o.offered)?.offered;
    this.comparePair = outcomes.find((o) => o.compare)?.compare ?? null;
    if (offered?.length) {
      if (this.fitPanes(file, offered)) return this.open(file, t, options);
      this.offered = offered;
      this.shell.offerMeshes(file.key, offered);
    }
    this.shell.setLoading(null);
    const outcome = outcomes.find((o) => !o.ok) ?? outcomes[0]!;
    if (!outcome.ok && options.revertable && sameScenario && this.player) return outcome.problems;
    this.shell.setScenario(file);
    if (!outcome.ok) {
      this.shell.showErrors([...this.urlErrors, ...outcome.problems.map((p) => p.text)]);
      this.shell.setTitle(file.file, 'This scenario has problems; pick another one, or fix the file.');
      this.options.events?.opened?.(
        file,
        this.mesh,
        outcome.problems.map((p) => p.text),
        meshes,
      );
      return outcome.problems;
    }
    this.shell.showErrors(this.urlErrors);
    const runs = outcomes.map(paneRun);
    const traces = runs.map((r) => r.trace);
    const playing = this.player?.playing ?? false;
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
    traces.forEach((trace, i) => {
      // Every pane opens readable (labels ≥ 11 px); a compare pane too small for its whole picture follows the step.
      this.views[i]!.framing.follow = traces.length > 1;
      this.views[i]!.setTrace(trace);
    });
    this.diffs.setRuns(traces, this.player);
    this.shell.setPanes(
      meshes,
      traces.map((t) => t.release?.label),
    );
    for (const trace of traces) if (trace.release) this.shell.setRelease(trace.mesh, trace.release.version);
    this.shell.setTrace(traces[this.focus]!, file, this.player.steps);
    this.workbench.onRuns(runs, this.player, this.focus);
    this.lastDrawKey = '';
    this.writeUrl();
    this.options.events?.opened?.(file, this.mesh, [], meshes);
    return null;
  }

  /**
   * Switches the mesh (for compare, `panes`: 2–4 meshes, checked by the caller; by default the
   * panes shown already, or {@link DEFAULT_PANES}): re-simulates with the same seed, keeping the
   * playhead's time.
   */
  async setMesh(mesh: string, panes?: readonly string[]): Promise<void> {
    const offered = this.offered;
    const compareDefault = this.comparePair ?? (offered && offered.length >= MIN_PANES ? offered.slice(0, MIN_PANES) : DEFAULT_PANES);
    const next = meshesOf(mesh, panes ?? (mesh === this.mesh ? this.panes : compareDefault));
    const bad = offered ? next.filter((m) => !offered.includes(m)) : [];
    // The switch offers no such button; a host page's setMesh hears why.
    if (bad.length && this.scenario) throw new Error(`mesh: ${this.scenario.key} is written for ${offered!.join(', ')}, not ${[...new Set(bad)].join(', ')}`);
    if (mesh === this.mesh && next.join() === this.panes.join()) return;
    if (panes) this.panesChosen = true;
    this.mesh = mesh;
    this.panes = next;
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
   * Moves the panes that show a mesh `file` is not written for to meshes it is (compare keeps
   * two or more of them, else shows the first); says so when the URL asked for them. Whether it
   * moved any.
   */
  private fitPanes(file: ScenarioFile, offered: readonly string[]): boolean {
    const fromUrl = this.fromUrl;
    this.fromUrl = { mesh: false, with: false };
    // Compare's panes nobody chose are the ones the scenario names (Istio with Istio ambient for an ambient lesson).
    const pair = this.comparePair;
    if (this.mesh === COMPARE && !this.panesChosen && pair && pair.length >= MIN_PANES && pair.join() !== this.panes.join()) {
      this.panes = [...pair];
      return true;
    }
    const bad = [...new Set(this.panes.filter((m) => !offered.includes(m)))];
    if (bad.length === 0) return false;
    const keep = this.panes.filter((m) => offered.includes(m));
    const comparing = this.mesh === COMPARE && offered.length >= MIN_PANES;
    const panes = comparing ? (keep.length >= MIN_PANES ? keep : offered.slice(0, MIN_PANES)) : [offered[0]!];
    // mesh=compare with no `with`: the panes are the app's default, not the learner's — two
    // meshes the scenario is written for, silently (a scenario for Istio and Istio ambient).
    const defaultPanes = this.mesh === COMPARE && !fromUrl.with && comparing;
    if ((fromUrl.mesh || fromUrl.with) && !defaultPanes) {
      const param = this.mesh === COMPARE && fromUrl.with ? 'with' : 'mesh';
      const names = (ids: readonly string[]): string => and(ids.map(meshName));
      const give =
        param === 'with' && offered.length >= MIN_PANES
          ? `give ${MIN_PANES} to ${MAX_PANES} of ${offered.join(', ')}`
          : `it is written for ${offered.join(', ')}`;
      this.urlErrors.push(
        `URL parameter ${param}: ${file.key} is not written for ${bad.map((m) => `${meshName(m)} (${m})`).join(', ')}; ${give}; showing ${names(panes)}${
          this.mesh === COMPARE && !comparing ? ` alone (compare needs ${MIN_PANES} meshes it is written for)` : ''
        }`,
      );
    }
    this.mesh = comparing ? COMPARE : panes[0]!;
    this.panes = panes;
    this.shell.setMesh(this.mesh);
    return true;
  }

  /**
   * Jumps to the next (1) or previous (-1) narration line, moment a breakpoint can stop at, or
   * difference between the panes (compare mode), and pauses there.
   */
  jump(what: 'narration' | 'breakpoint' | 'divergence', direction: 1 | -1): void {
    this.command((p) => {
      p.pause();
      if (what === 'divergence') {
        const now = p.position.showMs;
        const at = this.marks
          .filter((m) => m.at && m.at.pane < p.timelines.length)
          .map((m) => ({ ...m.at!, showMs: p.timelines[m.at!.pane]!.show.eventShow[m.at!.seq] ?? 0 }))
          .sort((a, b) => a.showMs - b.showMs);
        const next = direction > 0 ? at.find((m) => m.showMs > now + 1e-6) : at.filter((m) => m.showMs < now - 1e-6).pop();
        if (next) p.seekEvent(next.pane, next.seq);
        return;
      }
      const steps = p.steps;
      const wanted = (i: number): boolean => {
        const s = steps[i]!;
        return what === 'narration' ? s.kind === 'narration' : s.decision !== undefined && breakpointOf(s.decision) !== undefined;
      };
      for (let i = p.stepIndex + direction; i >= 0 && i < steps.length; i += direction)
        if (wanted(i)) {
          p.seekStep(i);
          return;
        }
    });
  }

  /** Runs a player command, then refreshes the URL when paused. */
  command(run: (p: Player) => void): void {
    if (!this.player) return;
    run(this.player);
    this.lastDrawKey = '';
    if (!this.player.playing) this.writeUrl();
  }

  private writeUrl(): void {
    if (!this.scenario || !this.player || this.options.writeUrl === false) return;
    const fromUrl = this.scenario.key.startsWith('url:');
    const query = writeUrl({
      ...(fromUrl ? { scenarioUrl: this.scenario.key.slice(4) } : { scenario: this.scenario.key }),
      mesh: this.mesh,
      ...(this.mesh === COMPARE && this.panes.join() !== (this.comparePair ?? DEFAULT_PANES).join() ? { with: this.panes } : {}),
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
    const focus = this.focus;
    const view = player.viewOf(focus);
    const key = `${player.playing}:${player.speed}:${this.motion}:${focus}`;
    const changed = view !== this.lastView || key !== this.lastDrawKey || player.position !== this.drawnPosition;
    const stale = this.workbench.stale;
    if (changed || stale) this.workbench.update(player);
    if (!changed) {
      if (stale) this.workbench.placeCards();
      return;
    }
    this.lastView = view;
    this.lastDrawKey = key;
    this.drawnPosition = player.position;
    this.diffs.update(player, this.views);
    player.timelines.forEach((_, i) =>
      this.views[i]?.draw(player.viewOf(i), { motion: this.motion, selection: i === this.selectionPane ? this.selection : null }),
    );
    const done = (seq: number): boolean => player.isDone(focus, seq);
    this.metricsDueMs -= realMs;
    const metrics = !player.playing || this.metricsDueMs <= 0;
    if (metrics) this.metricsDueMs = 250;
    this.shell.update(player, view, this.selectionPane === focus ? this.selection : null, done, metrics ? player.metrics(focus) : null);
    // Last, once the page is written: where the picture's boxes are on the page is read once.
    this.workbench.placeCards();
    // The picture in words, as often as the metrics (it is as busy while playing), after the frame
    // is drawn: a text view for screen readers, which the picture does not wait for.
    if (metrics) this.describeSoon();
  }

  /** Fills the picture's text view after this frame (once however often it is asked for meanwhile). */
  private describeSoon(): void {
    if (this.describing) return;
    this.describing = true;
    setTimeout(() => {
      this.describing = false;
      this.shell.setTextView(this.views[this.focus]?.describe() ?? []);
    }, 0);
  }
}

/** `a`, `a and b`, `a, b and c`. */
function and(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}

function paneRun(o: RunOutcome): PaneRun {
  if (!o.ok) throw new Error('paneRun of a failed run');
  return { mesh: o.trace.mesh, trace: o.trace, report: o.report, scenario: o.scenario };
}

/** What a run request says about the file: its text, and its loaded form when known. */
function request(file: ScenarioFile): { text: string; file: string; loaded?: ScenarioFile['loaded'] } {
  return { text: file.text, file: file.file, ...(file.loaded ? { loaded: file.loaded } : {}) };
}
