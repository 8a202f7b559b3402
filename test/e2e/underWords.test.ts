/**
 * Nothing shows through words drawn over the picture (issue 12, session 20's walk): a badge list
 * fading with age let the lock of the link under it show through ("✕ ⚡" over a lock in
 * ambient-waypoint-l7's Istio pane at 1.4 s; "⚡ fault" in retry-storm's Linkerd pane at 3 s).
 * Measured from the screenshot, where the page's *OnScreen queries say a list lies over a lock or
 * a packet.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, overlaps, screenshotPixels, stageShot, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** The page at `query` (compare mode: two runs), drawn at 1280×800, optionally with reduced motion. */
async function open(query: string, reducedMotion = false): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (reducedMotion) await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(site.url + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  await page.waitForFunction(() => (window.meshSim?.state()?.timeMs ?? -1) >= 0, undefined, { timeout: 90_000 });
  await frames(page);
  return page;
}

const stageOf = (pane: number): string => (pane === 0 ? 'stage' : `stage-${pane + 1}`);

/** The link locks and packets (pane 0 only: the page reports its packets) of pane `pane`, as boxes on screen. */
async function locksAndPackets(page: Page, pane: number): Promise<(Rect & { what: string })[]> {
  const { links, packets } = await page.evaluate(
    (p) => ({ links: window.meshSim!.linksOnScreen(p), packets: p === 0 ? window.meshSim!.packetsOnScreen() : [] }),
    pane,
  );
  return [
    ...links.flatMap((l) => (l.lock ? [{ what: `the lock on ${l.from} → ${l.to}`, ...l.lock }] : [])),
    ...packets.map((p) => ({ what: `packet "${p.label}"`, x: p.x - 7, y: p.y - 7, w: 14, h: 14 })),
  ];
}

/**
 * The pixels inside box `r` (in from its edges by `dx`, `dy`: its frame's line and rounded corners
 * left out) that are not grey: words in the text colour on a white plate are grey (red, green and
 * blue within 4 of each other); anything of what lies under it, seen through, is not.
 */
function colouredInside(shot: { width: number; data: number[] }, r: Rect, dx: number, dy: number): number {
  let n = 0;
  for (let y = Math.ceil(r.y + dy); y < Math.floor(r.y + r.h - dy); y++)
    for (let x = Math.ceil(r.x + dx); x < Math.floor(r.x + r.w - dx); x++) {
      const i = (y * shot.width + x) * 4;
      const [red, green, blue] = [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!];
      if (Math.max(red, green, blue) - Math.min(red, green, blue) > 4) n++;
    }
  return n;
}

describe('a badge list hides what lies under it, faded or not', () => {
  for (const [query, pane, reducedMotion] of [
    ['?scenario=ambient-waypoint-l7&mesh=compare&t=1400', 0, false],
    ['?scenario=ambient-waypoint-l7&mesh=compare&t=1900', 0, false],
    ['?scenario=retry-storm&mesh=compare&t=3000', 1, false],
    ['?scenario=retry-storm&mesh=compare&t=3000', 1, true],
  ] as const)
    it(`${query}, pane ${pane}${reducedMotion ? ', reduced motion' : ''}`, { timeout: 180_000 }, async () => {
      const page = await open(query, reducedMotion);
      const badges = await page.evaluate((p) => window.meshSim!.badgesOnScreen(p), pane);
      const under = await locksAndPackets(page, pane);
      // The moment is one the walk saw: a list lies over a lock or a packet.
      const over = badges.filter((b) => under.some((u) => overlaps(b, u, 1)));
      expect(over.length).toBeGreaterThanOrEqual(1);
      const shot = await screenshotPixels(page, await stageShot(page, stageOf(pane)));
      const seen = badges.flatMap((b) => {
        const n = colouredInside(shot, b, 8, 4);
        return n ? [`"${b.text}" at ${Math.round(b.x)},${Math.round(b.y)}: ${n} coloured px inside`] : [];
      });
      expect(seen).toEqual([]);
      await page.close();
    });
});
