/**
 * The narration panel holds its text (issue 12, found looking at every picture): beside the
 * picture it keeps one height, and where the lines current at a moment need more it shows them
 * shorter — each shortened row ends in "…", carries its whole text as its tooltip and opens whole
 * on a click — instead of cutting them at its bottom edge. In compare mode a line both panes
 * narrate alike is shown once, naming both meshes. Read at 1280×800, the size the review used.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, openPicture } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** The panel's box, what it holds, and each row (line or step) with what it shows and whether it is shortened. */
const panel = (page: Page) =>
  page.evaluate(() => {
    const n = document.querySelector<HTMLElement>('.narration')!;
    const r = n.getBoundingClientRect();
    const canvas = document.querySelector<HTMLElement>('[data-testid=stage] canvas')!.getBoundingClientRect();
    return {
      clientHeight: n.clientHeight,
      scrollHeight: n.scrollHeight,
      top: r.top,
      bottom: r.bottom,
      pictureBottom: canvas.bottom,
      windowHeight: innerHeight,
      rows: [...n.querySelectorAll<HTMLElement>('.narration-text, .narration-past, .step-text')].map((e) => ({
        text: e.innerText,
        title: e.title,
        // A row shows all of itself when nothing of it is clipped.
        whole: e.scrollHeight <= e.clientHeight + 1,
        brief: e.classList.contains('narration-brief'),
      })),
    };
  });

async function pressN(page: Page): Promise<void> {
  const before = await page.evaluate(() => window.meshSim!.state()!.stepIndex);
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.keyboard.press('n');
  await page.waitForFunction((i) => window.meshSim!.state()!.stepIndex !== i, before);
  await frames(page);
}

describe('the narration panel holds its text', () => {
  for (const [query, presses] of [
    // Two opening lines of nine rows in all (192 px in a 104 px panel on main).
    ['?scenario=circuit-breaking-pool&mesh=istio', 2],
    // One opening line of six rows: the latest line alone is too long.
    ['?scenario=nsm-network-service&mesh=nsm', 1],
    ['?scenario=circuit-breaking-pool&mesh=compare', 2],
  ] as const)
    it(`${query} at its ${presses === 1 ? 'first line' : `first ${presses} lines`}: every row whole or shortened with its whole text as tooltip, nothing cut, below the picture`, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      for (let i = 0; i < presses; i++) await pressN(page);
      const p = await panel(page);
      await page.screenshot({ path: `/tmp/narration-panel-${query.replace(/\W+/g, '-')}.png` });
      expect(p.rows.length).toBeGreaterThan(1);
      // Nothing past the panel's box: no row reaches below its bottom edge.
      expect(p.scrollHeight).toBeLessThanOrEqual(p.clientHeight + 1);
      // Each row shows all of itself, or is a shortened row whose tooltip is its whole text.
      for (const r of p.rows) {
        if (r.whole) continue;
        expect(r.brief).toBe(true);
        expect(r.title.replace(/\s+/g, ' ')).toContain(r.text.replace(/\s+/g, ' ').replace(/…$/, '').slice(0, 40));
      }
      // The panel stays below the picture and inside the window: it covers none of the picture's nodes.
      expect(p.top).toBeGreaterThanOrEqual(p.pictureBottom);
      expect(p.bottom).toBeLessThanOrEqual(p.windowHeight);
      // A shortened row opens whole on a click (the panel then scrolls).
      const shortened = (await page.$$('.narration .narration-brief')).at(-1);
      if (shortened) {
        await shortened.click();
        expect(await shortened.evaluate((e) => e.scrollHeight <= e.clientHeight + 1)).toBe(true);
      }
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe('compare mode', () => {
  it("retries-flaky-pod, Istio and Linkerd: the opening line both narrate is shown once, naming both, and Istio's own line under its name", async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd');
    const lines = (): Promise<string[]> => page.locator('.narration .narration-text').allInnerTexts();
    // On until Linkerd's pane narrates it too (its steps at 0 s come after Istio's first ones).
    const linkerdToo = (): boolean =>
      [...document.querySelectorAll<HTMLElement>('.narration .narration-text')].some((e) => /Linkerd: productpage calls reviews 20/.test(e.innerText));
    for (let i = 0; i < 6 && !(await page.evaluate(linkerdToo)); i++) {
      await pressN(page);
      await page.waitForFunction(linkerdToo, undefined, { timeout: 3000 }).catch(() => {});
    }
    const now = await lines();
    await page.screenshot({ path: '/tmp/narration-panel-compare-shared.png' });
    // Both panes narrate "productpage calls reviews 20 times a second…" at 0 s: once, naming both.
    expect(now.filter((l) => /productpage calls reviews 20 times a second/.test(l))).toEqual([
      expect.stringMatching(/^Istio and Linkerd: productpage calls reviews 20 times a second/),
    ]);
    // Each mesh's own opening line, under its own name.
    expect(now.some((l) => /^Istio: No VirtualService sets retries/.test(l))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
