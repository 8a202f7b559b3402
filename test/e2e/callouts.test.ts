/**
 * Narration callouts cover nothing written on the picture (issue 12): at moments where they used
 * to — compare panes, where every spot beside a node covers a title, a chip or a badge; the
 * README's screenshot step — each callout is measured against every label drawn in its pane
 * (box captions, titles, chips, badges, link tags), as a learner reads them.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, openApp, overlaps } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** The labels each callout of pane `pane` covers, as `callout text → label`. */
async function covered(page: Page, pane: number): Promise<{ callouts: number; covered: string[] }> {
  const { callouts, texts } = await page.evaluate((p) => ({ callouts: window.meshSim!.calloutsOnScreen(p), texts: window.meshSim!.textsOnScreen(p) }), pane);
  const out: string[] = [];
  for (const c of callouts) for (const t of texts) if (t.alpha > 0.2 && overlaps(c, t, 0.5)) out.push(`${c.text.slice(0, 30)}… covers "${t.text}"`);
  return { callouts: callouts.length, covered: out };
}

const MOMENTS: { query: string; panes: number }[] = [
  // The README's screenshot step: the operator's line beside istiod, "× got 503" on productpage.
  { query: '?scenario=retries-flaky-pod&mesh=istio&t=5232', panes: 1 },
  { query: '?scenario=canary-split&mesh=compare&with=istio,linkerd&t=5000', panes: 2 },
  { query: '?scenario=certificate-rotation&mesh=compare&with=istio,linkerd&t=64800000', panes: 2 },
  { query: '?scenario=ambient-policy-closes-connections&mesh=compare&with=istio,ambient&t=3500', panes: 2 },
  { query: '?scenario=canary-split&mesh=osm&t=5000', panes: 1 },
];

describe('narration callouts cover no label', () => {
  for (const { query, panes } of MOMENTS)
    it(query, async () => {
      const { page, problems } = await openApp(browser, site, query);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.waitForFunction((n) => [...Array(n).keys()].every((p) => window.meshSim!.calloutsOnScreen(p).length > 0), panes);
      await frames(page);
      for (let p = 0; p < panes; p++) {
        const { callouts, covered: hits } = await covered(page, p);
        expect(callouts).toBeGreaterThan(0);
        expect(hits, `pane ${p}`).toEqual([]);
      }
      expect(problems).toEqual([]);
      await page.close();
    });
});
