/**
 * Where a link between two pods ends (issue 12): packets arrive at a line's end and stand there, so
 * an end under a pod card's title hides the pod's name. config-push at 2.4 s: frontend's replicas
 * call reviews-v2-0 two rows below; the line aimed at the sidecar's centre reached its top edge right
 * under "reviews-v2-0", and the arriving packets stood on it. Each end of a line between two
 * sidecars now keeps a packet's width off every pod title. Measured from what the page draws.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openPicture, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** How far point `p` is from rectangle `r` (0 inside). */
const distance = (p: { x: number; y: number }, r: Rect): number => Math.hypot(Math.max(r.x - p.x, 0, p.x - r.x - r.w), Math.max(r.y - p.y, 0, p.y - r.y - r.h));

describe('a line between two pods ends off the pod titles', () => {
  for (const mesh of ['istio', 'linkerd'])
    it(`config-push under ${mesh} at 2.4 s`, async () => {
      const { page, problems } = await openPicture(browser, site, `?scenario=config-push&mesh=${mesh}&t=2400`);
      const { links, texts, layout } = await page.evaluate(() => ({
        links: window.meshSim!.linksOnScreen(),
        texts: window.meshSim!.textsOnScreen(),
        layout: window.meshSim!.layoutOnScreen()!,
      }));
      const titles = texts.filter((t) => layout.cards.some((c) => c.key === t.text));
      expect(titles.map((t) => t.text)).toContain('reviews-v2-0');
      const proxies = new Set(layout.boxes.filter((b) => b.role === 'sidecar').map((b) => b.id));
      const between = links.filter((l) => proxies.has(l.from) && proxies.has(l.to));
      expect(between.filter((l) => l.to === 'reviews-v2-0/proxy')).toHaveLength(2);
      // A packet arriving stands on the end: half its width (about 8 px on screen here) misses every title.
      const half = 8;
      const hits = between.flatMap((l) =>
        [l.a, l.b].flatMap((p) =>
          titles.filter((t) => distance(p, t) < half).map((t) => `${l.from} → ${l.to} ends ${distance(p, t).toFixed(1)} px from "${t.text}"`),
        ),
      );
      expect(hits).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});
