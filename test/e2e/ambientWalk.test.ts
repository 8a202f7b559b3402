/**
 * What session 25's walk of the Istio ambient pictures left on them (issue 12: labels off each
 * other, state drawn readable), each at the moment it was seen, at 1280×800.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openPicture, overlaps, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const show = (r: Rect & { text?: string }): string => `${r.text} at ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.w)}×${Math.round(r.h)}`;

/** Whether the circle of radius `r` around `c` reaches into box `b`. */
const circleOn = (c: { x: number; y: number }, r: number, b: Rect): boolean =>
  Math.hypot(Math.max(b.x - c.x, 0, c.x - b.x - b.w), Math.max(b.y - c.y, 0, c.y - b.y - b.h)) < r;

describe("the step's ring on no link's tag", () => {
  // timeouts at 6.1 s: the even split's "5/s · 50%" of the short pipe between the two ztunnel
  // strips was placed under the strips, where the packets on that pipe stand (a third of the way
  // along it, not at its ends): the step's ring hid its middle.
  it.each([['timeouts', 6100]] as const)('%s under ambient at %i ms', { timeout: 120_000 }, async (id, t) => {
    const { page, problems } = await openPicture(browser, site, `?scenario=${id}&mesh=ambient&t=${t}`);
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    const zoom = texts.find((x) => x.text.startsWith('ztunnel'))!.px / 11;
    const tags = await page.evaluate(() => window.meshSim!.tagsOnScreen());
    const ring = (await page.evaluate(() => window.meshSim!.packetsOnScreen())).filter((p) => p.focus);
    expect(ring.length).toBe(1);
    const p = ring[0]!;
    // The moment the walk saw: the step's packet on the pipe between the strips.
    expect([p.from, p.to]).toEqual(['node-1/ztunnel', 'node-2/ztunnel']);
    // The ring: 15 world units from the packet's centre (PACKET_R); a tag's words 4 in from its sides.
    const under = tags.filter((x) => circleOn(p, 15 * zoom, { x: x.x + 4 * zoom, y: x.y + zoom, w: x.w - 8 * zoom, h: x.h - 2 * zoom }));
    expect(under.map(show)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the step's packet caption off the HBONE pipes' labels", () => {
  // ambient-waypoint-l7 at 5.331 s: "200 · mTLS" above its packet in the gap between the two
  // ztunnel strips sat on the two pipes' "HBONE tunnel · mTLS", their boxes touching.
  it.each([['ambient-waypoint-l7', 5331]] as const)('%s under ambient at %i ms', { timeout: 120_000 }, async (id, t) => {
    const { page, problems } = await openPicture(browser, site, `?scenario=${id}&mesh=ambient&t=${t}`);
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    const step = (await page.evaluate(() => window.meshSim!.packetsOnScreen())).filter((p) => p.focus);
    expect(step.map((p) => p.label)).toEqual(['200']);
    const captions = texts.filter((x) => x.text === '200 · mTLS');
    expect(captions.length).toBe(1);
    const pipes = texts.filter((x) => x.text === 'HBONE tunnel · mTLS' && x.alpha > 0.2);
    expect(pipes.length).toBeGreaterThanOrEqual(2);
    expect(pipes.filter((p) => overlaps(p, captions[0]!, 1)).map(show)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
