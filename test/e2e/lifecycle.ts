/**
 * The set-up end-to-end test files share: the built site served before the file's tests and
 * closed after them, and the worker's Chromium. Kept apart from site.ts and harness.ts, which the
 * benchmarks import outside vitest.
 *
 * One Chromium per test worker, not per file: the first file that asks launches it, the files
 * after it in the same worker take it (vitest runs a worker's files one after another), so each
 * file saves the launch and its first tab's cold start — about a second and a half on two slow
 * cores (session 38). At a file's end every tab it left open is closed, but for the parked ones
 * (tabs.ts), which are at about:blank. The browser goes with the worker's process: playwright
 * kills the browsers it launched when their process exits.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildSite, launch, serve, type Site } from './site.ts';
import { closeUnparked } from './tabs.ts';

/**
 * Held on the process, not the module: a test file with a module graph of its own (vitest.config.ts's
 * ISOLATED) in a process that already has a browser takes it too, rather than launching another.
 */
const HELD = Symbol.for('mesh-sim.e2e.browser');
const holder = globalThis as { [HELD]?: Promise<Browser> };

/** The worker's Chromium, launched if it has none (or it has gone: crashed, or closed by a test). */
export async function workerBrowser(): Promise<Browser> {
  const held = await holder[HELD]?.catch(() => undefined);
  if (held?.isConnected()) return held;
  holder[HELD] = launch();
  return holder[HELD];
}

/** A file is done with the worker's browser: the tabs it left open are closed, the parked ones kept. */
export async function releaseBrowser(browser: Browser | undefined): Promise<void> {
  if (browser?.isConnected()) await closeUnparked(browser);
}

/** Registers the file's hooks; `ready` gets the site and the browser once both are up. */
export function withSiteAndBrowser(ready: (site: Site, browser: Browser) => void): void {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await serve(buildSite());
    browser = await workerBrowser();
    ready(site, browser);
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await site?.close();
  });
}
