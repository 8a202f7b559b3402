/**
 * What covered the words a learner reads (issue 12, session 22's walk). The current step's packet
 * and its ring are drawn above the links' tags (they stay in sight), and a tag sat right beside a
 * link's end, where packets stand as they leave and arrive: "2/s · 50%" read "●/s · 50%" in
 * authorization under Istio at 2.5 s.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openPicture, overlaps, type Rect } from './harness.ts';
import { FONT } from '../../src/render/layoutTypes.ts';
import { PACKET_R } from '../../src/render/packetTrack.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** How far box `r` is from the line through `points` (0 where the line crosses it). */
function fromLine(r: Rect, points: readonly { x: number; y: number }[]): number {
  let best = Infinity;
  for (let k = 1; k < points.length; k++)
    for (let i = 0; i <= 40; i++) {
      const x = points[k - 1]!.x + ((points[k]!.x - points[k - 1]!.x) * i) / 40;
      const y = points[k - 1]!.y + ((points[k]!.y - points[k - 1]!.y) * i) / 40;
      best = Math.min(best, Math.hypot(Math.max(0, r.x - x, x - (r.x + r.w)), Math.max(0, r.y - y, y - (r.y + r.h))));
    }
  return best;
}

describe("the current step's packet and its ring leave the links' tags' words whole, each tag by its own link", () => {
  for (const [query, pane] of [
    ['?scenario=authorization&mesh=istio&t=2500', 0],
    ['?scenario=authorization&mesh=osm&t=2500', 0],
    ['?scenario=authorization&mesh=compare&t=2500', 0],
    ['?scenario=circuit-breaking-pool&mesh=istio&t=1500', 0],
    ['?scenario=circuit-breaking-pool&mesh=compare&t=1500', 0],
    ['?scenario=consul-intentions&mesh=consul&t=3300', 0],
    ['?scenario=ambient-authz-fail-closed&mesh=istio&t=1000', 0],
    // Compare panes (session 24's walk: Linkerd's "1/s · 50%" read "s · 50%" under web-0's ring).
    ['?scenario=strict-vs-permissive&mesh=compare&t=3000', 0],
    ['?scenario=strict-vs-permissive&mesh=compare&t=3000', 1],
    ['?scenario=retry-storm&mesh=compare&t=3000', 1],
  ] as const)
    it(`${query}, pane ${pane}`, { timeout: 180_000 }, async () => {
      const { page } = await openPicture(browser, site, query);
      const { tags, packets, texts, links } = await page.evaluate(
        (p) => ({
          tags: window.meshSim!.tagsOnScreen(p),
          packets: window.meshSim!.packetsOnScreen(p),
          texts: window.meshSim!.textsOnScreen(p),
          links: window.meshSim!.linksOnScreen(p),
        }),
        pane,
      );
      // The zoom, from a box's caption (written at FONT.text): the ring reaches PACKET_R world units from the packet's centre.
      const caption = texts.find((t) => t.text === 'sidecar' || t.text === 'app');
      expect(caption).toBeDefined();
      const r = (PACKET_R * caption!.px) / FONT.text;
      const rings = packets.filter((p) => p.focus);
      expect(rings.length).toBe(1);
      // A ring reaches into a tag's words where it comes nearer their box than its radius (a pixel's
      // antialiasing left out). The words are written 4 units in from the plate's sides and 1 from
      // its top (edgeLayer.ts): the plate's margin may lie under a ring where a narrow gap leaves
      // no room on the line clear of the rings at both its ends (tagSpots.ts).
      const k = caption!.px / FONT.text;
      const words = (t: Rect): Rect => ({ x: t.x + 4 * k, y: t.y + k, w: t.w - 8 * k, h: t.h - 2 * k });
      const reaches = (t: Rect, c: { x: number; y: number }): boolean =>
        Math.hypot(Math.max(t.x - c.x, 0, c.x - t.x - t.w), Math.max(t.y - c.y, 0, c.y - t.y - t.h)) < r - 1;
      const covered = tags.flatMap((t) =>
        rings.filter((g) => reaches(words(t), g)).map((g) => `"${t.text.replace(/\n/g, ' ')}" at ${Math.round(t.x)},${Math.round(t.y)} under "${g.label}"`),
      );
      expect(covered).toEqual([]);
      // Each tag stays by its own link (one of them, where callers share it): within 6 px of its line.
      const far = tags.filter((t) => !links.some((l) => l.tag && l.tag.x === t.x && l.tag.y === t.y && fromLine(t, l.points) <= 6));
      expect(far.map((t) => `"${t.text.replace(/\n/g, ' ')}" at ${Math.round(t.x)},${Math.round(t.y)}`)).toEqual([]);
      await page.close();
    });
});

describe("the current step's packet caption keeps off the links' locks and the words written", () => {
  // authorization in compare at 2.5 s: "GET /reviews/1 · mTLS", productpage-0's sidecar to
  // reviews-1's, lay across its sidecar's edge and the locks of the lines beside it, in both panes:
  // every spot beside the packet covered something, and locks were not among what it weighed.
  for (const pane of [0, 1])
    it(`authorization in compare at 2.5 s, pane ${pane}`, { timeout: 180_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, '?scenario=authorization&mesh=compare&t=2500');
      const { packets, texts, links } = await page.evaluate(
        (p) => ({ packets: window.meshSim!.packetsOnScreen(p), texts: window.meshSim!.textsOnScreen(p), links: window.meshSim!.linksOnScreen(p) }),
        pane,
      );
      const focus = packets.find((p) => p.focus)!;
      const caption = texts.find((t) => t.text === `${focus.label} · mTLS`);
      expect(caption, 'the caption is drawn').toBeDefined();
      const locks = links.flatMap((l) => (l.lock ? [l.lock] : []));
      expect(locks.length).toBeGreaterThan(0);
      const hits = [
        ...locks.filter((l) => overlaps(caption!, l, 0.5)).map((l) => `lock at ${Math.round(l.x)},${Math.round(l.y)}`),
        ...texts.filter((t) => t !== caption && t.alpha > 0.2 && overlaps(caption!, t, 0.5)).map((t) => `"${t.text}"`),
      ];
      expect(hits).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});
