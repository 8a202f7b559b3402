/**
 * `npm start` is the README's first command: the vite dev server, not the build the other
 * end-to-end tests serve. What only the build does (its plugins, CommonJS conversion) can break
 * the dev page while every built-page test passes — as 'pixi.js' resolved file by file did
 * (eventemitter3 has no default export unconverted): a blank picture and a SyntaxError.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import type { Browser } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { newTab } from './tabs.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let server: ViteDevServer;
let browser: Browser;

beforeAll(async () => {
  server = await createServer({ root: ROOT, configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, strictPort: false } });
  await server.listen();
  browser = await workerBrowser();
}, 120_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await server?.close();
});

describe('npm start (the vite dev server)', () => {
  it('opens the default scenario, draws it and plays, with no error on the page', { timeout: 180_000 }, async () => {
    const url = server.resolvedUrls!.local[0]!;
    const page = await newTab(browser, { width: 1280, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    // The first visit optimises the dependencies: give it time, but fail on an error at once.
    await Promise.race([
      page.waitForSelector('body[data-ready=true]', { timeout: 150_000 }),
      page.waitForEvent('pageerror', { timeout: 150_000 }).then((e) => {
        throw new Error(`the dev page failed: ${String(e)}`);
      }),
    ]);
    const before = await page.evaluate(() => window.meshSim!.state()!.timeMs);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction((t) => window.meshSim!.state()!.timeMs > t, before, { timeout: 60_000 });
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    expect(texts.length).toBeGreaterThan(15);
    expect(errors).toEqual([]);
    await page.close();
  });
});
