/**
 * A badge list sits at its own pod (issue 12, "state on screen"): in config-push, reviews-1's
 * "✕ 500 ×4 / ⚡ fault ×4" was drawn below its card beside the title "service reviews-v2", and read
 * as the new version failing. Each pod's list, as the page draws it, must be nearer its own card
 * than any other pod's card, and 8 px nearer than any other service's title (a list level with a
 * title, a few px further from it than from its card, still reads as that service's). Which rows are whose is read from a
 * Player of the same run in the test (the same trace, at the page's step): the rows of a list
 * whose words no other pod's list has.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pagePlayer } from '../helpers/pagePlayer.ts';
import { badgeForms, type BadgeRow } from '../../src/render/badgeForms.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, overlaps, type Rect } from './harness.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** The page opened straight at 1280×800, as the screenshots of every picture were taken (test/e2e/lookShots.ts). */
async function openAt1280(query: string): Promise<{ page: Page; problems: string[] }> {
  const page = await newTab(browser, { width: 1280, height: 800 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(site.url + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: 55_000 });
  await page.waitForFunction(() => window.meshSim!.layoutOnScreen() !== null);
  await frames(page);
  return { page, problems };
}

/** The room between two boxes (0 when they touch or overlap). */
const gap = (a: Rect, b: Rect): number => Math.hypot(Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w)), Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h)));

const union = (rs: readonly Rect[]): Rect => {
  const x = Math.min(...rs.map((r) => r.x));
  const y = Math.min(...rs.map((r) => r.y));
  return { x, y, w: Math.max(...rs.map((r) => r.x + r.w)) - x, h: Math.max(...rs.map((r) => r.y + r.h)) - y };
};

/**
 * Per pod's card (its key), the lines its list may show, with their symbols: the whole list
 * ("✕ 500 ×4") or, in a picture spaced tightly, a shorter form of it ("✕×4 ⚡×4", badgeForms.ts)
 * — a Player of the same runs (one per pane) at the page's step, pane `pane`'s view.
 */
function rowsByCard(
  id: string,
  meshes: readonly string[],
  pane: number,
  at: { timeMs: number; stepIndex: number },
  cards: { key: string; members: string[] }[],
): Map<string, { service: string; rows: string[]; short: string[] }> {
  const { player, traces } = pagePlayer(id, meshes, at);
  // Newest first, alike badges merged, as the page's badge layer does.
  const counts = new Map<string, BadgeRow[]>();
  const badges = player.viewOf(pane).badges;
  for (let i = badges.length - 1; i >= 0; i--) {
    const b = badges[i]!;
    const card = cards.find((c) => c.members.includes(b.node.split('/')[0]!));
    if (!card) continue;
    const list = counts.get(card.key) ?? counts.set(card.key, []).get(card.key)!;
    const same = list.find((r) => r.key === `${b.kind}:${b.text}`);
    if (same) same.count++;
    else list.push({ key: `${b.kind}:${b.text}`, kind: b.kind, text: b.text, count: 1, age: b.age });
  }
  const service = (key: string): string => traces[pane]!.topology.pods.find((p) => p.name === cards.find((c) => c.key === key)!.members[0])!.service;
  return new Map([...counts].map(([key, list]) => [key, { service: service(key), ...lines(list) }]));
}

/**
 * A list's rows as words without their symbols ("500 ×4"), and the lines of its shorter forms
 * with their symbols ("✕ 500 ×4 +1", "✕×4 ⚡×4").
 */
function lines(list: BadgeRow[]): { rows: string[]; short: string[] } {
  const counts = new Map<string, number>();
  for (const r of [...list].reverse()) counts.set(r.text, (counts.get(r.text) ?? 0) + r.count);
  return {
    rows: [...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text)),
    short: badgeForms(list)
      .slice(1)
      .flatMap((f) => f.map((l) => l.text)),
  };
}

/** Each list (of words no other list has) that sits nearer another card or another service's title than its own card, as a sentence. */
async function strayLists(page: Page, id: string, pane: number): Promise<{ lists: number; stray: string[] }> {
  const { rows, layout, texts } = await page.evaluate(
    (p) => ({ rows: window.meshSim!.badgesOnScreen(p), layout: window.meshSim!.layoutOnScreen(p)!, texts: window.meshSim!.textsOnScreen(p) }),
    pane,
  );
  const at = await appState(page);
  const expected = rowsByCard(id, at.meshes, pane, at, layout.cards);
  const titles = texts.filter((t) => t.text.startsWith('service '));
  const stray: string[] = [];
  let lists = 0;
  const words = (row: string): string => row.slice(row.indexOf(' ') + 1);
  for (const [key, { service, rows: own, short }] of expected) {
    const others = [...expected].filter(([k]) => k !== key);
    if (own.some((r) => others.some(([, o]) => o.rows.includes(r)))) continue;
    // A shorter form's line that is a row of another list drawn whole is that list's ("✕ 503", of
    // reviews-1's "⚡ fault / ✕ 503" at retries-flaky-pod 5.2 s, is also productpage-0's "✕ got 503" shortened).
    const drawn = rows.filter(
      (r) => own.includes(words(r.text)) || (short.includes(r.text) && !others.some(([, o]) => o.short.includes(r.text) || o.rows.includes(words(r.text)))),
    );
    if (drawn.length === 0) continue;
    lists++;
    const list = union(drawn);
    const card = layout.cards.find((c) => c.key === key)!;
    const mine = gap(list, card);
    for (const c of layout.cards)
      if (c !== card && gap(list, c) < mine)
        stray.push(`${key}'s list (${own.join(', ')}) nearer ${c.key}'s card (${gap(list, c).toFixed(0)} px) than its own (${mine.toFixed(0)} px)`);
    for (const t of titles)
      if (t.text !== `service ${service}` && gap(list, t) < mine + 8)
        stray.push(
          `${key}'s list (${own.join(', ')}) ${gap(list, t).toFixed(0)} px from "${t.text}", not 8 px further than from its own card (${mine.toFixed(0)} px)`,
        );
  }
  return { lists, stray };
}

describe('a badge list sits at its own pod', () => {
  it.each([
    ['config-push', 'istio', 2000],
    ['config-push', 'linkerd', 2000],
    ['config-push', 'osm', 2000],
    ['retries-flaky-pod', 'istio', 5200],
  ] as const)('%s under %s at %i ms: each list nearer its own card than any other card or service title', async (id, mesh, t) => {
    const { page, problems } = await openAt1280(`?scenario=${id}&mesh=${mesh}&t=${t}`);
    expect((await appState(page)).mesh).toBe(mesh);
    const found = await strayLists(page, id, 0);
    expect(found.stray).toEqual([]);
    expect(found.lists).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('config-push in compare (Istio | Linkerd) at 2000 ms: the same in each pane', { timeout: 120_000 }, async () => {
    const { page, problems } = await openAt1280('?scenario=config-push&mesh=compare&t=2000');
    await page.waitForFunction(() => window.meshSim?.state()?.meshes.length === 2 && window.meshSim.layoutOnScreen(1) !== null);
    const meshes = (await appState(page)).meshes;
    expect(meshes).toEqual(['istio', 'linkerd']);
    for (const pane of meshes.keys()) {
      const found = await strayLists(page, 'config-push', pane);
      expect(found.stray, `pane ${pane}`).toEqual([]);
      expect(found.lists, `pane ${pane}`).toBeGreaterThanOrEqual(2);
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("a node proxy's list sits by the pod it was for", () => {
  // Istio ambient: the ztunnel strip spans its Kubernetes node; its "⊘ denied" for reviews-0 was
  // drawn at the strip's left end, in the cluster's corner under productpage-0.
  it.each([
    ['authorization', 600],
    ['ambient-authz-fail-closed', 1600],
  ] as const)('%s under ambient at %i ms: each "⊘ denied" nearest a reviews pod, the pods denied', async (id, t) => {
    const { page, problems } = await openAt1280(`?scenario=${id}&mesh=ambient&t=${t}`);
    const { rows, layout } = await page.evaluate(() => ({ rows: window.meshSim!.badgesOnScreen(), layout: window.meshSim!.layoutOnScreen()! }));
    const denied = rows.filter((r) => r.text.startsWith('⊘ denied'));
    expect(denied.length).toBeGreaterThanOrEqual(1);
    const wrong: string[] = [];
    for (const r of denied) {
      const nearest = [...layout.cards].sort((a, b) => gap(r, a) - gap(r, b))[0]!;
      if (!nearest.members[0]!.startsWith('reviews-'))
        wrong.push(`"${r.text}" at ${Math.round(r.x)},${Math.round(r.y)} nearest ${nearest.key} (${gap(r, nearest).toFixed(0)} px)`);
    }
    expect(wrong).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("a node proxy's list stays off the cluster's frame", () => {
  // authorization under ambient at 0.26 s: the "⊘ denied" node-2's ztunnel raised for reviews-1
  // was drawn under the strip, struck through by the cluster's bottom line, although the gap
  // between reviews-1's card and the strip had room: a spot there was refused because it is as
  // near reviews-1's card (the pod the list is for) as the strip's part under it.
  it('authorization under ambient at 260 ms: "⊘ denied" between reviews-1 and the strip, inside the frame', async () => {
    const { page, problems } = await openAt1280('?scenario=authorization&mesh=ambient&t=260');
    const { rows, layout } = await page.evaluate(() => ({ rows: window.meshSim!.badgesOnScreen(), layout: window.meshSim!.layoutOnScreen()! }));
    const denied = rows.filter((r) => r.text.startsWith('⊘ denied'));
    expect(denied.length).toBe(1);
    const r = denied[0]!;
    const { cluster } = layout;
    const card = layout.cards.find((c) => c.members.includes('reviews-1'))!;
    const strip = layout.boxes.find((b) => b.id === 'node-2/ztunnel')!;
    // Wholly inside the frame (its line drawn 1 px either side of the edge) and above the strip.
    expect(r.y + r.h).toBeLessThanOrEqual(cluster.y + cluster.h - 2);
    expect(r.y + r.h).toBeLessThanOrEqual(strip.y + 1);
    // Under reviews-1's card, over the strip's part for it.
    expect(r.x + r.w).toBeGreaterThan(card.x);
    expect(r.x).toBeLessThan(card.x + card.w);
    expect(r.y).toBeGreaterThanOrEqual(card.y + card.h - r.h);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("a badge list on a page's picture keeps off the pods' chips", () => {
  // A page's picture draws a list whole (compare panes write it shorter where it leaves no room):
  // reviews-2's "⚡ fault / ✕ 500 / ⏏ ejected" covered its "cert ✓" under Consul, reviews-1's
  // "⚡ fault ×2 / ✕ 503 ×2" its own under Istio. Where the whole list covers a chip, a shorter
  // form with a spot of its own is drawn instead.
  it.each([
    ['outlier-vs-failure-accrual', 'consul', 5400, 'reviews-2'],
    ['retries-flaky-pod', 'istio', 5232, 'reviews-1'],
  ] as const)("%s under %s at %i ms: %s's list on no chip, every chip read whole", async (id, mesh, t, pod) => {
    const { page, problems } = await openAt1280(`?scenario=${id}&mesh=${mesh}&t=${t}`);
    const { rows, texts, layout } = await page.evaluate(() => ({
      rows: window.meshSim!.badgesOnScreen(),
      texts: window.meshSim!.textsOnScreen(),
      layout: window.meshSim!.layoutOnScreen()!,
    }));
    // The pod's list is drawn (a row of it nearer its card than any other).
    const card = layout.cards.find((c) => c.members.includes(pod))!;
    const nearest = (r: Rect): string => [...layout.cards].sort((a, b) => gap(r, a) - gap(r, b))[0]!.key;
    expect(rows.filter((r) => nearest(r) === card.key).length, JSON.stringify(rows)).toBeGreaterThanOrEqual(1);
    const chips = texts.filter((x) => /^(cert|config|ready)\b/.test(x.text));
    expect(chips.length).toBeGreaterThanOrEqual(6);
    const covered = rows.flatMap((r) =>
      chips.filter((c) => overlaps(r, c)).map((c) => `"${r.text}" over "${c.text}" at ${Math.round(c.x)},${Math.round(c.y)}`),
    );
    expect(covered).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
