/**
 * An end-to-end test file's site and browser: the built site served (see site.ts) before the
 * file's tests and closed after them, and the worker's Chromium (lifecycle.ts).
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildSite, serve, type Site } from './site.ts';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';

/** Registers the file's setup and teardown; `fixtures` adds test-only files to the site before any test runs. */
export function siteAndBrowser(fixtures?: (site: Site) => void): { readonly site: Site; readonly browser: Browser } {
  const held = {} as { site: Site; browser: Browser };
  beforeAll(async () => {
    held.site = await serve(buildSite());
    fixtures?.(held.site);
    held.browser = await workerBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(held.browser);
    await held.site?.close();
  });
  return held;
}
