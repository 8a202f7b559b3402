/**
 * What sessions 25's and 26's walks of the Istio ambient pictures left on them (issue 12: labels off
 * each other, state drawn readable), each at the moment it was seen, at 1280×800.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { inside, openPicture, overlaps, type Rect } from './harness.ts';
import type { LayoutOnScreen } from '../../src/render/onScreen.ts';

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

/**
 * The level lines of the cluster's frame and (`bands`) of the bands, top and bottom, that run across
 * `r` (more than `edge` px inside it). A tag's or a list's opaque plate hides a band's thin line
 * under it; the cluster's, thicker, shows at its edge.
 */
function linesAcross(l: LayoutOnScreen, r: Rect, edge: number, bands = true): string[] {
  const frames = [{ label: 'cluster', ...l.cluster }, ...(bands ? l.bands : [])];
  return frames.flatMap((f) =>
    [f.y, f.y + f.h]
      .filter((y) => f.x < r.x + r.w && r.x < f.x + f.w && r.y + edge < y && y < r.y + r.h - edge)
      .map((y) => `${f.label}'s line at y ${y.toFixed(1)}`),
  );
}

describe('certificate-rotation under ambient at 20 h', () => {
  // Session 26's walk: the step's "GET /orders · mTLS" below the pipe between the strips, across
  // node-1's and node-2's bottom lines; the pipe's "1/s" under node-1's strip, 0.7 px on it. (Both
  // strips read a bare "ztunnel" there, inside bands titled with their nodes: bands as wide as the
  // strips' whole titles and chips cost the ambient pane of ambient-l4-mtls in compare its fit.)
  it('writes the caption across no frame line and the tags on no strip', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=certificate-rotation&mesh=ambient&t=72000000');
    const l = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    const strips = l.boxes.filter((b) => b.role === 'node-proxy');
    const caption = texts.filter((x) => x.text === 'GET /orders · mTLS');
    expect(caption.length).toBe(1);
    // Its box holds the 4 px outline round the words: a line in that margin strikes nothing.
    expect(linesAcross(l, caption[0]!, 3), show(caption[0]!)).toEqual([]);
    const tags = await page.evaluate(() => window.meshSim!.tagsOnScreen());
    expect(tags.length).toBeGreaterThan(0);
    const wrong = tags.flatMap((t) => [
      ...strips.filter((b) => overlaps(t, b)).map((b) => `${show(t)} on ${b.id}`),
      ...linesAcross(l, t, 0, false).map((x) => `${show(t)} on ${x}`),
    ]);
    expect(wrong).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a tag under the ztunnel strips has room', () => {
  // Session 27's walk: the pipe's "3/s", slid out of the 18-unit gap between the two ztunnel
  // strips, went under them: 18 units above the cluster's bottom line for a tag 17 high, touching
  // the strips and the cluster's line. Now 1 unit clear of both, at least.
  it('ambient-authz-fail-closed under ambient at 1 s', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=ambient-authz-fail-closed&mesh=ambient&t=1000');
    const l = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    const zoom = texts.find((x) => x.text.startsWith('ztunnel'))!.px / 11;
    const strips = l.boxes.filter((b) => b.role === 'node-proxy');
    const tags = await page.evaluate(() => window.meshSim!.tagsOnScreen());
    expect(tags.map((t) => t.text)).toContain('3/s');
    const grown = (b: Rect): Rect => ({ x: b.x - zoom, y: b.y - zoom, w: b.w + 2 * zoom, h: b.h + 2 * zoom });
    const wrong = tags.flatMap((t) => [
      ...strips.filter((b) => overlaps(t, grown(b))).map((b) => `${show(t)} on ${b.id}`),
      ...linesAcross(l, t, -zoom, false).map((x) => `${show(t)} on ${x}`),
    ]);
    expect(wrong).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the README's ambient picture (ambient-authz-fail-closed at 1.6 s)", () => {
  // Session 26's walk: the strips' "⊘ denied" lists below them, on the cluster's bottom line.
  it("writes each badge list off the cluster's line", { timeout: 120_000 }, async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=ambient-authz-fail-closed&mesh=ambient&t=1600');
    const l = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    const badges = await page.evaluate(() => window.meshSim!.badgesOnScreen());
    expect(badges.filter((b) => b.text.includes('denied')).length).toBe(2);
    expect(badges.flatMap((b) => linesAcross(l, b, 0, false).map((x) => `${show(b)} on ${x}`))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the step's ring off the strips' words between strips 18 apart", () => {
  // Session 26's walk: ambient-mixed-data-planes (in compare: ambient alone, spaced tightly) at 1 s,
  // the SYN leaving node-2's strip a third of the way along the 18-unit pipe, its ring on "ztunnel on node-2".
  it('ambient-mixed-data-planes in compare at 1 s', { timeout: 120_000 }, async () => {
    const { page } = await openPicture(browser, site, '?scenario=ambient-mixed-data-planes&mesh=compare&t=1000');
    const l = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    const strips = l.boxes.filter((b) => b.role === 'node-proxy');
    const words = texts.filter((x) => strips.some((b) => inside(x, b, 1)));
    const zoom = words.find((x) => x.text.startsWith('ztunnel'))!.px / 11;
    const step = (await page.evaluate(() => window.meshSim!.packetsOnScreen())).filter((p) => p.focus);
    expect(step.map((p) => [p.label, p.from, p.to])).toEqual([['SYN', 'node-2/ztunnel', 'node-1/ztunnel']]);
    expect(words.filter((w) => circleOn(step[0]!, 15 * zoom, w)).map(show)).toEqual([]);
    await page.close();
  });
});
