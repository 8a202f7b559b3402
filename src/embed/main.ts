/**
 * The embed page (`index.html?embed=1`, chosen by src/main.ts): reads and checks every
 * parameter, gets the scenario (library, `scenarioUrl` or the fragment) and checks it like any
 * library scenario, and only then starts the app with the controls asked for. Anything wrong
 * shows as a message in the frame instead (and as an `error` event); nothing half-loads. Then
 * it answers the host page's commands and tells it about progress (see protocol.ts).
 */
import '../ui/styles.css';
import './embed.css';
import { MeshView } from '../render/index.ts';
import { MESHES, checkPanes, meshesOf, preloadMeshes, readScenario } from '../player/index.ts';
import { App } from '../ui/App.ts';
import { Shell } from '../ui/shell.ts';
import { bindKeys } from '../ui/keyboard.ts';
import { exposeMeshSim, keyActions, shellActions } from '../ui/wiring.ts';
import { DEFAULT_SCENARIO, LIBRARY, fetchScenario, libraryFile, prefetchBuiltRuns, type ScenarioFile } from '../ui/library.ts';
import { writeUrl } from '../ui/urlState.ts';
import { readEmbedParams, type EmbedParams } from './params.ts';
import { decodeScenario } from './inlineScenario.ts';
import type { Command } from './protocol.ts';
import { Messenger } from './messenger.ts';
import { Progress } from './progress.ts';
import { PauseButton, applyLook, showProblems, watchHeight } from './page.ts';

const MESH_IDS = MESHES.map((m) => m.id);

/** The scenario the parameters name, fetched or unpacked; or what went wrong. */
async function scenarioFile(params: EmbedParams): Promise<ScenarioFile | { error: string }> {
  const source = params.scenario;
  if (source.kind === 'library') return (await libraryFile(source.key)) ?? { error: `URL parameter scenario: no scenario "${source.key}"` };
  if (source.kind === 'url') return fetchScenario(source.url, params.origins);
  const decoded = await decodeScenario(source.data);
  return 'error' in decoded ? decoded : { key: `inline:${source.name}`, file: source.name, text: decoded.text };
}

/** The scenario's problems as `file:line:column: message` lines, or a time past its end. */
async function scenarioProblems(file: ScenarioFile, params: EmbedParams): Promise<string[]> {
  const loaded = await readScenario(file.text, file.file, file.loaded);
  if (!loaded.ok) return loaded.problems.map((p) => p.text);
  const duration = loaded.scenario.duration;
  if (params.t !== undefined && params.t > duration)
    return [`URL parameter t: must be between 0 and ${duration} (the scenario runs ${duration / 1000}s; got ${params.t})`];
  return [];
}

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  const read = readEmbedParams(location.search, location.hash, {
    library: LIBRARY.map((s) => s.key),
    defaultScenario: DEFAULT_SCENARIO,
    meshes: MESH_IDS,
    base: location.href,
  });
  const messenger = new Messenger(window, read.ok ? read.params.origins : read.origins);
  const fail = (problems: readonly string[]): void => {
    showProblems(root, problems);
    messenger.post({ type: 'error', message: problems.join('\n') });
    watchHeight(root, (height) => messenger.post({ type: 'resize', height }));
  };
  if (!read.ok) {
    applyLook({ controls: 'none', narration: false, theme: read.theme });
    return fail(read.problems);
  }
  const params = read.params;
  applyLook(params);
  // A library scenario as written plays the runs the site's build made (src/ui/headStart.ts does
  // the same for the app): each pane's is fetched now, beside the scenario, and neither the meshes'
  // profiles nor the engine is needed. Otherwise the profiles are fetched while the scenario is
  // and the renderer starts.
  const meshes = meshesOf(params.mesh ?? MESHES[0]!.id, params.with);
  const source = params.scenario;
  const built = source.kind === 'library' && prefetchBuiltRuns(source.key, meshes, params.seed === undefined && !params.versions);
  if (!built) preloadMeshes(meshes);
  const file = await scenarioFile(params);
  if ('error' in file) return fail([file.error]);
  const problems = await scenarioProblems(file, params);
  if (problems.length) return fail(problems);

  let app: App | null = null;
  const progress = new Progress((e) => messenger.post(e), new URL('./', location.href).href);
  /** A run shown and not yet announced: `ready` goes out on the next frame, once the position is set. */
  let announce: { mesh: string; meshes: readonly string[] } | null = null;
  let failed = false;
  const shell = new Shell(
    root,
    shellActions(() => app),
  );
  const view = await MeshView.create(shell.stage);
  app = new App(shell, view, {
    writeUrl: false,
    scenarioOrigins: params.origins,
    events: {
      opened: (_file, mesh, problems, meshes) => {
        if (problems.length) messenger.post({ type: 'error', message: problems.join('\n') });
        else announce = { mesh, meshes };
      },
      checkpointAnswered: (a) => progress.checkpoint(a),
    },
  });
  const current = app;
  const pause =
    params.controls === 'none'
      ? new PauseButton(shell.stage.closest<HTMLElement>('.stage-wrap') ?? shell.stage, () => current.command((p) => p.toggle()))
      : null;
  view.onFrame(() => {
    // Runs after the app's own frame callback (registered first), so the player has moved.
    const player = current.player;
    if (!player || failed) return;
    pause?.update(player.playing);
    if (announce !== null) progress.opened(player, announce.mesh, announce.meshes);
    announce = null;
    progress.observe();
  });
  bindKeys(
    document,
    keyActions(() => app, shell),
  );
  exposeMeshSim(current);

  const mesh = params.mesh;
  await app.start(
    writeUrl({
      ...(mesh ? { mesh } : {}),
      ...(params.with ? { with: params.with } : {}),
      ...(params.versions ? { versions: params.versions } : {}),
      ...(params.seed === undefined ? {} : { seed: params.seed }),
      ...(params.t === undefined ? {} : { t: params.t }),
      ...(params.guided ? { guided: true } : {}),
    }),
    file,
  );
  const player = app.player;
  if (!player) return fail([`${file.file}: the simulation could not run`]);
  if (params.step !== undefined) {
    failed = params.step > player.steps.length;
    if (failed)
      return fail([
        `URL parameter step: must be between 0 and ${player.steps.length} (the steps of this scenario under ${player.trace.mesh}; got ${params.step})`,
      ]);
    app.command((p) => p.seekStep(params.step! - 1));
  }
  if (params.autoplay) app.command((p) => p.play());
  watchHeight(root, (height) => messenger.post({ type: 'resize', height }));
  // The commands' schema (zod) loads with the host's first message, after the first frame.
  messenger.listen(
    () => import('./commands.ts').then((m) => m.commandSchema(MESH_IDS as [string, ...string[]])),
    (c) => run(current, c, params),
  );
  document.body.dataset.ready = 'true';
}

/** Carries out one host command. */
async function run(app: App, c: Command, params: EmbedParams): Promise<void> {
  switch (c.type) {
    case 'play':
      return app.command((p) => p.play());
    case 'pause':
      return app.command((p) => p.pause());
    case 'step': {
      const steps = app.player?.steps.length ?? 0;
      if (c.index !== undefined && c.index > steps) throw new Error(`index must be between 0 and ${steps} (got ${c.index})`);
      return app.command((p) => (c.index === undefined ? p.stepForward() : (p.pause(), p.seekStep(c.index - 1))));
    }
    case 'seek':
      return app.command((p) => {
        p.pause();
        p.seekTime(c.t);
      });
    case 'setMesh': {
      // Checked here rather than by the schema, so the host hears what is wrong with its list.
      const checked = checkPanes(c.mesh, c.with);
      if (!checked.ok) throw new Error(`with: ${checked.problem}`);
      // Like the URL: compare without `with` shows the default panes.
      return app.setMesh(c.mesh, checked.panes);
    }
    case 'loadScenario': {
      const file = c.id !== undefined ? await libraryFile(c.id) : await scenarioFile({ ...params, scenario: { kind: 'url', url: c.url! } });
      if (!file) throw new Error(`no scenario "${c.id}" in the library (${LIBRARY.map((s) => s.key).join(', ')})`);
      if ('error' in file) throw new Error(file.error.replace(/^URL parameter scenarioUrl: /, ''));
      // Checked before the app sees it: a broken file leaves the current scenario in place.
      const problems = await scenarioProblems(file, { ...params, t: undefined });
      if (problems.length) throw new Error(problems.join('\n'));
      app.player?.pause();
      await app.open(file);
      return app.command((p) => p.restart());
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('app');
  if (root) showProblems(root, [`mesh-sim could not start: ${e instanceof Error ? e.message : String(e)}`]);
});
