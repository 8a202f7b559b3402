/**
 * The inspector's statecharts (issue 12): no state's name is cut by its box. The TLS connection
 * machine's "serverAuthenticated" overran the fixed 104 px boxes.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openApp } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

describe('the statechart', () => {
  it('keeps every state name inside its box, serverAuthenticated too (mtls-handshake, productpage-0 proxy)', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=mtls-handshake&mesh=istio&t=600');
    const canvas = (await page.getByRole('application').first().boundingBox())!;
    const at = (await page.evaluate(() => window.meshSim!.nodeOnScreen('productpage-0/proxy')))!;
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector.locator('.components button').first().waitFor();
    const entities = await inspector.locator('.components button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-entity')!));
    expect(entities.some((e) => e.startsWith('conn:'))).toBe(true);
    const labels = new Set<string>();
    for (const entity of entities) {
      await inspector.locator(`.components button[data-entity="${entity}"]`).click();
      await page.waitForFunction(
        (e) => document.querySelector(`.inspector .components button[data-entity="${CSS.escape(e)}"]`)?.getAttribute('aria-pressed') === 'true',
        entity,
      );
      // The drawing's script loads the first time one is shown (inspector.ts).
      await inspector.locator('svg.statechart').waitFor();
      const states = await inspector.locator('svg.statechart g.state').evaluateAll((gs) =>
        gs.map((g) => {
          const box = (g.querySelector('rect') as SVGRectElement).getBBox();
          const text = (g.querySelector('text') as SVGTextElement).getBBox();
          return { label: g.querySelector('text')!.textContent!, overrun: text.x + text.width - (box.x + box.width) };
        }),
      );
      expect(states.length, entity).toBeGreaterThan(0);
      // Drawn at its own size, not shrunk to the panel (its 11 px names would be 8 px): it scrolls instead.
      const scale = await inspector.locator('svg.statechart').evaluate((s) => s.getBoundingClientRect().width / Number(s.getAttribute('width')));
      expect(scale, entity).toBeCloseTo(1, 2);
      for (const s of states) {
        labels.add(s.label);
        // The text ends at least 2 px inside its box's right edge.
        expect(s.overrun, `${entity}: ${s.label}`).toBeLessThanOrEqual(-2);
      }
    }
    expect(labels.has('serverAuthenticated')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
