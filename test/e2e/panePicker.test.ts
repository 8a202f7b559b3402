/**
 * Compare's pane picker in the real page: a learner puts any of the meshes a scenario is written
 * for side by side without editing the URL. On retries-flaky-pod at 3 s, ticking Consul adds a
 * third picture drawing Consul's control plane, keeping the playhead; choosing Consul as the
 * reference moves its pane first and compares the others with it; unticking Istio takes its
 * pane away; Space on a box ticks it rather than playing; all five meshes it is written for fit
 * in two rows of three, the Compare table then a row per figure (its five columns would not fit the
 * side column), and the picker never allows fewer than two panes or more than six. Each step's
 * figures are checked against Node's simulation.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { simulateFile } from '../helpers/library.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, openApp, paintedPixels } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const FILE = 'scenarios/retries-flaky-pod.yaml';
const CONTROL_PLANES: Record<string, string> = { istio: 'istiod', linkerd: 'destination', consul: 'consul-server', osm: 'osm-controller', ambient: 'istiod' };

/** Requests that failed, as Node simulates `mesh` (the Compare table's `failed` row). */
const failed = (mesh: string): string => String(simulateFile(FILE, mesh).report.summary.failed);
/** The median request's latency, as Node simulates `mesh` (the table's `p50` row). */
const p50 = (mesh: string): string => `${simulateFile(FILE, mesh).report.summary.latencyMs.p50} ms`;

/** Waits until the page shows `meshes`, one pane each, every picture drawn. */
async function showing(page: Page, meshes: string[]): Promise<void> {
  await page.waitForFunction((m) => window.meshSim!.state()!.meshes.join() === m.join() && document.body.dataset.ready === 'true', meshes, { timeout: 55_000 });
  await page.waitForFunction((n) => document.querySelectorAll('.pane:not([hidden]) canvas').length === n, meshes.length);
  await frames(page);
}

const box = (page: Page, name: string) => page.getByRole('region', { name: 'Compare' }).getByRole('checkbox', { name, exact: true });

/** The Compare table's column heads and its `failed` row, cell by cell. */
async function table(page: Page): Promise<{ heads: string[]; failed: string[] }> {
  const region = page.getByRole('region', { name: 'Compare' });
  const heads = (await region.locator('table.summary thead th').allInnerTexts()).slice(1).map((t) => t.replace(/\s+/g, ' ').trim());
  const row = region.locator('table.summary tbody tr').filter({ has: page.locator('th', { hasText: /^failed$/ }) });
  const failedCells = (await row.locator('td').allInnerTexts()).map((t) => t.replace(' ≠', '').trim());
  return { heads, failed: failedCells };
}

describe('compare mode’s pane picker', () => {
  it('adds, reorders and takes away panes as a learner ticks boxes, keeping the playhead, within 2 to 6 panes', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&t=3000');
    expect(await appState(page)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd'], timeMs: 3000 });
    // The boxes: the meshes retries-flaky-pod is written for, Istio and Linkerd ticked (and held: two is the least).
    const boxes = page.getByRole('region', { name: 'Compare' }).getByRole('checkbox');
    expect(
      await boxes.evaluateAll((l) => l.map((b) => `${(b as HTMLInputElement).value}:${(b as HTMLInputElement).checked}:${(b as HTMLInputElement).disabled}`)),
    ).toEqual(['istio:true:true', 'linkerd:true:true', 'ambient:false:false', 'consul:false:false', 'osm:false:false']);

    // Tick Consul: a third pane, Consul's control plane drawn in it, the playhead where it was.
    await box(page, 'Consul').check();
    await showing(page, ['istio', 'linkerd', 'consul']);
    expect((await appState(page)).timeMs).toBe(3000);
    expect(new URL(page.url()).searchParams.get('with')).toBe('istio,linkerd,consul');
    expect(await paintedPixels(page, 'stage-3')).toBeGreaterThan(5000);
    const drawn = async (pane: number): Promise<string[]> => page.evaluate((p) => window.meshSim!.textsOnScreen(p).map((t) => t.text), pane);
    expect(await drawn(2)).toContain(CONTROL_PLANES.consul);
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Istio 1.30 · reference', 'Linkerd 2.20', 'Consul 2.0']);
    expect(await table(page)).toEqual({ heads: ['Istio (reference)', 'Linkerd', 'Consul'], failed: ['istio', 'linkerd', 'consul'].map(failed) });

    // Consul as the reference: its pane first, the table's columns and the hint follow.
    await page.getByRole('combobox', { name: 'Reference pane' }).selectOption({ label: 'Consul' });
    await showing(page, ['consul', 'istio', 'linkerd']);
    expect(await drawn(0)).toContain(CONTROL_PLANES.consul);
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Consul 2.0 · reference', 'Istio 1.30', 'Linkerd 2.20']);
    expect(await table(page)).toEqual({ heads: ['Consul (reference)', 'Istio', 'Linkerd'], failed: ['consul', 'istio', 'linkerd'].map(failed) });
    expect(
      await page
        .getByRole('region', { name: 'Compare' })
        .getByText(/differs from the reference, Consul/)
        .count(),
    ).toBe(1);

    // Untick Istio: two panes left, both held.
    await box(page, 'Istio').uncheck();
    await showing(page, ['consul', 'linkerd']);
    expect(await drawn(0)).toContain(CONTROL_PLANES.consul);
    expect(await drawn(1)).toContain(CONTROL_PLANES.linkerd);
    expect(await box(page, 'Consul').isDisabled()).toBe(true);
    expect(await box(page, 'Linkerd').isDisabled()).toBe(true);
    expect(await box(page, 'Consul').getAttribute('title')).toBe('Compare shows at least 2 panes');

    // Space on a focused box ticks it (it does not play); then a fourth and a fifth: every mesh
    // the scenario is written for at once, in two rows of three.
    await box(page, 'Istio ambient').focus();
    await page.keyboard.press(' ');
    await showing(page, ['consul', 'linkerd', 'ambient']);
    expect((await appState(page)).playing).toBe(false);
    await box(page, 'OSM (archived)').check();
    await showing(page, ['consul', 'linkerd', 'ambient', 'osm']);
    await box(page, 'Istio').check();
    await showing(page, ['consul', 'linkerd', 'ambient', 'osm', 'istio']);
    const cells = await Promise.all(['stage', 'stage-2', 'stage-3', 'stage-4', 'stage-5'].map(async (id) => (await page.getByTestId(id).boundingBox())!));
    expect(cells.slice(1, 3).map((c) => c.y)).toEqual([cells[0]!.y, cells[0]!.y]);
    expect(cells[3]!.x).toBe(cells[0]!.x);
    expect(cells[4]!.y).toBe(cells[3]!.y);
    expect(cells[3]!.y).toBeGreaterThan(cells[0]!.y + cells[0]!.height - 2);
    for (const [i, mesh] of ['consul', 'linkerd', 'ambient', 'osm', 'istio'].entries()) {
      expect(await paintedPixels(page, ['stage', 'stage-2', 'stage-3', 'stage-4', 'stage-5'][i]), mesh).toBeGreaterThan(5000);
      expect(await page.evaluate((p) => window.meshSim!.controlPlaneOnScreen(p), i), mesh).not.toBeNull();
    }
    expect(await drawn(3)).toContain(CONTROL_PLANES.osm);
    // A pane is a third of the picture wide: each difference note shown sits right of its pane's
    // name ("Consul 2.0 · reference"), not over it.
    const gaps = await page.locator('.pane:not([hidden])').evaluateAll((panes) =>
      panes.map((p) => {
        const label = p.querySelector('.pane-label')!.getBoundingClientRect();
        const note = p.querySelector('.pane-diff:not([hidden])')?.getBoundingClientRect();
        return note ? note.left - label.right : null;
      }),
    );
    expect(gaps.filter((g) => g !== null).length).toBeGreaterThan(0);
    for (const g of gaps) if (g !== null) expect(g).toBeGreaterThanOrEqual(4);
    expect((await table(page)).failed).toEqual(['consul', 'linkerd', 'ambient', 'osm', 'istio'].map(failed));
    // Five columns are wider than the side column: the table turns to a row per figure, each
    // pane's figure after the pane's name, none cut off at the column's edge; a figure the same in
    // every pane is said once.
    const layout = await page
      .getByRole('region', { name: 'Compare' })
      .locator('.summary-wrap')
      .evaluate((wrap) => {
        const edge = wrap.getBoundingClientRect().right;
        const row = (name: string) => [...wrap.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')!.textContent === name)!;
        const shown = (name: string) =>
          [...row(name).querySelectorAll('td')]
            .filter((td) => td.getClientRects().length > 0)
            .map((td) => {
              const before = getComputedStyle(td, '::before').content;
              const after = getComputedStyle(td, '::after').content;
              return `${before === 'none' ? '' : JSON.parse(before)}${td.textContent}${after === 'none' ? '' : JSON.parse(after)}`;
            });
        return {
          over: wrap.scrollWidth - wrap.clientWidth,
          past: Math.max(
            ...[...wrap.querySelectorAll('td, th')].filter((c) => c.getClientRects().length > 0).map((c) => c.getBoundingClientRect().right - edge),
          ),
          failed: shown('failed'),
          p50: shown('p50'),
        };
      });
    expect(layout.over).toBeLessThanOrEqual(0);
    expect(layout.past).toBeLessThanOrEqual(0);
    const names = ['Consul', 'Linkerd', 'Istio ambient', 'OSM (archived)', 'Istio'];
    const failedShown = ['consul', 'linkerd', 'ambient', 'osm', 'istio'].map(failed);
    expect(layout.failed).toEqual(names.map((n, i) => `${n} ${failedShown[i]}${failedShown[i] === failedShown[0] ? '' : ' ≠'}`));
    expect(new Set(['consul', 'linkerd', 'ambient', 'osm', 'istio'].map(p50)).size).toBe(1);
    expect(layout.p50).toEqual([`${p50('consul')} in every pane`]);
    expect((await appState(page)).timeMs).toBe(3000);
    expect(problems).toEqual([]);
    await page.close();

    // Six panes (a mesh twice, from a link) fill the grid: the boxes not ticked are held off.
    const six = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd,consul,istio,linkerd,consul');
    await showing(six.page, ['istio', 'linkerd', 'consul', 'istio', 'linkerd', 'consul']);
    for (const name of ['Istio ambient', 'OSM (archived)']) {
      expect(await box(six.page, name).isDisabled(), name).toBe(true);
      expect(await box(six.page, name).getAttribute('title')).toBe('Compare shows at most 6 panes: untick one first');
    }
    expect(await box(six.page, 'Istio').isChecked()).toBe(true);
    expect(six.problems).toEqual([]);
    await six.page.close();
  }, 180_000);
});
