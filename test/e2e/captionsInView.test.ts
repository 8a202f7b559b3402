/**
 * A packet's caption stays on the canvas (issue 12, "labels avoid titles and each other"): a
 * caption drawn past the drawing's edge is cut by the canvas, or not seen at all. Measured from the
 * words the page draws (window.meshSim.textsOnScreen) against the canvas's own box.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { inside, openPicture, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const show = (r: Rect & { text?: string }): string => `"${r.text ?? ''}" at ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.w)}×${Math.round(r.h)}`;

describe("a packet's caption stays on the canvas", () => {
  // Linkerd's discovery request names its whole resource ("Get + GetProfile reviews.default.svc…:80").
  for (const [query, why] of [
    // It starts at productpage's sidecar, at the drawing's left edge.
    ['?scenario=ambient-l4-mtls&mesh=linkerd&t=2000', 'at the left edge'],
    // It starts at productpage's sidecar, the drawing's lowest box: below it, the caption was
    // drawn past the cluster's frame and the canvas cut it after its first line (session 22's walk).
    ['?scenario=hello-mesh&mesh=linkerd&t=1000', 'at the bottom edge'],
  ] as const)
    it(`${query} (${why})`, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      const { texts, canvas } = await page.evaluate(() => {
        const c = document.querySelector('[data-testid=stage] canvas')!.getBoundingClientRect();
        return { texts: window.meshSim!.textsOnScreen(), canvas: { x: 0, y: 0, w: c.width, h: c.height } };
      });
      const caption = texts.find((t) => t.text.startsWith('Get + GetProfile'));
      expect(caption, 'the discovery packet is the current step').toBeDefined();
      expect(inside(caption!, canvas, 0), show(caption!)).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    });
});
