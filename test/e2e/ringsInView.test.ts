/**
 * A compare pane shows the current step's rings whole (issue 12: a learner must see the state on
 * the picture): a box in view at a pane's edge keeps its ring in view too. Session 22's walk:
 * egress-control in compare at 3 s, api.partner.com flush with Istio's pane's right edge, its ring
 * cut; ingress-gateway in compare at 1.9 s, the browser's ring at the left edge. Every library
 * scenario offered under two meshes or more, at its telling moment and the five steps after it.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { inside, stepForward, type Rect } from './harness.ts';
import { compareLibrary } from '../helpers/library.ts';
import { tellingMomentMs } from '../helpers/moments.ts';
import { libraryTab } from './libraryTab.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** Each library scenario's test shows it in one compare tab, the first by link, the next picked from the list. */
const library = libraryTab(() => ({ browser, site }));

const LIBRARY = compareLibrary().map(({ id, scenario, panes }) => ({ id, panes: panes.length, at: tellingMomentMs(scenario) }));

/** The step's rings cut by their pane's edge, though their boxes are in view: "pane N: node (ring x,y w×h in w×h)". */
async function cutRings(page: Page, panes: number): Promise<string[]> {
  const out: string[] = [];
  for (let pane = 0; pane < panes; pane++) {
    const canvas = (await page.locator(`[data-testid=${pane === 0 ? 'stage' : `stage-${pane + 1}`}] canvas`).boundingBox())!;
    const view: Rect = { x: 0, y: 0, w: canvas.width, h: canvas.height };
    for (const b of await page.evaluate((p) => window.meshSim!.stepOnScreen(p), pane))
      if (inside(b, view, 0) && !inside(b.ring, view, 0.5))
        out.push(
          `pane ${pane}: ${b.id} (ring ${b.ring.x.toFixed(1)},${b.ring.y.toFixed(1)} ${b.ring.w.toFixed(1)}×${b.ring.h.toFixed(1)} in ${view.w}×${view.h})`,
        );
  }
  return out;
}

describe('compare mode at 1280×800', () => {
  it.each(LIBRARY.map((s) => [s.id, s.panes, s.at] as const))(
    "%s: each step's ring is whole in its pane where its box is in view",
    { timeout: 180_000 },
    async (id, panes, at) => {
      const page = await library.show(id, 'compare', at, panes);
      const cut: string[] = [];
      let rings = 0;
      for (let i = 0; i <= 5; i++) {
        if (i > 0) await stepForward(page, { key: i > 1 });
        for (let pane = 0; pane < panes; pane++) rings += (await page.evaluate((p) => window.meshSim!.stepOnScreen(p), pane)).length;
        cut.push(...(await cutRings(page, panes)).map((c) => `step +${i} ${c}`));
      }
      expect(rings).toBeGreaterThan(0);
      expect(cut).toEqual([]);
    },
  );
});
