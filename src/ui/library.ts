/**
 * The scenario library: every `scenarios/*.yaml`, compiled when the site is built
 * (build/scenarioLibrary.ts): an index of keys and titles, and each scenario's text with the
 * loader's result for it, fetched when it is opened. A scenario can also come from a URL
 * (`?scenarioUrl=...`), as course authors link their own.
 */
import index from 'virtual:mesh-sim/library';
import type { LoadResult } from '../scenario/index.ts';
import type { PrebuiltRun } from '../player/index.ts';
import { fetchScenario } from './scenarioUrl.ts';

// A scenario from a URL: checked, then fetched (scenarioUrl.ts, which the page's entry loads too).
export { MAX_SCENARIO_CHARS, checkScenarioUrl, fetchScenario } from './scenarioUrl.ts';

/** A scenario file: its key (file name without `.yaml`), path for messages, and text. */
export interface ScenarioFile {
  key: string;
  file: string;
  text: string;
  /** What the loader makes of `text`, when known already (a library scenario): a run then parses nothing. */
  loaded?: LoadResult;
  /** Its run as written under each mesh it is offered under, made when the site was built (a library scenario), fetched on demand. */
  runs?: Readonly<Record<string, () => Promise<PrebuiltRun>>>;
}

/** A library scenario before it is opened. */
export interface LibraryEntry {
  key: string;
  file: string;
  /** Its title as the loader reads it; null when the file has problems. */
  title: string | null;
}

/** The file a library scenario was compiled from, as messages name it. */
const fileOf = (key: string): string => `scenarios/${key}.yaml`;

/** The library, in course order (build/course.ts; the build writes the index in that order). */
export const LIBRARY: readonly LibraryEntry[] = index.map(({ key, title }) => ({ key, file: fileOf(key), title }));

/** A library scenario's name in the picker. */
export function pickerTitle(s: LibraryEntry): string {
  return s.title ?? `${s.key} (has problems)`;
}

/**
 * Each chunk's load, kept (until it fails): importing a module already loaded still waits for a
 * task of its own in Chromium, and between tasks the page may render a frame — one such frame
 * (style, layout and paint of the page without its picture: 51 ms in a trace at load ~8) came
 * between the app's start and its first picture. The page's entry script begins these loads
 * (earlyStart.ts); the app then finds them done.
 */
const loads = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let loading = loads.get(key) as Promise<T> | undefined;
  if (!loading) {
    loading = load();
    loads.set(key, loading);
    loading.catch(() => loads.delete(key));
  }
  return loading;
}

/** The library scenario `key`, fetched (only the one asked for); undefined when there is none. */
export async function libraryFile(key: string): Promise<ScenarioFile | undefined> {
  const entry = index.find((s) => s.key === key);
  if (!entry) return undefined;
  const { text, loaded } = await once(`scenario:${key}`, entry.load);
  const runs = Object.fromEntries(Object.keys(entry.runs).map((mesh) => [mesh, () => prebuiltRun(key, mesh)!]));
  return { key: entry.key, file: fileOf(entry.key), text, loaded, runs };
}

/**
 * Library scenario `key`'s run under `mesh` as the site's build made it (build/libraryRuns.ts),
 * fetched (once: the module stays loaded); null when there is none. The page's head start begins
 * it beside the scenario's own fetch.
 */
export function prebuiltRun(key: string, mesh: string): Promise<PrebuiltRun> | null {
  const load = index.find((s) => s.key === key)?.runs[mesh];
  return load ? once(`run:${key}.${mesh}`, () => load().then((m) => m.run)) : null;
}

/**
 * Begins fetching each pane's run of library scenario `key` as the site's build made it, beside the
 * scenario's own fetch (the app's head start and the embed page do); true when every pane has one,
 * so neither the meshes' profiles nor the engine is needed to play. `asWritten`: no knob, fault,
 * seed or release asks for another run (the runner's own test is run.ts asBuilt).
 */
export function prefetchBuiltRuns(key: string, meshes: readonly string[], asWritten: boolean): boolean {
  if (!asWritten) return false;
  const runs = meshes.map((m) => prebuiltRun(key, m));
  for (const run of runs) void run?.catch(() => undefined);
  return runs.length > 0 && runs.every(Boolean);
}

/** The scenario the app opens on. */
export const DEFAULT_SCENARIO = 'retries-flaky-pod';

/**
 * The scenario a link opens: the one at its `scenarioUrl`, else the library's `scenario`, else
 * the default (or the library's first). A link that names one it cannot have says why in
 * `errors`; `undefined` only when the library is empty.
 */
export async function linkedScenario(
  link: { scenario?: string; scenarioUrl?: string },
  origins: readonly string[] | undefined,
  errors: string[],
  /** The `scenarioUrl`'s fetch, when begun already (the page's head start, headStart.ts). */
  fetching?: ReturnType<typeof fetchScenario>,
): Promise<ScenarioFile | undefined> {
  let file: ScenarioFile | undefined;
  if (link.scenarioUrl) {
    const fetched = await (fetching ?? fetchScenario(link.scenarioUrl, origins));
    if ('error' in fetched) errors.push(fetched.error);
    else file = fetched;
  } else if (link.scenario !== undefined) {
    file = await libraryFile(link.scenario);
    if (!file)
      errors.push(
        `URL parameter scenario: no scenario "${link.scenario}" in the library (${LIBRARY.map((s) => s.key).join(', ')}); showing ${DEFAULT_SCENARIO}`,
      );
  }
  return file ?? (await libraryFile(DEFAULT_SCENARIO)) ?? (LIBRARY[0] ? await libraryFile(LIBRARY[0].key) : undefined);
}
