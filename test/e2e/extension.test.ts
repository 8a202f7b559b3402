/**
 * A build with an extra mesh (MESH_SIM_EXTENSIONS=test/extensions/linkerdCopy.ts): the page offers
 * it in the mesh switch and the URL, and the simulation worker knows it too — a long scenario,
 * written for its section, simulates in the worker under it with no problem shown.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { buildSite, serve, type Site } from './site.ts';
import { appState, frames, metricsRow, paintedPixels } from './harness.ts';
import { COPY_ID, rewriteForCopy } from '../extensions/linkerdCopyScenario.ts';
import { MESH_CATALOG } from '../../src/scenario/index.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await serve(buildSite(['test/extensions/linkerdCopy.ts']));
  browser = await workerBrowser();
  // 50 requests a second for 10 s: above the runner's limit, so it simulates in the worker.
  const busy = rewriteForCopy(readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8')).replace(/rate: 20\/s/, 'rate: 50/s');
  expect(busy).toContain('rate: 50/s');
  expect(busy).toContain(`${COPY_ID}:`);
  site.fixtures.set('busy.yaml', busy);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await site?.close();
});

describe('a build with an extra mesh', () => {
  it('offers it, opens it from the URL and simulates under it in the worker', async () => {
    const page = await newTab(browser, { width: 1400, height: 860 });
    const problems: string[] = [];
    const workers: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${site.url}?mesh=${COPY_ID}&scenarioUrl=/fixtures/busy.yaml`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);

    const meshes = page.getByRole('group', { name: 'Mesh' }).getByRole('button');
    expect(await meshes.allInnerTexts()).toEqual([...MESH_CATALOG.map((m) => m.name), 'Linkerd copy', 'Compare']);
    expect(await page.getByRole('button', { name: 'Linkerd copy' }).getAttribute('aria-pressed')).toBe('true');
    expect(await appState(page)).toMatchObject({ scenario: 'retries-flaky-pod', mesh: COPY_ID });
    expect(workers).toEqual([expect.stringMatching(/\/assets\/simulation\.worker-[\w-]+\.js$/)]);
    expect(await page.getByRole('alert').isHidden()).toBe(true);

    // The run is there: steps to walk, a picture, and the 500 requests in the metrics.
    await page.keyboard.press('ArrowRight');
    await frames(page);
    expect((await appState(page)).stepIndex).toBe(0);
    expect(await paintedPixels(page)).toBeGreaterThan(20_000);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.timeMs > 0);
    expect(await metricsRow(page, 'reviews')).toMatch(/\d/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
