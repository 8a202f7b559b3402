/**
 * Embedding, measured:
 * - the `<mesh-sim>` loader's gzip size (what a course page loads before the learner presses
 *   Play; target ≤ 10 KB), and whether it pulls in any other chunk;
 * - the JavaScript the embed page loads before its first frame (gzip);
 * - navigation to first frame of the embed page (`index.html?embed=1`, controls=minimal) next to the full
 *   app's on the same scenario in the same Chromium, as a ratio (the embed should cost no more).
 * Chromium is headless with SwiftShader, so absolute times are pessimistic; watch the ratio.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildSite, launch, serve, type Site } from '../e2e/site.ts';

const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const gzip = (b: Buffer): number => gzipSync(b, { level: 9 }).length;

/** One navigation to first frame of `path`, and the scripts it loaded. */
async function firstFrame(browser: Browser, site: Site, path: string): Promise<{ ms: number; jsGzip: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const scripts = new Map<string, Promise<Buffer>>();
  page.on('response', (r) => {
    if (/\.js(\?|$)/.test(r.url())) scripts.set(r.url(), r.body());
  });
  await page.goto(site.url + path);
  const handle = await page.waitForFunction(() => performance.getEntriesByName('mesh-sim:first-frame')[0]?.startTime);
  const ms = (await handle.jsonValue()) as number;
  const jsGzip = (await Promise.all(scripts.values())).reduce((n, b) => n + gzip(b), 0);
  await page.close();
  return { ms, jsGzip };
}

/** Medians over runs that alternate between the pages, so that a busy machine slows both alike. */
async function compare(browser: Browser, site: Site, paths: Record<string, string>): Promise<Record<string, { ms: number; jsGzip: number }>> {
  const samples: Record<string, { ms: number[]; jsGzip: number }> = {};
  for (let i = 0; i < RUNS; i++) {
    for (const [name, path] of Object.entries(paths)) {
      const r = await firstFrame(browser, site, path);
      samples[name] ??= { ms: [], jsGzip: r.jsGzip };
      samples[name].ms.push(r.ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { ms: median(s.ms), jsGzip: s.jsGzip }]));
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = buildSite();
  const loader = readFileSync(join(dir, 'mesh-sim.js'));
  const imports = [...loader.toString('utf8').matchAll(/\bimport\s*(?:[\w{}*\s,]+from\s*)?["'`]/g)].length;
  const figures: Record<string, number | string> = {
    'loader mesh-sim.js gzip KB (target ≤ 10)': round(gzip(loader) / 1024),
    'loader chunks imported (target 0)': imports,
  };
  const browser = await launch();
  const site = await serve(dir);
  try {
    const { app, embed } = await compare(browser, site, {
      app: 'index.html?scenario=retries-flaky-pod',
      embed: 'index.html?embed=1&scenario=retries-flaky-pod&controls=minimal',
    });
    if (!app || !embed) throw new Error('no samples');
    figures['embed first-frame JS gzip KB'] = round(embed.jsGzip / 1024, 1);
    figures['app first-frame JS gzip KB (baseline)'] = round(app.jsGzip / 1024, 1);
    figures['embed navigation to first frame ms'] = round(embed.ms, 0);
    figures['app navigation to first frame ms (baseline)'] = round(app.ms, 0);
    figures['embed / app first frame (target ≤ 1.1)'] = round(embed.ms / app.ms);
  } finally {
    await site.close();
    await browser.close();
  }
  return figures;
}
