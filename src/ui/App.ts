/**
 * The app: picks a scenario and a mesh, has the player simulate it, and keeps the picture and
 * the panels in step with the player's cursor. It changes the world only by re-running the
 * simulation (another scenario, mesh or seed); everything else is a cursor move.
 */
import { MESHES, Player, createRunner, type Runner, type View } from '../player/index.ts';
import type { MeshView, Selection } from '../render/index.ts';
import { DEFAULT_SCENARIO, LIBRARY, fetchScenario, type ScenarioFile } from './library.ts';
import { readUrl, writeUrl } from './urlState.ts';
import type { Shell } from './shell.ts';
import type { AppOptions } from './appOptions.ts';

export class App {
  player: Player | null = null;
  private scenario: ScenarioFile | null = null;
  private mesh = MESHES[0]!.id;
  private seed: number | undefined;
  private selection: Selection = null;
  private lastView: View | null = null;
  private lastDrawKey = '';
  private metricsDueMs = 0;
  private loading = 0;
  private readonly runner: Runner;
  private readonly reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  private urlErrors: string[] = [];

  constructor(
    private readonly shell: Shell,
    private readonly view: MeshView,
    private readonly options: AppOptions = {},
  ) {
    this.runner = createRunner({ spawnWorker: () => new Worker(new URL('../player/simulation.worker.ts', import.meta.url), { type: 'module' }) });
    view.onSelect = (selection) => {
      this.selection = selection;
      this.lastDrawKey = '';
    };
    view.onFrame((ms) => this.frame(ms));
    this.reducedMotion.addEventListener('change', () => this.applyMotion());
  }

  get motion(): boolean {
    return !this.reducedMotion.matches;
  }

  private applyMotion(): void {
    if (this.player) this.player.reducedMotion = !this.motion;
    this.lastDrawKey = '';
  }

  /**
   * Opens what the URL asks for (or the default scenario), reporting every bad parameter. An
   * embedding page passes its own query, and `given` for a scenario it already holds.
   */
  async start(search = location.search, given?: ScenarioFile): Promise<void> {
    const { state, errors } = readUrl(search);
    this.urlErrors = errors;
    if (state.mesh) this.mesh = state.mesh;
    this.seed = state.seed;
    let file: ScenarioFile | undefined = given;
    if (file) {
      // The host page chose the scenario itself.
    } else if (state.scenarioUrl) {
      const fetched = await fetchScenario(state.scenarioUrl, this.options.scenarioOrigins);
      if ('error' in fetched) this.urlErrors.push(fetched.error);
      else file = fetched;
    } else if (state.scenario !== undefined) {
      file = LIBRARY.find((s) => s.key === state.scenario);
      if (!file) this.urlErrors.push(`URL parameter scenario: no scenario "${state.scenario}" in the library (${LIBRARY.map((s) => s.key).join(', ')}); showing ${DEFAULT_SCENARIO}`);
    }
    file ??= LIBRARY.find((s) => s.key === DEFAULT_SCENARIO) ?? LIBRARY[0];
    this.shell.setMesh(this.mesh);
    if (file) await this.open(file, state.t);
    else this.shell.showErrors(['The scenario library is empty.']);
  }

  /** Simulates `file` under the current mesh and seed, then seeks to `t` (or keeps the time on a re-run). */
  async open(file: ScenarioFile, t?: number): Promise<void> {
    const sameScenario = this.scenario?.key === file.key;
    const token = ++this.loading;
    this.shell.setLoading(`Simulating under ${MESHES.find((m) => m.id === this.mesh)?.name ?? this.mesh}…`);
    // Let the loading note paint before a run that may take a few tens of milliseconds.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const outcome = await this.runner.run({ text: file.text, file: file.file, mesh: this.mesh, ...(this.seed === undefined ? {} : { seed: this.seed }) });
    if (token !== this.loading) return;
    this.shell.setLoading(null);
    this.shell.setScenario(file);
    if (!outcome.ok) {
      this.shell.showErrors([...this.urlErrors, ...outcome.problems.map((p) => p.text)]);
      this.shell.setTitle(file.file, 'This scenario has problems; pick another one, or fix the file.');
      this.options.events?.opened?.(file, this.mesh, outcome.problems.map((p) => p.text));
      return;
    }
    this.shell.showErrors(this.urlErrors);
    const { trace } = outcome;
    const playing = this.player?.playing ?? false;
    if (this.player && sameScenario) {
      this.player.replaceTrace(trace);
      if (playing) this.player.play();
    } else {
      this.player = new Player(trace);
      this.selection = null;
      if (t !== undefined) this.player.seekTime(t);
      else this.player.restart();
    }
    this.scenario = file;
    this.applyMotion();
    this.view.setTrace(trace);
    this.shell.setTrace(trace, file, this.player.steps);
    this.lastDrawKey = '';
    this.writeUrl();
    this.options.events?.opened?.(file, this.mesh, []);
  }

  /** Switches the mesh: re-simulates with the same seed, keeping the playhead's time. */
  async setMesh(mesh: string): Promise<void> {
    if (mesh === this.mesh) return;
    this.mesh = mesh;
    this.shell.setMesh(mesh);
    if (this.scenario) await this.open(this.scenario);
  }

  /** Picks another library scenario (from the start). */
  async pick(key: string): Promise<void> {
    const file = LIBRARY.find((s) => s.key === key);
    if (!file || file.key === this.scenario?.key) return;
    this.urlErrors = [];
    this.player?.pause();
    await this.open(file, 0);
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
      ...(this.seed === undefined ? {} : { seed: this.seed }),
      t: this.player.timeMs,
    });
    if (query !== location.search) history.replaceState(null, '', query);
  }

  private frame(realMs: number): void {
    const player = this.player;
    if (!player) return;
    const wasPlaying = player.playing;
    if (wasPlaying) player.advance(realMs);
    if (wasPlaying && !player.playing) this.writeUrl();
    const view = player.view();
    const key = `${player.playing}:${player.speed}:${this.motion}`;
    if (view === this.lastView && key === this.lastDrawKey) return;
    this.lastView = view;
    this.lastDrawKey = key;
    this.view.draw(view, { motion: this.motion, selection: this.selection });
    const eventShow = player.timeline.show.eventShow;
    const cursor = view.cursor;
    const done = (seq: number): boolean => eventShow[seq]! < cursor.showMs || (eventShow[seq] === cursor.showMs && seq <= cursor.seq);
    this.metricsDueMs -= realMs;
    const metrics = !player.playing || this.metricsDueMs <= 0;
    if (metrics) this.metricsDueMs = 250;
    this.shell.update(player, view, this.selection, done, metrics ? player.metrics() : null);
  }
}
