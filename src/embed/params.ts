/**
 * The embed page's URL: every query parameter and the fragment, read and checked before anything
 * loads. A bad value becomes a message that names the parameter and the values it allows; an
 * unknown parameter is an error too (a typo such as `contols=none` must not be silently ignored).
 * Pure: the caller passes the URL's parts and what exists (library, meshes).
 */
import { COMPARE, checkPanes, splitPanes } from '../player/meshes.ts';
import { checkScenarioUrl } from '../ui/library.ts';
import { parseSeed, parseTimeMs, readVersions } from '../ui/urlState.ts';
import type { MeshVersions } from '../scenario/index.ts';

/** Which controls the frame shows: the whole app, a transport bar, or the picture alone. */
export type ControlsLevel = 'full' | 'minimal' | 'none';
/** The `controls` values, in the order messages list them. */
export const CONTROLS_LEVELS: readonly ControlsLevel[] = ['full', 'minimal', 'none'];

/** The frame's colours (dark turns the picture dark too, keeping its hues). */
export type Theme = 'light' | 'dark';
/** The `theme` values. */
export const THEMES: readonly Theme[] = ['light', 'dark'];

/** Where the scenario comes from. */
export type ScenarioSource =
  | { kind: 'library'; key: string }
  | { kind: 'url'; url: string }
  /** Compressed text from the fragment (`#scenario=`), and the file name messages use. */
  | { kind: 'inline'; data: string; name: string };

/** What the embed page was asked for, all of it valid. */
export interface EmbedParams {
  scenario: ScenarioSource;
  mesh?: string;
  /** Releases picked per mesh (`istio=1.23`). */
  versions?: MeshVersions;
  /** Compare mode's panes (`with=istio,linkerd,istio`): 2–6 mesh ids, only with mesh=compare. */
  with?: string[];
  seed?: number;
  /** Steps done when the frame opens (0: the start), as the transport bar counts them. */
  step?: number;
  /** Simulated ms to open at. */
  t?: number;
  autoplay: boolean;
  controls: ControlsLevel;
  narration: boolean;
  /** Guided mode from the start (`guided=on`): the picture frames what the narration is about and dims the rest. */
  guided: boolean;
  theme: Theme;
  /** Parent origins allowed to send commands and to receive events (exact match). */
  origins: string[];
}

/** The parameters the embed understands, in the order messages list them. */
export const EMBED_PARAMETERS = [
  'embed',
  'scenario',
  'scenarioUrl',
  'mesh',
  'with',
  'istio',
  'linkerd',
  'consul',
  'osm',
  'step',
  't',
  'seed',
  'autoplay',
  'controls',
  'narration',
  'guided',
  'theme',
  'origins',
] as const;

/** Keys allowed in the fragment. */
export const FRAGMENT_KEYS = ['scenario', 'name'] as const;

/** At most this many origins (an allow-list, not a directory). */
export const MAX_ORIGINS = 16;

/** What exists, for checking the parameters against. */
export interface ParamContext {
  /** Library scenario keys. */
  library: readonly string[];
  /** The scenario shown when the URL names none. */
  defaultScenario: string;
  /** Mesh ids the app simulates (compare is added here). */
  meshes: readonly string[];
  /** The embed page's own URL, to resolve a relative `scenarioUrl` and know its origin. */
  base: string;
}

/**
 * The parameters, or every problem with them; with problems, the origins and theme that were
 * valid, so the message can still reach the host and look like the rest of the course.
 */
export type ParamsResult = { ok: true; params: EmbedParams } | { ok: false; problems: string[]; origins: string[]; theme: Theme };

const BOOLEAN: Record<string, boolean> = { on: true, off: false, '1': true, '0': false, true: true, false: false };
const quote = (v: string): string => JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
const orList = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * An http(s) `scheme://host[:port]`, written as `URL.origin` writes it (lower case, no default
 * port), which is what a message event's `origin` is compared with; null for anything more
 * (a path, a query, credentials) or less.
 */
export function parseOrigin(text: string): string | null {
  try {
    const u = new URL(text);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (u.pathname !== '/' || u.search || u.hash || u.username || u.password || /[?#@]/.test(text) || !/^https?:\/\/[^/]+\/?$/i.test(text)) return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** Reads the query (`search`) and fragment (`hash`) of the embed page. */
export function readEmbedParams(search: string, hash: string, ctx: ParamContext): ParamsResult {
  const query = new URLSearchParams(search);
  const problems: string[] = [];
  const bad = (name: string, message: string): void => void problems.push(`URL parameter ${name}: ${message}`);
  const seen = new Set<string>();
  for (const key of query.keys()) {
    if (seen.has(key)) continue;
    seen.add(key);
    if (!(EMBED_PARAMETERS as readonly string[]).includes(key)) {
      const near = closest(key, EMBED_PARAMETERS);
      problems.push(`unknown URL parameter ${quote(key)}${near ? ` (did you mean ${near}?)` : ''}; the embed understands ${EMBED_PARAMETERS.join(', ')}`);
    } else if (query.getAll(key).length > 1) bad(key, 'is given more than once; give it once');
  }
  const get = (name: (typeof EMBED_PARAMETERS)[number]): string | null => query.get(name);
  const oneOf = <T extends string>(name: (typeof EMBED_PARAMETERS)[number], allowed: readonly T[], fallback: T): T => {
    const v = get(name);
    if (v === null) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    const near = closest(v, allowed);
    bad(name, `must be ${orList(allowed)} (got ${quote(v)}${near ? `; did you mean ${near}?` : ''})`);
    return fallback;
  };
  const flag = (name: (typeof EMBED_PARAMETERS)[number], fallback: boolean, words: [string, string]): boolean => {
    const v = get(name);
    if (v === null) return fallback;
    const b = BOOLEAN[v.toLowerCase()];
    if (b !== undefined) return b;
    bad(name, `must be ${words[0]} or ${words[1]} (also 1/0, true/false, on/off; got ${quote(v)})`);
    return fallback;
  };

  const embed = get('embed');
  if (embed !== null && embed !== '1') bad('embed', `must be 1 (got ${quote(embed)}); leave it out for the full page`);

  const theme = oneOf('theme', THEMES, 'light');
  const controls = oneOf('controls', CONTROLS_LEVELS, 'full');
  const autoplay = flag('autoplay', false, ['1', '0']);
  const narration = flag('narration', true, ['on', 'off']);
  const guided = flag('guided', false, ['on', 'off']);

  const origins: string[] = [];
  const originsText = get('origins');
  if (originsText !== null) {
    const items = originsText.split(/[\s,]+/).filter(Boolean);
    if (items.length === 0) bad('origins', 'is empty; give the origins of the pages that embed the simulator, like https://lms.example.com (comma-separated)');
    if (items.length > MAX_ORIGINS) bad('origins', `lists ${items.length} origins; at most ${MAX_ORIGINS}`);
    for (const item of items.slice(0, MAX_ORIGINS)) {
      const origin = parseOrigin(item);
      if (origin === null)
        bad(
          'origins',
          `${quote(item)} is not an origin; give scheme://host[:port] with no path, like https://lms.example.com (comma-separated; "*" is not allowed)`,
        );
      else if (!origins.includes(origin)) origins.push(origin);
    }
  }

  const meshes = [...ctx.meshes, COMPARE];
  const meshText = get('mesh');
  let mesh: string | undefined;
  if (meshText !== null) {
    if (meshes.includes(meshText)) mesh = meshText;
    else bad('mesh', `must be ${orList(meshes)} (got ${quote(meshText)})`);
  }
  const withText = get('with');
  let panes: string[] | undefined;
  if (withText !== null) {
    // An unknown mesh is reported once, under mesh; with is then checked as if compare were asked.
    const checked = checkPanes(meshText !== null && mesh === undefined ? COMPARE : mesh, splitPanes(withText), ctx.meshes);
    if (checked.ok) panes = checked.panes;
    else bad('with', `${checked.problem} (got ${quote(withText)})`);
  }

  // One parameter per mesh picks its release (istio=1.23); readVersions names a bad one.
  const versionErrors: string[] = [];
  const versions = readVersions(query, versionErrors);
  for (const e of versionErrors) problems.push(e.replace(/; using the scenario's release$/, ''));

  let seed: number | undefined;
  const seedText = get('seed');
  if (seedText !== null) {
    seed = parseSeed(seedText);
    if (seed === undefined) bad('seed', `must be a whole number ≥ 0 (got ${quote(seedText)})`);
  }

  let step: number | undefined;
  const stepText = get('step');
  if (stepText !== null) {
    if (/^\d{1,7}$/.test(stepText)) step = Number(stepText);
    else bad('step', `must be a whole number ≥ 0, the steps done as the transport bar counts them (0 is the start; got ${quote(stepText)})`);
  }
  let t: number | undefined;
  const tText = get('t');
  if (tText !== null) {
    t = parseTimeMs(tText);
    if (t === undefined) bad('t', `must be a simulated time in ms like 1500, or 1.5s (got ${quote(tText)})`);
  }
  if (stepText !== null && tText !== null) problems.push('URL parameters step and t: give one of them, not both');

  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  for (const key of new Set(fragment.keys())) {
    if (!(FRAGMENT_KEYS as readonly string[]).includes(key))
      problems.push(`URL fragment: unknown key ${quote(key)}; the fragment may hold scenario=<compressed scenario> and name=<file name>`);
  }
  const inline = fragment.get('scenario');
  const name = fragment.get('name');
  if (name !== null && !/^[\w.-]{1,80}$/.test(name)) problems.push(`URL fragment name: must be a file name of letters, digits, . _ - (got ${quote(name)})`);
  if (inline === null && name !== null) problems.push('URL fragment name: names an inline scenario, but the fragment has no scenario=');

  const scenarioKey = get('scenario');
  const scenarioUrl = get('scenarioUrl');
  const sources = [scenarioKey !== null && 'scenario', scenarioUrl !== null && 'scenarioUrl', inline !== null && "the fragment's scenario"].filter(Boolean);
  if (sources.length > 1) problems.push(`URL parameters: ${orList(sources as string[]).replace(/ or /, ' and ')} each name a scenario; give one`);

  let scenario: ScenarioSource = { kind: 'library', key: ctx.defaultScenario };
  if (scenarioKey !== null) {
    if (ctx.library.includes(scenarioKey)) scenario = { kind: 'library', key: scenarioKey };
    else {
      const near = closest(scenarioKey, ctx.library);
      bad(
        'scenario',
        `no scenario ${quote(scenarioKey)} in the library${near ? ` (did you mean ${near}?)` : ''}; choose ${orList(ctx.library)}, or use scenarioUrl or an inline scenario`,
      );
    }
  } else if (scenarioUrl !== null) {
    const checked = checkScenarioUrl(scenarioUrl, ctx.base, origins, 'one listed in origins');
    if (checked) bad('scenarioUrl', checked);
    else scenario = { kind: 'url', url: scenarioUrl };
  } else if (inline !== null) {
    if (!/^[\w-]+$/.test(inline))
      problems.push('URL fragment scenario: must be base64url text (letters, digits, - and _), the deflate-raw compressed scenario');
    scenario = { kind: 'inline', data: inline, name: name ?? 'inline.yaml' };
  } else scenario = { kind: 'library', key: ctx.defaultScenario };

  if (problems.length) return { ok: false, problems, origins, theme };
  return {
    ok: true,
    params: {
      scenario,
      autoplay,
      controls,
      narration,
      guided,
      theme,
      origins,
      ...(mesh === undefined ? {} : { mesh }),
      ...(panes === undefined ? {} : { with: panes }),
      ...(versions === undefined ? {} : { versions }),
      ...(seed === undefined ? {} : { seed }),
      ...(step === undefined ? {} : { step }),
      ...(t === undefined ? {} : { t }),
    },
  };
}
