/**
 * Text textures across a mesh switch (issue 11, the mesh switch): pixi draws a label's words into a
 * canvas texture (fillText), keyed by its words, its style object and its resolution, and shares one
 * texture among labels with the same key. Labels of the same style share one style object
 * (src/render/text.ts), and a new layout's layers are built before the previous one's are destroyed
 * (MeshView.build), so a switch draws only words it did not show before — the titles both meshes
 * write keep their textures — and a layout's repeated words are drawn once.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { frames } from './harness.ts';
import { siteAndBrowser } from './siteAndBrowser.ts';
import { newTab } from './tabs.ts';

const e2e = siteAndBrowser();

/** Counts the words canvas 2D contexts fill from now on (window.filled). */
async function countFills(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { filled: string[] };
    w.filled = [];
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
      w.filled.push(String(text));
      return maxWidth === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, maxWidth);
    };
  });
}

/** The app at `query`, counting fills from its start, once its picture is drawn. */
async function open(query: string): Promise<Page> {
  const page = await newTab(e2e.browser, { width: 1400, height: 860 });
  await countFills(page);
  await page.goto(e2e.site.url + query);
  await page.waitForSelector('body[data-ready=true]');
  await frames(page);
  return page;
}

const filled = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { filled: string[] }).filled.splice(0));
const words = (page: Page): Promise<string[]> => page.evaluate(() => window.meshSim!.textsOnScreen().map((t) => t.text));

describe('text textures', () => {
  it('a mesh switch draws again none of the still words both meshes show, only new ones', async () => {
    const app = await open('?scenario=certificate-rotation&mesh=linkerd');
    const before = await words(app);
    await filled(app);
    await app.getByRole('button', { name: 'Istio', exact: true }).click();
    await app.waitForFunction(() => window.meshSim?.state()?.mesh === 'istio');
    await frames(app);
    const drawn = await filled(app);
    const after = await words(app);
    const titles = ['Kubernetes cluster', 'namespace default', 'service web', 'service api', 'web-0', 'api-0', 'app', 'sidecar'];
    // Shown under both meshes, in the same style: their textures are kept.
    for (const title of titles) {
      expect(before, title).toContain(title);
      expect(after, title).toContain(title);
    }
    expect(drawn.filter((w) => titles.includes(w))).toEqual([]);
    // What only Istio shows is drawn.
    expect(after).toContain('istiod');
    expect(before).not.toContain('istiod');
    expect(drawn).toContain('istiod');
    await app.close();
  });

  it("draws a layout's repeated words once", async () => {
    const page = await open('?scenario=certificate-rotation&mesh=istio');
    const shown = (await words(page)).filter((w) => w === 'sidecar').length;
    expect(shown).toBeGreaterThanOrEqual(2);
    expect((await filled(page)).filter((w) => w === 'sidecar')).toEqual(['sidecar']);
    await page.close();
  });
});
