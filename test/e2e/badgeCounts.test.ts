/**
 * Badges in a list with a count (issue 12): a box's alike badges are one row "… ×N", not N rows.
 * The badges current at the page's moment are read from a Player of the same run in the test
 * (the same trace, at the page's time and step), counted per pod, and compared with the rows the
 * page draws (window.meshSim.badgesOnScreen).
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { pagePlayer } from '../helpers/pagePlayer.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, openApp, PICTURE_WINDOW } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** A row's words without its symbol ("✕ got 500 ×3" → "got 500 ×3"). */
const words = (row: string): string => row.slice(row.indexOf(' ') + 1);

describe('badge lists with a count', () => {
  it.each([
    ['config-push', 'linkerd', 2000],
    ['circuit-breaking-pool', 'istio', 1500],
  ] as const)('%s under %s at %i ms: each pod’s alike badges drawn as one row with their number', async (id, mesh, t) => {
    const { page, problems } = await openApp(browser, site, `?scenario=${id}&mesh=${mesh}&t=${t}`, { viewport: PICTURE_WINDOW });
    await frames(page);
    const at = await appState(page);
    const { rows, cards } = await page.evaluate(() => ({
      rows: window.meshSim!.badgesOnScreen().map((b) => b.text),
      cards: window.meshSim!.layoutOnScreen()!.cards,
    }));

    // The same run, at the page's moment.
    const { player } = pagePlayer(id, [mesh], at);
    // Per pod's card (a lone box: by itself), how many of each badge.
    const lists = new Map<string, Map<string, { text: string; n: number }>>();
    for (const b of player.view().badges) {
      const pod = b.node.split('/')[0]!;
      const list = cards.find((c) => c.members.includes(pod))?.key ?? b.node;
      const counts = lists.get(list) ?? lists.set(list, new Map()).get(list)!;
      const alike = counts.get(`${b.kind}:${b.text}`) ?? counts.set(`${b.kind}:${b.text}`, { text: b.text, n: 0 }).get(`${b.kind}:${b.text}`)!;
      alike.n++;
    }
    // Few enough kinds per list that every row is shown (no "+N more"), and some badge repeated.
    for (const [list, counts] of lists) expect(counts.size, list).toBeLessThanOrEqual(3);
    const expected = [...lists.values()].flatMap((counts) => [...counts.values()].map(({ text, n }) => (n > 1 ? `${text} ×${n}` : text)));
    expect(expected.some((r) => / ×\d+$/.test(r))).toBe(true);

    expect(rows.map(words).sort()).toEqual(expected.sort());
    expect(problems).toEqual([]);
    await page.close();
  });
});
