/**
 * The scenario library: every `scenarios/*.yaml`, compiled when the site is built
 * (build/scenarioLibrary.ts): an index of keys and titles, and each scenario's text with the
 * loader's result for it, fetched when it is opened. A scenario can also come from a URL
 * (`?scenarioUrl=...`), as course authors link their own.
 */
import index from 'virtual:mesh-sim/library';
import type { LoadResult } from '../scenario/index.ts';
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
}

/** A library scenario before it is opened. */
export interface LibraryEntry {
  key: string;
  file: string;
  /** Its title as the loader reads it; null when the file has problems. */
  title: string | null;
}

/**
 * The order a course would take them in: the mesh itself, then identity, resilience, traffic,
 * the edge and the control plane. Scenarios not listed follow, by name.
 */
export const COURSE = [
  'hello-mesh',
  'mtls-handshake',
  'strict-vs-permissive',
  'certificate-rotation',
  'authorization',
  'consul-intentions',
  'osm-permissive-vs-smi',
  'retries-flaky-pod',
  'retry-storm',
  'timeouts',
  'circuit-breaking-pool',
  'outlier-vs-failure-accrual',
  'load-balancing-slow-pod',
  'locality-failover',
  'canary-split',
  'ingress-gateway',
  'egress-control',
  'config-push',
  // Istio's ambient mode: ztunnel and HBONE, waypoints for L7, the authorization split.
  'ambient-l4-mtls',
  'ambient-waypoint-l7',
  'ambient-authz-fail-closed',
  'ambient-policy-closes-connections',
  'sidecar-vs-ambient-footprint',
  'ambient-mixed-data-planes',
  // Network Service Mesh: not an HTTP mesh — vWires to network services, refresh and heal.
  'nsm-network-service',
];
const rank = (key: string): number => (COURSE.includes(key) ? COURSE.indexOf(key) : COURSE.length);

/** The library, in course order. */
export const LIBRARY: readonly LibraryEntry[] = index
  .map(({ key, file, title }) => ({ key, file, title }))
  .sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));

/** A library scenario's name in the picker. */
export function pickerTitle(s: LibraryEntry): string {
  return s.title ?? `${s.key} (has problems)`;
}

/** The library scenario `key`, fetched (only the one asked for); undefined when there is none. */
export async function libraryFile(key: string): Promise<ScenarioFile | undefined> {
  const entry = index.find((s) => s.key === key);
  if (!entry) return undefined;
  const { text, loaded } = await entry.load();
  return { key: entry.key, file: entry.file, text, loaded };
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
