/**
 * The scenario library: every `scenarios/*.yaml`, bundled as text. A scenario can also come from a
 * URL (`?scenarioUrl=...`), as course authors link their own.
 */
const files = import.meta.glob('/scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** A scenario file: its key (file name without `.yaml`), path for messages, and text. */
export interface ScenarioFile {
  key: string;
  file: string;
  text: string;
}

/** The library, sorted by key. */
export const LIBRARY: readonly ScenarioFile[] = Object.entries(files)
  .map(([path, text]) => ({ key: path.replace(/^.*\//, '').replace(/\.yaml$/, ''), file: path.slice(1), text }))
  .sort((a, b) => a.key.localeCompare(b.key));

/** The scenario the app opens on. */
export const DEFAULT_SCENARIO = 'retries-flaky-pod';

/** Fetches a scenario from a URL; the text, or a message naming the parameter. */
export async function fetchScenario(url: string): Promise<ScenarioFile | { error: string }> {
  try {
    const response = await fetch(url);
    if (!response.ok) return { error: `scenarioUrl: could not load ${url} (HTTP ${response.status})` };
    const text = await response.text();
    const file = url.replace(/[?#].*$/, '').replace(/^.*\//, '') || url;
    return { key: `url:${url}`, file, text };
  } catch (e) {
    return { error: `scenarioUrl: could not load ${url} (${e instanceof Error ? e.message : String(e)})` };
  }
}
