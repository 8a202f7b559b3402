/**
 * The set-up most end-to-end test files share: the built site served and Chromium launched before
 * the file's tests, both closed after. Kept apart from site.ts and harness.ts, which the
 * benchmarks import outside vitest.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildSite, launch, serve, type Site } from './site.ts';

/** Registers the file's hooks; `ready` gets the site and the browser once both are up. */
export function withSiteAndBrowser(ready: (site: Site, browser: Browser) => void): void {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await serve(buildSite());
    browser = await launch();
    ready(site, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
}
