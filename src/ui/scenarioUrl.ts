/**
 * A scenario from a URL (`?scenarioUrl=...`, as course authors link their own): where one may be
 * loaded from, and its fetch. Apart from the library (library.ts) because the page's entry script
 * begins that fetch before the app's modules arrive (earlyStart.ts).
 */
import type { ScenarioFile } from './library.ts';

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
