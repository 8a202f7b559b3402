/**
 * The URL carries what reproduces a view: `scenario`, `mesh` (with `with`, compare mode's panes),
 * the release of a mesh when the learner picked one (`istio=1.23`), `seed` and `t` (simulated
 * ms), guided mode (`guided=on`), and optionally `scenarioUrl`. Reading never throws: a bad parameter becomes a message naming it,
 * and the default takes its place.
 */
import { COMPARE, DEFAULT_PANES, MESHES, checkPanes, meshName, splitPanes } from '../player/index.ts';
import { unknownRelease, type MeshVersions, type ReleaseMesh } from '../scenario/index.ts';

export interface UrlState {
  scenario?: string;
  scenarioUrl?: string;
  mesh?: string;
  /** Compare mode's panes, 2–6 mesh ids (`with=istio,linkerd,istio`); without it, compare shows the default two. */
  with?: string[];
  /** Releases picked per mesh (`istio=1.23`), over the scenario's own `meshVersions`. */
  versions?: MeshVersions;
  seed?: number;
  /** Simulated time in ms. */
  t?: number;
  /** Knobs turned, in order: `knob=retries/reviews/attempts=0` (id, then the value as text). */
  knobs?: [string, string][];
  /** Guided mode (`guided=on`): the picture frames what the narration is about and dims the rest. */
  guided?: boolean;
  /**
   * Faults injected at the playhead, in order, each as the link writes it (`fault={"type":"pod.crash","pod":"reviews-0","at":4200}`):
   * read when the workbench restores them (readCommand.ts, loaded then), which reports a bad one.
   */
  faults?: string[];
}

/** A simulated time like `1500`, `1500ms` or `1.5s`, in ms; undefined when the text is not one. */
export function parseTimeMs(text: string): number | undefined {
  const m = /^(\d{1,12}(?:\.\d{1,6})?)(ms|s)?$/.exec(text.trim());
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : undefined;
}

/** A seed: a whole number ≥ 0 (at most 15 digits); undefined when the text is not one. */
export function parseSeed(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** The words `guided=` takes. */
const GUIDED_WORDS: Record<string, boolean> = { on: true, off: false, '1': true, '0': false, true: true, false: false };

/** Reads the URL's parameters; each bad one is left out and reported. */
export function readUrl(search: string): { state: UrlState; errors: string[] } {
  const params = new URLSearchParams(search);
  const state: UrlState = {};
  const errors: string[] = [];
  const scenario = params.get('scenario');
  if (scenario !== null && scenario !== '') state.scenario = scenario;
  const scenarioUrl = params.get('scenarioUrl');
  if (scenarioUrl) state.scenarioUrl = scenarioUrl;
  const mesh = params.get('mesh');
  if (mesh !== null) {
    if (MESHES.some((m) => m.id === mesh) || mesh === COMPARE) state.mesh = mesh;
    else errors.push(`URL parameter mesh: unknown mesh "${mesh}" (choose ${[...MESHES.map((m) => m.id), COMPARE].join(', ')}); showing ${MESHES[0]!.id}`);
  }
  const panes = params.get('with');
  if (panes !== null) {
    const checked = checkPanes(state.mesh, splitPanes(panes));
    if (checked.ok) state.with = checked.panes;
    else errors.push(`URL parameter with: ${checked.problem}; ${state.mesh === COMPARE ? `showing ${DEFAULT_PANES.map(meshName).join(' and ')}` : 'left out'}`);
  }
  const versions = readVersions(params, errors);
  if (versions) state.versions = versions;
  const seed = params.get('seed');
  if (seed !== null) {
    const n = parseSeed(seed);
    if (n !== undefined) state.seed = n;
    else errors.push(`URL parameter seed: must be a whole number ≥ 0 (got "${seed}"); using the scenario's seed`);
  }
  const t = params.get('t');
  if (t !== null) {
    const ms = parseTimeMs(t);
    if (ms !== undefined) state.t = ms;
    else errors.push(`URL parameter t: must be a time in ms like 1500 or 1.5s (got "${t}"); starting at 0`);
  }
  const guided = params.get('guided');
  if (guided !== null) {
    const on = GUIDED_WORDS[guided.toLowerCase()];
    if (on !== undefined) state.guided = on;
    else errors.push(`URL parameter guided: must be on or off (also 1/0, true/false; got "${guided}"); guided mode left off`);
  }
  const knobs = params.getAll('knob').flatMap((k): [string, string][] => {
    const i = k.indexOf('=');
    if (i > 0) return [[k.slice(0, i), k.slice(i + 1)]];
    errors.push(`URL parameter knob: must be a knob and its value like retries/reviews/attempts=0 (got "${k}"); left out`);
    return [];
  });
  if (knobs.length) state.knobs = knobs;
  const faults = params.getAll('fault');
  if (faults.length) state.faults = faults;
  // A typo (`sceanrio=`) is named, not silently ignored, as the embed does.
  const known = new Set(['scenario', 'scenarioUrl', 'mesh', 'with', 'seed', 't', 'guided', 'knob', 'fault', ...MESHES.map((m) => m.id)]);
  for (const key of new Set(params.keys())) {
    if (known.has(key)) continue;
    const near = [...known].find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
    errors.push(`URL parameter ${key}: unknown${near ? ` (did you mean ${near}?)` : ''}; the page understands ${[...known].join(', ')}; left out`);
  }
  return { state, errors };
}

/** Levenshtein distance between two short strings. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * The releases the URL picks, one parameter per mesh (`istio=1.23`); a release mesh-sim does not
 * model is reported by name and left out (the scenario's or the current release runs).
 */
export function readVersions(params: URLSearchParams, errors: string[]): MeshVersions | undefined {
  const out: MeshVersions = {};
  for (const m of MESHES) {
    const v = params.get(m.id);
    if (v === null) continue;
    const why = unknownRelease(m.id as ReleaseMesh, v);
    if (why) errors.push(`URL parameter ${m.id}: ${why}; using the scenario's release`);
    else out[m.id as ReleaseMesh] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The query string for a state (scenario, mesh, seed, t with µs precision dropped). */
export function writeUrl(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.scenarioUrl) params.set('scenarioUrl', state.scenarioUrl);
  else if (state.scenario) params.set('scenario', state.scenario);
  if (state.mesh) params.set('mesh', state.mesh);
  if (state.with) params.set('with', state.with.join(','));
  for (const [mesh, v] of Object.entries(state.versions ?? {})) params.set(mesh, v);
  if (state.seed !== undefined) params.set('seed', String(state.seed));
  if (state.t !== undefined) params.set('t', String(Math.round(state.t * 1000) / 1000));
  if (state.guided) params.set('guided', 'on');
  for (const [id, value] of state.knobs ?? []) params.append('knob', `${id}=${value}`);
  for (const c of state.faults ?? []) params.append('fault', c);
  return `?${params.toString()}`;
}
