/**
 * Istio ambient in the real page, three-way: `?scenario=ambient-waypoint-l7&mesh=compare&with=
 * istio,ambient,linkerd` opens three pictures; the ambient pane draws a ztunnel per node and, once
 * the change has added it, the waypoint, and its Compare column shows the failures ambient lets
 * through before the waypoint (FIDELITY-MORE H6, H7). Figures are simulated here, in Node.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runScenario } from '../../src/player/index.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, openApp } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const FILE = 'scenarios/ambient-waypoint-l7.yaml';
const reportOf = (mesh: string) => {
  const o = runScenario({ text: readFileSync(FILE, 'utf8'), file: FILE, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o.report;
};
const failed = (mesh: string): number => reportOf(mesh).summary.failed;
const texts = (page: Page, pane: number): Promise<string[]> => page.evaluate((p) => window.meshSim!.textsOnScreen(p).map((t) => t.text), pane);

describe('Istio ambient, three-way compare', () => {
  it('opens ?scenario=ambient-waypoint-l7&mesh=compare&with=istio,ambient,linkerd: three panes, ztunnels and the waypoint drawn in the ambient one', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=ambient-waypoint-l7&mesh=compare&with=istio,ambient,linkerd&t=7000', {
      readyTimeout: 90_000,
    });
    expect(await appState(page)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'ambient', 'linkerd'], timeMs: 7000 });
    expect(await page.getByRole('application', { name: /^The mesh/ }).count()).toBe(3);
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

    // FIDELITY-MORE H10, L6: the footprint per pane — sidecars per pod against ztunnels per node plus the waypoint.
    const [istio, amb, linkerd] = ['istio', 'ambient', 'linkerd'].map((m) => reportOf(m).footprint);
    const kinds = (f: typeof istio) => f!.proxies.map((p) => `${p.count} ${p.name}`).join(' + ');
    expect(kinds(istio)).toMatch(/^\d+ Envoy sidecar$/);
    expect(kinds(amb)).toMatch(/^2 ztunnel \+ 1 waypoint$/);
    expect(rows.find((r) => r[0] === 'proxies')).toEqual(['proxies', kinds(istio), `${kinds(amb)} ≠`, `${kinds(linkerd)} ≠`]);
    expect(rows.find((r) => r[0] === 'proxy memory (est.)')).toEqual([
      'proxy memory (est.)',
      `${istio!.total.memoryMb} MB`,
      `${amb!.total.memoryMb} MB ≠`,
      `${linkerd!.total.memoryMb} MB ≠`,
    ]);
    expect(amb!.total.memoryMb).toBeLessThan(istio!.total.memoryMb);
    expect(rows.find((r) => r[0] === 'proxy CPU (est.)')?.[2]).toBe(`${amb!.total.vCpu} vCPU ≠`);
    // Where the figures come from, per pane, one click away.
    const compare = page.getByRole('region', { name: 'Compare' });
    await compare.getByText('Where the proxy figures come from').click();
    const sources = await compare.locator('.footprint-sources li').allInnerTexts();
    expect(sources).toHaveLength(3);
    expect(sources[1]).toMatch(/ztunnel: FIDELITY-MORE H10: Istio 1\.24/);
    expect(sources[2]).toMatch(/linkerd2-proxy: FIDELITY F2, FIDELITY-MORE L6: Linkerd 2\.11\.1/);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
