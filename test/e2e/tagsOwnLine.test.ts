/**
 * A link's tag a learner can attribute to its line (issue 12, session 24's walk): in
 * sidecar-vs-ambient-footprint under ambient at 2.5 s a column of five rates ("10/s", "4/s", …)
 * stood left of node-1, outside the cluster's frame, beside parallel lines no one could tell apart,
 * and in compare the ambient pane cut the leftmost at its edge. Each tag lies inside its pane and
 * inside the frames around both its line's ends (the cluster, a node's or namespace's band), and no
 * other link's line runs under it.
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

const inside = (r: Rect, f: Rect): boolean => r.x >= f.x - 0.5 && r.y >= f.y - 0.5 && r.x + r.w <= f.x + f.w + 0.5 && r.y + r.h <= f.y + f.h + 0.5;

/** How long the line through `points` runs inside `r` (sampled every 1/40 of each stretch). */
function runInside(r: Rect, points: readonly { x: number; y: number }[]): number {
  let n = 0;
  for (let k = 1; k < points.length; k++) {
    const p = points[k - 1]!;
    const q = points[k]!;
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    for (let i = 0; i < 40; i++) {
      const x = p.x + ((q.x - p.x) * (i + 0.5)) / 40;
      const y = p.y + ((q.y - p.y) * (i + 0.5)) / 40;
      if (x > r.x && x < r.x + r.w && y > r.y && y < r.y + r.h) n += len / 40;
    }
  }
  return n;
}

describe("each link's tag reads as its own line's: inside its pane and its line's frames, over no other line", () => {
  for (const [query, pane] of [
    ['?scenario=sidecar-vs-ambient-footprint&mesh=ambient&t=2500', 0],
    ['?scenario=sidecar-vs-ambient-footprint&mesh=compare&t=2500', 0],
    ['?scenario=sidecar-vs-ambient-footprint&mesh=compare&t=2500', 1],
    ['?scenario=sidecar-vs-ambient-footprint&mesh=linkerd&t=2500', 0],
  ] as const)
    it(`${query}, pane ${pane}`, { timeout: 180_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      const { links, layout, canvas } = await page.evaluate((p) => {
        const c = document.querySelectorAll('canvas')[p]!.getBoundingClientRect();
        return { links: window.meshSim!.linksOnScreen(p), layout: window.meshSim!.layoutOnScreen(p)!, canvas: { x: 0, y: 0, w: c.width, h: c.height } };
      }, pane);
      const boxes = new Map(layout.boxes.map((b) => [b.id, b]));
      const frames = [layout.cluster, ...layout.bands];
      const tagged = links.filter((l) => l.tag);
      expect(tagged.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const l of tagged) {
        const t = l.tag!;
        const name = `${l.from}>${l.to} "${t.text}" at ${Math.round(t.x)},${Math.round(t.y)}`;
        if (!inside(t, canvas)) wrong.push(`${name}: outside the pane`);
        const a = boxes.get(l.from);
        const b = boxes.get(l.to);
        for (const f of frames) if (a && b && inside(a, f) && inside(b, f) && !inside(t, f)) wrong.push(`${name}: outside a frame around its line`);
        // Another link's line under the plate (a pixel in from its edge): which line is it on?
        const plate = { x: t.x + 1, y: t.y + 1, w: t.w - 2, h: t.h - 2 };
        const sharing = (o: (typeof links)[number]): boolean => o.tag !== null && o.tag.x === t.x && o.tag.y === t.y;
        const under = links.filter((o) => o !== l && !sharing(o) && o.width > 0 && runInside(plate, o.points) > 1);
        if (under.length) wrong.push(`${name}: over ${under.map((o) => `${o.from}>${o.to}`).join(', ')}`);
      }
      expect(wrong).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});
