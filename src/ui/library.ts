/**
 * The scenario library: every `scenarios/*.yaml`, bundled as text. A scenario can also come from a
 * URL (`?scenarioUrl=...`), as course authors link their own.
 */
import { loadScenario } from '../player/index.ts';

const files = import.meta.glob('/scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** A scenario file: its key (file name without `.yaml`), path for messages, and text. */
export interface ScenarioFile {
  key: string;
  file: string;
  text: string;
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
  'retries-flaky-pod',
  'retry-storm',
  'timeouts',
  'circuit-breaking-pool',
  'outlier-vs-failure-accrual',
  'load-balancing-slow-pod',
  'canary-split',
  'ingress-gateway',
  'egress-control',
  'config-push',
];
const rank = (key: string): number => (COURSE.includes(key) ? COURSE.indexOf(key) : COURSE.length);

/** The library, in course order. */
export const LIBRARY: readonly ScenarioFile[] = Object.entries(files)
  .map(([path, text]) => ({ key: path.replace(/^.*\//, '').replace(/\.yaml$/, ''), file: path.slice(1), text }))
  .sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));

/**
 * A scenario's title read from its top-level `title:` line, without parsing the file (the picker
 * lists every library scenario before the first frame). Null unless the line holds a plain
 * one-line title (not quoted, folded, continued on the next line, nor a number or a boolean):
 * only a parse reads those right.
 */
export function plainTitle(text: string): string | null {
  const m = /^title:[ \t]+([^\r\n]*?)[ \t]*(?:\r?\n|$)/m.exec(text);
  if (!m) return null;
  const title = m[1]!;
  const next = text.charAt(m.index + m[0].length);
  if (
    !/^\p{L}/u.test(title) ||
    /^(true|false|null)$/i.test(title) ||
    /: |:$| #|\t/.test(title) ||
    next === ' ' ||
    next === '\t' ||
    next === '\r' ||
    next === '\n'
  )
    return null;
  return title;
}

/** A library scenario's name in the picker: its title, read from its `title:` line when that is plain (parsing all of them costs tens of ms before the first frame). */
export function pickerTitle(s: ScenarioFile): string {
  const plain = plainTitle(s.text);
  if (plain !== null) return plain;
  const loaded = loadScenario(s.text, s.file);
  return loaded.ok ? loaded.scenario.title : `${s.key} (has problems)`;
}

/** The scenario the app opens on. */
export const DEFAULT_SCENARIO = 'retries-flaky-pod';

/** The largest scenario accepted from a URL (library scenarios are a few KB). */
export const MAX_SCENARIO_CHARS = 512 * 1024;

const quote = (v: string): string => JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);

/**
 * Why a scenario may not be loaded from `url` (resolved against `base`), as a message without the
 * parameter's name; null when it may: over http(s), from `base`'s origin or one of `origins`.
 * `others` says where other origins are allowed (the embed's `origins` parameter); else they are listed.
 */
export function checkScenarioUrl(url: string, base: string, origins: readonly string[], others?: string): string | null {
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    return `${quote(url)} is not a URL`;
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return `must be an http or https URL (got ${quote(url)})`;
  const own = new URL(base).origin;
  if (target.origin === own || origins.includes(target.origin)) return null;
  const elsewhere = others ?? origins.join(', ');
  return `${quote(url)} is on ${target.origin}; scenarios load from this page's origin (${own})${elsewhere ? ` or ${elsewhere}` : ''}`;
}

/**
 * Fetches a scenario from a URL; the text, or a message naming the parameter. Only where
 * {@link checkScenarioUrl} allows, and without following redirects (an allowed origin must not
 * hand the request on to another one).
 */
export async function fetchScenario(url: string, origins: readonly string[] = []): Promise<ScenarioFile | { error: string }> {
  const problem = checkScenarioUrl(url, location.href, origins);
  if (problem) return { error: `URL parameter scenarioUrl: ${problem}` };
  const target = new URL(url, location.href);
  try {
    const response = await fetch(target.href, { redirect: 'error', credentials: 'same-origin' });
    if (!response.ok) return { error: `URL parameter scenarioUrl: could not load ${url} (HTTP ${response.status})` };
    const text = await response.text();
    if (text.length > MAX_SCENARIO_CHARS)
      return { error: `URL parameter scenarioUrl: ${url} is ${text.length} characters; a scenario may have at most ${MAX_SCENARIO_CHARS}` };
    const file = url.replace(/[?#].*$/, '').replace(/^.*\//, '') || url;
    return { key: `url:${url}`, file, text };
  } catch (e) {
    return { error: `URL parameter scenarioUrl: could not load ${url} (${e instanceof Error ? e.message : String(e)})` };
  }
}
