/**
 * First play's bytes, counted one way for the benchmark (`browser.firstPlayKB`) and the size
 * budget test (test/e2e/page.test.ts): every script the page loads from navigation until it plays
 * its default scenario (ready, Space, the clock past 0), each gzipped at level 9. Files are listed in
 * KB to the byte (three decimals) and summed before the total is rounded to one decimal: rounding
 * each of a dozen files first put the total up to 0.4 KB off the bytes sent. Bytes do not depend on
 * the machine's load, so a test may hold them to a budget.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';

/** The issue 11 target for `browser.firstPlayKB` (gzip). */
export const FIRST_PLAY_BUDGET_KB = 250;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * First play of `url` in a fresh page: gzip KB per script file (by file name), largest first, and
 * what `measure` read in the page once it played (the benchmark reads its first-frame mark).
 */
export async function firstPlay<T>(
  browser: Browser,
  url: string,
  measure: (page: Page) => Promise<T>,
): Promise<{ files: Record<string, number>; measured: T }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  try {
    const scripts = new Map<string, Promise<Buffer>>();
    page.on('response', (r) => {
      if (/\.js(\?|$)/.test(r.url())) scripts.set(r.url(), r.body());
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window.meshSim?.state()?.timeMs ?? 0) > 0);
    const measured = await measure(page);
    const files: [string, number][] = [];
    for (const [src, body] of scripts) files.push([src.replace(/^.*\//, ''), round3(gzipSync(await body, { level: 9 }).length / 1024)]);
    return { files: Object.fromEntries(files.sort((a, b) => b[1] - a[1])), measured };
  } finally {
    await page.close();
  }
}

/** {@link firstPlay}'s files alone. */
export const firstPlayFiles = async (browser: Browser, url: string): Promise<Record<string, number>> =>
  (await firstPlay(browser, url, () => Promise.resolve(undefined))).files;

/** The total of `firstPlayFiles` (each to the byte), in KB with one decimal. */
export const firstPlayKB = (files: Record<string, number>): number => round1(Object.values(files).reduce((a, b) => a + b, 0));

/** `name 12.3 KB` lines, largest first: what a budget failure shows. */
export const firstPlayList = (files: Record<string, number>): string =>
  Object.entries(files)
    .map(([name, kb]) => `  ${name} ${kb} KB`)
    .join('\n');
