/**
 * Labels avoid titles and each other (issue 12, "piled up"): at the moments where session 10's
 * shots showed a pile, no link tag covers words written on the picture (titles, captions, chips,
 * the HBONE pipes' labels, "deployed at") or another tag, no badge covers words or a tag, and the
 * current packet's caption covers no tag. Measured from the boxes the page draws (window.meshSim's
 * *OnScreen queries), in every pane of a compare page.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { inside, openPicture, overlaps, screenshotPixels, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

type Words = Rect & { text: string };

const show = (r: Words): string => `"${r.text}" at ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.w)}×${Math.round(r.h)}`;

/** What is piled in pane `pane`: each tag, badge or packet caption over words or a tag, as a sentence. */
export async function piles(page: Page, pane = 0): Promise<{ tags: number; badges: number; piled: string[] }> {
  const { links, badges, texts, packets } = await page.evaluate(
    (p) => ({
      links: window.meshSim!.linksOnScreen(p),
      badges: window.meshSim!.badgesOnScreen(p),
      texts: window.meshSim!.textsOnScreen(p),
      packets: p === 0 ? window.meshSim!.packetsOnScreen() : [],
    }),
    pane,
  );
  // One tag per box: the links of several callers to one endpoint share one.
  const tags: Words[] = [];
  for (const l of links) if (l.tag && !tags.some((t) => t.x === l.tag!.x && t.y === l.tag!.y)) tags.push(l.tag);
  // The words of the tags and badges themselves, and the faint words of what is not deployed yet, left out.
  const words = texts.filter((t) => t.alpha > 0.2 && ![...tags, ...badges].some((b) => inside(t, b, 2)));
  const captions = words.filter((t) => packets.some((p) => t.text.startsWith(p.label)));
  const piled: string[] = [];
  for (const [i, tag] of tags.entries()) {
    for (const t of words) if (!captions.includes(t) && overlaps(tag, t, 1)) piled.push(`tag ${show(tag)} covers ${show(t)}`);
    for (const o of tags.slice(i + 1)) if (overlaps(tag, o, 1)) piled.push(`tag ${show(tag)} on tag ${show(o)}`);
    for (const c of captions) if (overlaps(tag, c, 1)) piled.push(`caption ${show(c)} on tag ${show(tag)}`);
  }
  for (const b of badges) {
    for (const t of words) if (!captions.includes(t) && overlaps(b, t, 1)) piled.push(`badge ${show(b)} covers ${show(t)}`);
    for (const o of tags) if (overlaps(b, o, 1)) piled.push(`badge ${show(b)} on tag ${show(o)}`);
  }
  return { tags: tags.length, badges: badges.length, piled };
}

describe('labels avoid titles and each other', () => {
  // Ambient's two-node pictures: tags, badges and the current packet's caption piled in the short
  // gap between the two ztunnel strips, over the pipes' "HBONE tunnel · mTLS" labels and the
  // waypoint's "deployed at 5 s".
  for (const [query, tags, badges] of [
    // Its "5/s · 50%" at ratings-1 and "5/s" at ratings-0 sit where packets stand at the links' ends
    // (a ring over their words): left out (edgeLayer.ts), the balancer's spread is in the inspector.
    ['?scenario=timeouts&mesh=ambient&t=6100', 1, 0],
    ['?scenario=ambient-waypoint-l7&mesh=ambient&t=5300', 3, 0],
    ['?scenario=ambient-authz-fail-closed&mesh=ambient&t=1600', 2, 2],
    // About twelve rate tags where the capture links meet the ztunnel strips, over "waypoint-0";
    // now only those each over its own line alone, inside its frame (tagsOwnLine.test.ts): the
    // ztunnels' rates to each other and recommendation's.
    ['?scenario=sidecar-vs-ambient-footprint&mesh=ambient&t=2500', 4, 0],
    // reviews-1's "✕ 503" over its own "cert ✓" (state chips keep lists off as words do).
    ['?scenario=retries-flaky-pod&mesh=istio&t=5200', 3, 3],
  ] as const)
    it(query, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      const found = await piles(page);
      expect(found.piled).toEqual([]);
      // Not by leaving them all out.
      expect(found.tags).toBeGreaterThanOrEqual(tags);
      expect(found.badges).toBeGreaterThanOrEqual(badges);
      expect(problems).toEqual([]);
      await page.close();
    });

  // Compare mode: sidecar-vs-ambient-footprint's ambient pane piles as it does alone; config-push's
  // "⚡ fault ×4" list cut the "service reviews-v2" title, then (kept to its own pod,
  // badgePlace.test.ts) reached over reviews-0's "ready" chip. Spaced tightly to fit the pane whole
  // (render/layout.ts), its cards leave less room still: a list with no free spot is written
  // shorter (render/badgeForms.ts) — config-push's frontend-0 "✕ got 500 ×3" covered "service
  // frontend", canary-split's reviews-v2-0 "⚡ fault ×2" "service reviews-v2".
  for (const [query, meshes, tags, badges] of [
    ['?scenario=sidecar-vs-ambient-footprint&mesh=compare&t=2500', ['istio', 'ambient'], 2, 0],
    ['?scenario=config-push&mesh=compare&t=2000', ['istio', 'linkerd'], 2, 3],
    ['?scenario=canary-split&mesh=compare&t=8100', ['istio', 'linkerd'], 3, 2],
  ] as const)
    it(query, { timeout: 120_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      await page.waitForFunction((n) => window.meshSim?.state()?.meshes.length === n && window.meshSim.layoutOnScreen(n - 1) !== null, meshes.length);
      expect((await page.evaluate(() => window.meshSim!.state()))!.meshes).toEqual(meshes);
      for (const pane of meshes.keys()) {
        const found = await piles(page, pane);
        expect(found.piled, `pane ${pane}`).toEqual([]);
        expect(found.tags, `pane ${pane}`).toBeGreaterThanOrEqual(tags);
        expect(found.badges, `pane ${pane}`).toBeGreaterThanOrEqual(badges);
      }
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe("the current packet's caption", () => {
  // certificate-rotation under ambient at 12 h: the CSR's caption lay over api-0's "node proxy ↓"
  // (the dashed box where a sidecar would be was not among what a caption keeps off, and the empty
  // chip row under it was: the free spot there went unused). It still meets the pipe's "HBONE
  // tunnel · mTLS" label's bounds (their white outlines touch): every spot there covers something.
  it('?scenario=certificate-rotation&mesh=ambient&t=43200000: covers no word of a pod card', async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=certificate-rotation&mesh=ambient&t=43200000');
    const { texts, packets, cards } = await page.evaluate(() => ({
      texts: window.meshSim!.textsOnScreen(),
      packets: window.meshSim!.packetsOnScreen(),
      cards: ['web-0', 'api-0'].map((p) => window.meshSim!.cardOnScreen(p)!),
    }));
    const words = texts.filter((t) => t.alpha > 0.2);
    const captions = words.filter((t) => packets.some((p) => t.text.startsWith(p.label)));
    expect(captions.map((c) => c.text)).toEqual(['CSR (ztunnel → istiod)']);
    const onCards = words.filter((t) => !captions.includes(t) && cards.some((c) => inside(t, c, 2)));
    expect(onCards.map((t) => t.text)).toContain('node proxy ↓');
    const covered = captions.flatMap((c) => onCards.filter((t) => overlaps(c, t, 1)).map((t) => `${show(c)} over ${show(t)}`));
    expect(covered).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the step's ring keeps off its card's title", () => {
  // The README's first picture: the ring around reviews-1's sidecar (the step's node) ran 4 px
  // over the box, through the bottom of the card's title "reviews-1", 20 px above the box's top.
  it('retries-flaky-pod under Istio at 5.232 s: a clear row between the letters of "reviews-1" and the ring under them', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=retries-flaky-pod&mesh=istio&t=5232');
    const title = (await page.evaluate(() => window.meshSim!.textsOnScreen())).find((x) => x.text === 'reviews-1')!;
    expect(title).toBeDefined();
    // Right of its first letters (the packet leaving the sidecar, with its own blue ring, sits by the "r").
    const c = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
    const clip = { x: c.x + title.x + 25, y: c.y + title.y, width: title.w - 25, height: title.h + 8 };
    const { width, data } = screenshotPixels(await page.screenshot({ clip }));
    const letters = new Set<number>();
    const ring = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const [red, green, blue] = [data[i]!, data[i + 1]!, data[i + 2]!];
      const row = Math.floor(i / 4 / width);
      // The title's near-black ink; the ring's blue (0x0072b2).
      if (red < 110 && green < 110 && blue < 110 && Math.abs(red - blue) < 30) letters.add(row);
      if (blue > 120 && red < 90 && blue - red > 80) ring.add(row);
    }
    expect(letters.size).toBeGreaterThanOrEqual(6);
    expect(ring.size).toBeGreaterThanOrEqual(1);
    // Drawn over the letters' last rows the ring hides them: a clear row between the two, at least.
    const says = `letters in rows ${[...letters].sort((a, b) => a - b).join(',')}; ring in ${[...ring].sort((a, b) => a - b).join(',')}`;
    expect(Math.min(...ring) - Math.max(...letters), says).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([]);
    await page.close();
  });
});
