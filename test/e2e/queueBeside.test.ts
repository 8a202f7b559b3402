/**
 * Packets queued beside a link's start keep off what is written (issue 12, "piled up"): hello-mesh
 * under Linkerd at 1.0055 s, reviews-0's sidecar sends its six handshake messages at once; those
 * with no room on the link to productpage-0 waited in a column beside its start, up over the
 * "reviews-0" title and "no request finished yet". Measured from what the page draws
 * (window.meshSim's packetsOnScreen and textsOnScreen).
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openPicture, overlaps } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** Half a packet's shape on screen, at least (its cell is 20 world units, the zoom at least 1): a little less, to be sure it is covered. */
const HALF = 7;

describe('packets queued beside a link', () => {
  it('stand over no title, header or chip (hello-mesh under Linkerd, the server flight at 1.0055 s)', async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=hello-mesh&mesh=linkerd&t=1005.5');
    const { packets, texts } = await page.evaluate(() => ({ packets: window.meshSim!.packetsOnScreen(), texts: window.meshSim!.textsOnScreen() }));
    // Every message of the flight is drawn, each a whole packet from the others.
    expect(packets.length).toBeGreaterThanOrEqual(6);
    for (const [i, a] of packets.entries())
      for (const b of packets.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y), `${a.label} / ${b.label}`).toBeGreaterThanOrEqual(2 * HALF);
    // The words written, but for the current packet's caption (it sits by its packet).
    const words = texts.filter((t) => t.alpha > 0.2 && !packets.some((p) => t.text.startsWith(p.label)));
    const covered: string[] = [];
    for (const p of packets)
      for (const t of words)
        if (overlaps({ x: p.x - HALF, y: p.y - HALF, w: 2 * HALF, h: 2 * HALF }, t, 1))
          covered.push(`${p.label} at ${Math.round(p.x)},${Math.round(p.y)} covers "${t.text}"`);
    expect(covered).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('packets queued on a short hop', () => {
  // circuit-breaking-pool at 1.5 s: the pool turns requests away at once, so fortio-0's sidecar
  // sends two 503s to its app together. Queued beside the first, across the hop, the second stood
  // on the card's chips ("config v0 ✓"; a third, further out, on its title); along the hop, between
  // the boxes' captions, they cover nothing written.
  for (const mesh of ['istio', 'osm'])
    it(`stand over no title or chip (circuit-breaking-pool under ${mesh} at 1.5 s)`, async () => {
      const { page, problems } = await openPicture(browser, site, `?scenario=circuit-breaking-pool&mesh=${mesh}&t=1500`);
      const { packets, texts } = await page.evaluate(() => ({ packets: window.meshSim!.packetsOnScreen(), texts: window.meshSim!.textsOnScreen() }));
      // A hop inside one pod: its app and its sidecar ("fortio-0/app" → "fortio-0/proxy").
      const hop = packets.filter((p) => p.from.split('/')[0] === p.to.split('/')[0]);
      expect(hop.length, 'two or more packets on a hop in a pod').toBeGreaterThanOrEqual(2);
      const words = texts.filter((x) => x.alpha > 0.2 && !packets.some((p) => x.text.startsWith(p.label)));
      const covered: string[] = [];
      for (const p of hop)
        for (const x of words)
          if (overlaps({ x: p.x - HALF, y: p.y - HALF, w: 2 * HALF, h: 2 * HALF }, x, 1))
            covered.push(`${p.label} at ${Math.round(p.x)},${Math.round(p.y)} covers "${x.text}"`);
      expect(covered).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe('packets queued beside a full short hop', () => {
  // circuit-breaking-pool under Linkerd at 1.5 s: httpbin-0's sidecar sends three GETs to its app
  // at once; the hop holds two along it, the third (the current step's) waits beside it. It stood
  // above the first, its ring on the end of "httpbin-0"; above the second it covers nothing.
  it('keep off the card title and chips, the current step with its ring (circuit-breaking-pool under linkerd at 1.5 s)', async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=circuit-breaking-pool&mesh=linkerd&t=1500');
    const { packets, texts } = await page.evaluate(() => ({ packets: window.meshSim!.packetsOnScreen(), texts: window.meshSim!.textsOnScreen() }));
    const hop = packets.filter((p) => p.from === 'httpbin-0/proxy' && p.to === 'httpbin-0/app');
    expect(hop.length, 'three GETs on the hop').toBe(3);
    expect(hop.filter((p) => p.focus).length, 'one is the current step').toBe(1);
    // A packet's shape (SHAPE_R, 10 world units), with the current step's ring its reach (PACKET_R,
    // 15), on screen at the picture's zoom (a title is 12 units).
    const zoom = texts.find((x) => x.text === 'httpbin-0')!.px / 12;
    const words = texts.filter((x) => x.alpha > 0.2 && !packets.some((p) => x.text.startsWith(p.label)));
    const covered: string[] = [];
    for (const p of hop) {
      const r = (p.focus ? 15 : 10) * zoom;
      for (const x of words)
        if (overlaps({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r }, x, 1))
          covered.push(`${p.label} at ${Math.round(p.x)},${Math.round(p.y)} covers "${x.text}"`);
    }
    expect(covered).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
