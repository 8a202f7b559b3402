/**
 * "More this way" (issue 12, readable at any size): a picture too big to show whole at the 11 px
 * text floor opens readable, framed from its top left or following the current step, and the
 * rest is a pan away — ingress-gateway's compare panes at 1280×800, the page's picture in a small
 * window. The control plane cut at the canvas's top (ingress-gateway under Linkerd, osm-permissive
 * under OSM in session 14's walkthrough) left no cue that anything was there. Each edge the
 * picture goes on past shows a "more" tab, and only such an edge: a picture shown whole has none.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

async function open(query: string, width: number, height: number): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.goto(site.url + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  await page.waitForFunction(() => window.meshSim!.layoutOnScreen() !== null);
  await frames(page);
  return { page, problems };
}

/** The edges of pane `pane`'s canvas some box or card goes past (by more than 6 px), and the tabs shown, by their words. */
async function edges(page: Page, pane: number): Promise<{ cut: string[]; tabs: string[] }> {
  const canvas = (await page.locator(`[data-testid=${pane === 0 ? 'stage' : `stage-${pane + 1}`}] canvas`).boundingBox())!;
  const l = (await page.evaluate((p) => window.meshSim!.layoutOnScreen(p), pane))!;
  const all: Rect[] = [...l.boxes, ...l.cards, l.cluster];
  const cut = new Set<string>();
  for (const r of all) {
    if (r.y < -6) cut.add('top');
    if (r.y + r.h > canvas.height + 6) cut.add('bottom');
    if (r.x < -6) cut.add('left');
    if (r.x + r.w > canvas.width + 6) cut.add('right');
  }
  const side = (text: string): string => ({ '▴ more': 'top', '▾ more': 'bottom', '◂ more': 'left', 'more ▸': 'right' })[text] ?? text;
  // Each tab inside the canvas, at the edge it names.
  for (const t of l.more) {
    expect(t.x >= -1 && t.y >= -1 && t.x + t.w <= canvas.width + 1 && t.y + t.h <= canvas.height + 1, `${t.text} at ${t.x},${t.y}`).toBe(true);
    const s = side(t.text);
    const at = { top: t.y < 1, bottom: t.y + t.h > canvas.height - 1, left: t.x < 1, right: t.x + t.w > canvas.width - 1 }[s as 'top'];
    expect(at, `${t.text} at ${t.x},${t.y}`).toBe(true);
  }
  return { cut: [...cut].sort(), tabs: l.more.map((t) => side(t.text)).sort() };
}

describe('a "more" tab at each edge the picture goes on past', () => {
  it('ingress-gateway in compare at 1280×800, 1.8 s: each pane, cut at its right and bottom, says so there', { timeout: 120_000 }, async () => {
    const { page, problems } = await open('?scenario=ingress-gateway&mesh=compare&t=1800', 1280, 800);
    await page.waitForFunction(() => window.meshSim?.state()?.meshes.length === 2 && window.meshSim.layoutOnScreen(1) !== null);
    await frames(page);
    for (const pane of [0, 1]) {
      const { cut, tabs } = await edges(page, pane);
      expect(cut.length, `pane ${pane}`).toBeGreaterThanOrEqual(1);
      expect(tabs, `pane ${pane}`).toEqual(cut);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each([
    ['ingress-gateway', 'linkerd', 1800],
    ['osm-permissive-vs-smi', 'osm', 3400],
  ] as const)('%s under %s at %i ms, 1280×800: whole, the control plane inside the canvas, no tab', { timeout: 120_000 }, async (id, mesh, t) => {
    const { page, problems } = await open(`?scenario=${id}&mesh=${mesh}&t=${t}`, 1280, 800);
    expect(await edges(page, 0)).toEqual({ cut: [], tabs: [] });
    const cp = (await page.evaluate(() => window.meshSim!.controlPlaneOnScreen()))!;
    expect(cp.y).toBeGreaterThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('ingress-gateway under Linkerd in a 900×520 window: cut, a tab at each cut edge', { timeout: 120_000 }, async () => {
    const { page, problems } = await open('?scenario=ingress-gateway&mesh=linkerd&t=1800', 900, 520);
    const { cut, tabs } = await edges(page, 0);
    expect(cut.length).toBeGreaterThanOrEqual(1);
    expect(tabs).toEqual(cut);
    expect(problems).toEqual([]);
    await page.close();
  });
});
