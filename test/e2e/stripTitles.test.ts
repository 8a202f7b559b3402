/**
 * Each ztunnel strip says which Kubernetes node it runs on (issue 12, session 27's walk): where a
 * one-column node left its strip too narrow for "ztunnel on node-2" and its state chips on one
 * line, the strip read a bare "ztunnel" (certificate-rotation under ambient, both strips; the
 * README's ambient picture, node-2's). Widening the bands cost ambient-l4-mtls's compare pane its
 * fit (26edd99); the chips now go under the caption instead. Every library scenario offered under
 * Istio ambient, at its telling moment at 1280×800, under ambient and in compare — but a grid of
 * named cards (sidecar-vs-ambient-footprint), whose strips are as narrow as a card and whose bands'
 * titles name the nodes.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, inside, overlaps } from './harness.ts';
import { libraryScenarios } from '../helpers/library.ts';
import { tellingMomentMs } from '../helpers/moments.ts';
import { comparePanes, offeredMeshes } from '../../src/player/run.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const AMBIENT = libraryScenarios()
  .filter(({ scenario }) => offeredMeshes(scenario).includes('ambient'))
  .map(({ id, scenario }) => ({ id, at: tellingMomentMs(scenario), panes: comparePanes(scenario, offeredMeshes(scenario)) }));

/**
 * What is wrong with pane `pane`'s strips: a title that is not `ztunnel on <its node>`, no chip in
 * the strip, a chip on the title; and how many strips it has.
 */
async function stripProblems(page: Page, pane: number): Promise<{ strips: number; wrong: string[] }> {
  const l = (await page.evaluate((p) => window.meshSim!.layoutOnScreen(p), pane))!;
  if (l.variant.includes('/named')) return { strips: 0, wrong: [] };
  const texts = (await page.evaluate((p) => window.meshSim!.textsOnScreen(p), pane)).filter((x) => x.alpha > 0.2);
  const strips = l.boxes.filter((b) => b.role === 'node-proxy');
  const wrong: string[] = [];
  for (const b of strips) {
    const node = b.id.split('/')[0]!;
    const words = texts.filter((x) => inside(x, b, 0.5));
    const title = words.find((x) => x.text.startsWith('ztunnel'));
    if (title?.text !== `ztunnel on ${node}`) wrong.push(`${b.id} titled ${JSON.stringify(title?.text)}`);
    const chips = words.filter((x) => x !== title);
    for (const x of chips) if (title && overlaps(x, title)) wrong.push(`${b.id}: "${x.text}" on its title`);
    if (!chips.length) wrong.push(`${b.id} shows no chip`);
  }
  return { strips: strips.length, wrong };
}

describe('each ztunnel strip names its node at 1280×800', () => {
  it.each(AMBIENT.flatMap(({ id, at, panes }) => [[id, 'ambient', at] as const, ...(panes.includes('ambient') ? [[id, 'compare', at] as const] : [])]))(
    '%s under %s at %i ms',
    { timeout: 120_000 },
    async (id, mesh, at) => {
      const page = await newTab(browser, { width: 1280, height: 800 });
      await page.goto(`${site.url}?scenario=${id}&mesh=${mesh}&t=${at}`);
      await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
      await page.waitForFunction(() => (window.meshSim?.state()?.timeMs ?? -1) >= 0);
      await frames(page);
      const panes = mesh === 'compare' ? AMBIENT.find((s) => s.id === id)!.panes : ['ambient'];
      const wrong: string[] = [];
      let strips = 0;
      for (const [pane, m] of panes.entries()) {
        if (m !== 'ambient') continue;
        const found = await stripProblems(page, pane);
        strips += found.strips;
        wrong.push(...found.wrong.map((w) => `pane ${pane}: ${w}`));
      }
      await page.close();
      if (id !== 'sidecar-vs-ambient-footprint') expect(strips).toBeGreaterThan(0);
      expect(wrong).toEqual([]);
    },
  );
});
