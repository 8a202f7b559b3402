/**
 * The page's head start: before the renderer starts, {@link prefetch} begins fetching what the
 * URL opens — the library scenario and its meshes' profiles, each a chunk — and, for a
 * `scenarioUrl` (which may be a long run), the simulation itself: the file is fetched, then parsed
 * and simulated in the worker while the renderer starts, with the request `App.open` will make
 * (no knobs or faults yet), so that the runner hands that run to it instead of simulating again.
 */
import { MESHES, createRunner, meshesOf, preloadMeshes, type Runner } from '../player/index.ts';
import { DEFAULT_SCENARIO, fetchScenario, libraryFile, prefetchBuiltRuns } from './library.ts';
import { takeFetch, takeWorker } from './earlyStart.ts';
import { readUrl } from './urlState.ts';

/** The page's runner: small runs inline, long ones in a Web Worker (runner.ts) — the one the entry script began, if it did (earlyStart.ts). */
export const pageRunner = (): Runner => createRunner({ spawnWorker: takeWorker });

/** What {@link prefetch} began for a `scenarioUrl`: the runner the run is on, and the file's fetch. */
export interface HeadStart {
  url: string;
  runner: Runner;
  file: ReturnType<typeof fetchScenario>;
}

let begun: HeadStart | null = null;

/** The head start {@link prefetch} began, if any: its runner is the page's. */
export const headStart = (): HeadStart | null => begun;

/** Takes the head start (once): the first `start` reads its fetch. */
export function takeHeadStart(): HeadStart | null {
  const head = begun;
  begun = null;
  return head;
}

/** Starts what the page will open for `search` without waiting. A hint only: `App.start` reads and reports the URL. */
export function prefetch(search: string): void {
  const { state } = readUrl(search);
  const meshes = meshesOf(state.mesh ?? MESHES[0]!.id, state.with);
  if (!state.scenarioUrl) {
    const key = state.scenario ?? DEFAULT_SCENARIO;
    void libraryFile(key).catch(() => undefined);
    // Each pane's run as the site's build made it, fetched beside the scenario: then neither the
    // mesh's profile nor the engine is needed to play it (each loads with the first run simulated).
    if (prefetchBuiltRuns(key, meshes, !state.knobs && !state.faults && state.seed === undefined && !state.versions)) return;
  } else if (meshes.length === 1 && !state.knobs && !state.faults) {
    const runner = pageRunner();
    // The worker's modules load while the file is fetched.
    runner.warm?.();
    const url = state.scenarioUrl;
    const file = takeFetch(url) ?? fetchScenario(url);
    begun = { url, runner, file };
    const { seed } = state;
    void file.then((f) => {
      if (!('error' in f))
        runner.early?.({ text: f.text, file: f.file, mesh: meshes[0]!, edits: {}, versions: state.versions ?? {}, ...(seed === undefined ? {} : { seed }) });
    });
  }
  preloadMeshes(meshes);
}
