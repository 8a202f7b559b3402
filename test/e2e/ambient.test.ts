/**
 * Istio ambient in the real page, three-way: `?scenario=ambient-waypoint-l7&mesh=compare&with=
 * istio,ambient,linkerd` opens three pictures; the ambient pane draws a ztunnel per node and, once
 * the change has added it, the waypoint, and its Compare column shows the failures ambient lets
 * through before the waypoint (FIDELITY-MORE H6, H7). Figures are simulated here, in Node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runScenario } from '../../src/player/index.ts';
import { buildSite, launch, serve, type Site } from './site.ts';
import { appState, openApp } from './harness.ts';

let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await serve(buildSite());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const FILE = 'scenarios/ambient-waypoint-l7.yaml';
const failed = (mesh: string): number => {
  const o = runScenario({ text: readFileSync(FILE, 'utf8'), file: FILE, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o.report.summary.failed;
};
const texts = (page: Page, pane: number): Promise<string[]> => page.evaluate((p) => window.meshSim!.textsOnScreen(p).map((t) => t.text), pane);

describe('Istio ambient, three-way compare', () => {
  it('opens ?scenario=ambient-waypoint-l7&mesh=compare&with=istio,ambient,linkerd: three panes, ztunnels and the waypoint drawn in the ambient one', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=ambient-waypoint-l7&mesh=compare&with=istio,ambient,linkerd&t=7000');
    expect(await appState(page)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'ambient', 'linkerd'], timeMs: 7000 });
    expect(await page.getByRole('img', { name: /^The mesh/ }).count()).toBe(3);
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Istio 1.30 · reference', 'Istio ambient 1.30', 'Linkerd 2.20']);

    // The ambient pane: a ztunnel on each node and the waypoint; no sidecar. The Istio pane: sidecars, no ztunnel.
    const ambient = (await texts(page, 1)).join(' | ');
    expect(ambient).toMatch(/ztunnel/);
    expect(ambient).toMatch(/waypoint/);
    expect((await texts(page, 0)).join(' | ')).not.toMatch(/ztunnel|waypoint/);

    // The Compare panel: ambient lets the 503s through before the waypoint exists.
    const rows = await page
      .getByRole('region', { name: 'Compare' })
      .locator('table.summary tr')
      .evaluateAll((rs) => rs.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
    expect(failed('ambient')).toBeGreaterThan(failed('istio'));
    expect(rows.find((r) => r[0] === 'failed')).toEqual(['failed', String(failed('istio')), `${failed('ambient')} ≠`, expect.any(String)]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
