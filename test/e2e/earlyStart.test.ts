/**
 * The page's entry script begins fetching the library scenario the address opens, and its run as
 * the site's build made it under each pane's mesh (src/ui/earlyStart.ts beginLibrary), while the
 * app's own modules load — not once they have arrived and run (issue 11: the first frame waited
 * for that round trip). A link that asks for another run (here a seed) fetches no built run at all.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { siteAndBrowser } from './siteAndBrowser.ts';
import { newTab } from './tabs.ts';

const e2e = siteAndBrowser();

/** A chunk's file name from its URL. */
const fileOf = (url: string): string => new URL(url).pathname.replace(/^.*\//, '');

/**
 * A page on which every script is held back until released, except the entry's own (the index
 * page's script and its modulepreloads) and the chunks named after library scenario `key` (its
 * text and its built runs); `library` resolves once `count` of those have been asked for.
 */
async function heldPage(key: string, count: number): Promise<{ page: Page; library: Promise<string[]>; release(): void }> {
  const html = await (await fetch(e2e.site.url)).text();
  const entry = new Set([...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!));
  expect(entry.size).toBeGreaterThan(0);
  const page = await newTab(e2e.browser, { width: 1400, height: 860 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const asked: string[] = [];
  let found!: (files: string[]) => void;
  const library = new Promise<string[]>((r) => (found = r));
  await page.route('**/assets/*.js', async (route) => {
    const file = fileOf(route.request().url());
    if (file.startsWith(`${key}-`)) {
      asked.push(file);
      if (asked.length === count) found([...asked]);
    } else if (!entry.has(file)) await released;
    await route.continue();
  });
  return { page, library, release };
}

describe('the entry script', () => {
  it.each([
    ['', 'retries-flaky-pod', 2],
    ['?scenario=retry-storm&mesh=compare', 'retry-storm', 3],
    ['?scenario=locality-failover&mesh=linkerd&t=2000', 'locality-failover', 2],
    // The embed page too (src/embed/main.ts asks for the same chunks once its modules have run).
    ['?embed=1&scenario=locality-failover&mesh=compare', 'locality-failover', 3],
  ])('begins the scenario and each pane’s built run while the app’s modules are held back (%s)', async (query, key, count) => {
    const { page, library, release } = await heldPage(key, count);
    await page.goto(e2e.site.url + query, { waitUntil: 'commit' });
    // The scenario's chunk and one run per pane, asked for by the entry: the app has not loaded.
    expect(await library).toHaveLength(count);
    release();
    await page.waitForSelector('body[data-ready=true]');
    await page.close();
  });

  it('fetches no built run for a link that asks for another run (a seed)', async () => {
    const page = await newTab(e2e.browser, { width: 1400, height: 860 });
    const asked: string[] = [];
    page.on('request', (r) => {
      if (fileOf(r.url()).startsWith('retries-flaky-pod-')) asked.push(fileOf(r.url()));
    });
    await page.goto(`${e2e.site.url}?seed=7`);
    await page.waitForSelector('body[data-ready=true]');
    // The scenario's own chunk only: the run is simulated, the one the build made is not needed.
    expect(asked).toHaveLength(1);
    await page.close();
  });
});
