/**
 * Links bend around boxes (issue 12): in sidecar-vs-ambient-footprint's grid of twenty services a
 * straight line from one pod to another ran through other apps' cards and hid their titles
 * ("reviews"), and under ambient the lines from the apps dropped through the cards stacked under
 * them to the ztunnel strip. No segment of a drawn link now crosses a box (a proxy, an app, a
 * strip, the control plane's) or a pod's card other than its two ends and their cards; and the
 * packets fly along the line drawn, bends and all. Measured from what the page draws, under each
 * mesh the scenario is written for and in both compare panes.
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

type P = { x: number; y: number };

/** How far apart queued packets stand, in world units (packetPaths.ts QUEUE_GAP: a packet, 20, and 2). */
const QUEUE_GAP = 22;

/** Whether the segment from `p` to `q` passes through the inside of `r` (`r` shrunk by 1 px: touching an edge is not crossing). */
function crosses(p: P, q: P, r: Rect): boolean {
  let lo = 0;
  let hi = 1;
  for (const [a, d, min, max] of [
    [p.x, q.x - p.x, r.x + 1, r.x + r.w - 1],
    [p.y, q.y - p.y, r.y + 1, r.y + r.h - 1],
  ] as const) {
    if (Math.abs(d) < 1e-9) {
      if (a <= min || a >= max) return false;
      continue;
    }
    const s = (min - a) / d;
    const t = (max - a) / d;
    lo = Math.max(lo, Math.min(s, t));
    hi = Math.min(hi, Math.max(s, t));
  }
  return lo < hi;
}

const holds = (outer: Rect, b: Rect): boolean =>
  b.x >= outer.x - 0.5 && b.y >= outer.y - 0.5 && b.x + b.w <= outer.x + outer.w + 0.5 && b.y + b.h <= outer.y + outer.h + 0.5;

/** How far `p` is from the polyline through `points`. */
function distance(p: P, points: readonly P[]): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const f = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(a.x + dx * f - p.x, a.y + dy * f - p.y));
  }
  return best;
}

const round = (p: P): string => `${Math.round(p.x)},${Math.round(p.y)}`;

describe('sidecar-vs-ambient-footprint at 2.25 s: links bend around boxes', () => {
  for (const mesh of ['istio', 'linkerd', 'ambient', 'compare'])
    it(`under ${mesh}: no link crosses a box or card but its ends'; packets fly on their line`, { timeout: 120_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, `?scenario=sidecar-vs-ambient-footprint&mesh=${mesh}&t=2250`);
      const panes = mesh === 'compare' ? [0, 1] : [0];
      const wrong: string[] = [];
      let bends = 0;
      for (const pane of panes) {
        const { links, layout, zoom } = await page.evaluate((n) => {
          const l = window.meshSim!.layoutOnScreen(n)!;
          // CSS px per world unit: the cluster's title is written at 12 (FONT.title).
          const title = window.meshSim!.textsOnScreen(n).find((t) => t.text === 'Kubernetes cluster')!;
          return { links: window.meshSim!.linksOnScreen(n), layout: l, zoom: title.px / 12 };
        }, pane);
        expect(links.length).toBeGreaterThan(10);
        for (const l of links) {
          if (l.width === 0) continue;
          const ends = layout.boxes.filter((b) => b.id === l.from || b.id === l.to);
          expect(ends, `${l.from} → ${l.to}`).toHaveLength(2);
          const theirs = layout.cards.filter((c) => ends.some((e) => holds(c, e)));
          const others: (Rect & { name: string })[] = [
            ...layout.boxes.filter((b) => !ends.includes(b)).map((b) => ({ ...b, name: b.id })),
            ...layout.cards.filter((c) => !theirs.includes(c)).map((c) => ({ ...c, name: `card ${c.key}` })),
          ];
          if (l.points.length > 2) bends++;
          for (let i = 1; i < l.points.length; i++)
            for (const o of others)
              if (crosses(l.points[i - 1]!, l.points[i]!, o))
                wrong.push(`pane ${pane}: ${l.from} → ${l.to} (${round(l.points[i - 1]!)} to ${round(l.points[i]!)}) crosses ${o.name}`);
        }
        if (pane === 0) {
          // Each packet on a drawn link stands on it: no further from its line than the keep-right
          // shift (5 world units; 5√2 at a corner, shifted off both stretches) and a pixel — but for
          // those queued at the line's start, which wait beside it (queueSpots.ts: up to three deep,
          // a packet and a little apart).
          const packets = await page.evaluate(() => window.meshSim!.packetsOnScreen());
          const byPair = new Map(links.map((l) => [`${l.from}>${l.to}`, l]));
          let checked = 0;
          for (const p of packets) {
            const l = byPair.get(`${p.from}>${p.to}`);
            if (!l || l.width === 0) continue;
            checked++;
            const d = distance(p, l.points);
            const queued = Math.hypot(p.x - l.a.x, p.y - l.a.y) < 4 * QUEUE_GAP * zoom;
            if (d > (queued ? 3 * QUEUE_GAP : 5 * Math.SQRT2) * zoom + 1)
              wrong.push(`packet ${p.label} ${p.from} → ${p.to} at ${round(p)} is ${d.toFixed(1)} px off its line`);
          }
          expect(checked).toBeGreaterThan(0);
        }
      }
      expect(wrong).toEqual([]);
      // The grid's lines bend (were they all straight, the pictures would be last session's).
      expect(bends).toBeGreaterThan(3);
      expect(problems).toEqual([]);
      await page.close();
    });
});
