/**
 * What the page's entry script (src/main.ts) begins before the app's modules have arrived (their
 * download and compile take the better part of a second in software-rendered Chromium):
 * - for a `scenarioUrl` — which may be a long run for the worker — the simulation worker, which
 *   loads its own modules meanwhile, and the scenario's fetch. The page's head start
 *   (headStart.ts) takes both, so the run is asked of a worker that is ready, with the text at hand;
 * - for a library scenario as written, its chunk and each pane's built run's, which the app would
 *   otherwise ask for only once its own modules are loaded and run ({@link beginLibrary}).
 * Small on purpose: it is in the entry chunk, ahead of everything else.
 */
import { fetchScenario } from './scenarioUrl.ts';
import { DEFAULT_SCENARIO, libraryFile, prebuiltRun } from './library.ts';
import { meshCatalog } from '../scenario/catalog.ts';

/** The simulation worker of runner.ts (src/player/simulation.worker.ts). */
export const simulationWorker = (): Worker => new Worker(new URL('../player/simulation.worker.ts', import.meta.url), { type: 'module' });

let worker: Worker | null = null;
let fetched: { url: string; file: ReturnType<typeof fetchScenario> } | null = null;

/** Begins the worker and the fetch when `search` asks for a scenario by URL (the app's page, not the embed or the authoring view); else {@link beginLibrary}. */
export function beginEarly(search: string, hash: string): void {
  const url = new URLSearchParams(search).get('scenarioUrl');
  if (url === null) return beginLibrary(search, hash);
  worker = simulationWorker();
  fetched = { url, file: fetchScenario(url) };
}

/**
 * Parameters that leave a library scenario's run as the site's build made it. Any other (a knob,
 * fault, seed, compare's `with`, a release such as `istio=1.23`, a `scenarioUrl`) may ask for
 * another run, so nothing is begun here: the app's head start reads those (headStart.ts).
 */
const AS_WRITTEN = new Set(['scenario', 'mesh', 't', 'guided', 'embed', 'controls', 'narration', 'theme', 'origins', 'step', 'autoplay']);

/**
 * Begins fetching the library scenario a page's address opens (`scenario`, else the default) and
 * its run under `mesh` (else the first mesh) as the site's build made it — the modules the app's
 * head start asks for again once it runs (headStart.ts, library.ts prefetchBuiltRuns; the embed
 * page's main), then already on their way. Only for a link that plays that run as written, with no
 * fragment (the embed's inline scenario); a scenario or mesh without a built run begins nothing
 * but the scenario's fetch. A hint: what the app opens is decided by the app.
 */
export function beginLibrary(search: string, hash: string): void {
  const query = new URLSearchParams(search);
  if (hash.replace(/^#/, '') !== '' || [...query.keys()].some((k) => !AS_WRITTEN.has(k))) return;
  const key = query.get('scenario') ?? DEFAULT_SCENARIO;
  const catalog = meshCatalog();
  const mesh = query.get('mesh') ?? catalog[0]!.id;
  // Compare mode without `with` shows the first two meshes (player/meshes.ts DEFAULT_PANES).
  const meshes = mesh === 'compare' ? catalog.slice(0, 2).map((m) => m.id) : [mesh];
  void libraryFile(key).catch(() => undefined);
  for (const m of meshes) void prebuiltRun(key, m)?.catch(() => undefined);
}

/** The worker begun early (once), else a new one. */
export function takeWorker(): Worker {
  const begun = worker;
  worker = null;
  return begun ?? simulationWorker();
}

/** The fetch of `url` begun early (once), if that is the URL it fetched. */
export function takeFetch(url: string): ReturnType<typeof fetchScenario> | null {
  const begun = fetched?.url === url ? fetched.file : null;
  fetched = null;
  return begun;
}
