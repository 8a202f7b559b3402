/**
 * A short link's rate shows (issue 12, session 28's walk): in retry-storm at 2 s — db's fault just
 * begun, the lesson the load multiplying hop by hop — the chain's links web-0→api-0 and
 * api-0→orders-0 had no tag under any mesh: the packets standing at both ends of a short level link
 * (tagSpots.ts packetEnds) left room for the words only at the line's middle, between two of the
 * spots tried along it. Each tag is nearer its own line than any other link's; the rates expected
 * come from the scenario file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { parse } from 'yaml';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openPicture } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

type Pt = { x: number; y: number };
type Drawn = { from: string; to: string; width: number; points: Pt[]; tag: { text: string; x: number; y: number; w: number; h: number } | null };

const pod = (node: string): string => node.split('/')[0]!;
/** The rate a tag reads ("10/s · 50%" → 10), or null. */
const rate = (text: string): number | null => {
  const m = /(\d+(?:\.\d+)?)\/s/.exec(text);
  return m ? Number(m[1]) : null;
};
/** How far `p` is from the line through `points`. */
function distance(points: readonly Pt[], p: Pt): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const len = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
    const f = len ? Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len)) : 0;
    best = Math.min(best, Math.hypot(a.x + f * (b.x - a.x) - p.x, a.y + f * (b.y - a.y) - p.y));
  }
  return best;
}
/** Links of `mine` whose tag's middle is nearer another drawn link's line (of `links`) than its own. */
const offOwn = (links: readonly Drawn[], mine: readonly Drawn[]): string[] =>
  mine.flatMap((l) => {
    if (!l.tag) return [];
    const c = { x: l.tag.x + l.tag.w / 2, y: l.tag.y + l.tag.h / 2 };
    const own = distance(l.points, c);
    const nearer = links.filter((o) => o !== l && o.width > 0 && !(o.tag && o.tag.x === l.tag!.x && o.tag.y === l.tag!.y) && distance(o.points, c) < own);
    return nearer.length ? [`${l.from}>${l.to} "${l.tag.text}" nearer ${nearer.map((o) => `${o.from}>${o.to}`).join(', ')}`] : [];
  });

async function drawn(query: string, pane: number): Promise<{ links: Drawn[]; problems: string[] }> {
  const { page, problems } = await openPicture(browser, site, query);
  const links = await page.evaluate((p) => window.meshSim!.linksOnScreen(p), pane);
  await page.close();
  return { links, problems };
}

describe("a short link's rate shows, by its own line", () => {
  // web's rate to api, from the scenario file: every hop of the chain carries it before the retries start.
  const file = parse(readFileSync('scenarios/retry-storm.yaml', 'utf8')) as { traffic: { from: string; to: string; rate: string }[] };
  const sent = Number.parseFloat(file.traffic.find((t) => t.from === 'web' && t.to === 'api')!.rate);
  for (const [query, pane] of [
    ['?scenario=retry-storm&mesh=istio&t=2000', 0],
    ['?scenario=retry-storm&mesh=linkerd&t=2000', 0],
    ['?scenario=retry-storm&mesh=consul&t=2000', 0],
    ['?scenario=retry-storm&mesh=compare&t=2000', 0],
    ['?scenario=retry-storm&mesh=compare&t=2000', 1],
  ] as const)
    it(`${query}, pane ${pane}: each hop of the chain reads web's ${sent}/s`, { timeout: 180_000 }, async () => {
      const { links, problems } = await drawn(query, pane);
      const hop = (from: string, to: string): Drawn[] => links.filter((l) => pod(l.from) === from && pod(l.to).startsWith(to) && l.width > 0);
      for (const [from, to] of [
        ['web-0', 'api-'],
        ['api-0', 'orders-'],
        ['orders-0', 'db-'],
      ] as const) {
        const ls = hop(from, to);
        const show = ls.map((l) => `${l.from}>${l.to}: ${l.tag ? `"${l.tag.text}"` : 'no tag'}`).join('; ');
        expect(ls.length, `${from}→${to}`).toBeGreaterThan(0);
        expect(
          ls.every((l) => l.tag && rate(l.tag.text) !== null),
          show,
        ).toBe(true);
        expect(
          ls.reduce((n, l) => n + rate(l.tag!.text)!, 0),
          show,
        ).toBeCloseTo(sent, 5);
      }
      // The two hops that were left out (orders-0's two links to db share their first stretch, where either's tag is as near the other's line).
      expect(offOwn(links, [...hop('web-0', 'api-'), ...hop('api-0', 'orders-')])).toEqual([]);
      expect(problems).toEqual([]);
    });
});
