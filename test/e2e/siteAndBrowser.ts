/**
 * An end-to-end test file's site and browser: the built site served (see site.ts) and Chromium
 * launched before the file's tests, both closed after them.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildSite, launch, serve, type Site } from './site.ts';

/** Registers the file's setup and teardown; `fixtures` adds test-only files to the site before any test runs. */
export function siteAndBrowser(fixtures?: (site: Site) => void): { readonly site: Site; readonly browser: Browser } {
  const held = {} as { site: Site; browser: Browser };
  beforeAll(async () => {
    held.site = await serve(buildSite());
    fixtures?.(held.site);
    held.browser = await launch();
  });
  afterAll(async () => {
    await held.browser?.close();
    await held.site?.close();
  });
  return held;
}
