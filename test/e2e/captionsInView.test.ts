/**
 * A packet's caption stays on the canvas (issue 12, "labels avoid titles and each other"): a
 * caption drawn past the drawing's edge is cut by the canvas, or not seen at all. Measured from the
 * words the page draws (window.meshSim.textsOnScreen) against the canvas's own box.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { inside, openPicture, overlaps, stepForward, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const show = (r: Rect & { text?: string }): string => `"${r.text ?? ''}" at ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.w)}×${Math.round(r.h)}`;

describe("a packet's caption stays on the canvas", () => {
  // Linkerd's discovery request names its whole resource ("Get + GetProfile reviews.default.svc…:80").
  for (const [query, why] of [
    // It starts at productpage's sidecar, at the drawing's left edge.
    ['?scenario=ambient-l4-mtls&mesh=linkerd&t=2000', 'at the left edge'],
    // It starts at productpage's sidecar, the drawing's lowest box: below it, the caption was
    // drawn past the cluster's frame and the canvas cut it after its first line (session 22's walk).
    ['?scenario=hello-mesh&mesh=linkerd&t=1000', 'at the bottom edge'],
  ] as const)
    it(`${query} (${why})`, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      const { texts, canvas } = await page.evaluate(() => {
        const c = document.querySelector('[data-testid=stage] canvas')!.getBoundingClientRect();
        return { texts: window.meshSim!.textsOnScreen(), canvas: { x: 0, y: 0, w: c.width, h: c.height } };
      });
      const caption = texts.find((t) => t.text.startsWith('Get + GetProfile'));
      expect(caption, 'the discovery packet is the current step').toBeDefined();
      expect(inside(caption!, canvas, 0), show(caption!)).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    });
});

/**
 * What is wrong with the current step's caption now: further than 45 world units from its packet
 * (three times the ring's reach; the farthest spot, three rows above, is 43 from it, and a spot
 * nudged off a line goes no further than 45: labelSpots.ts; a caption is 11 units high), on other
 * words (`words`), or with another packet's centre under its words (inside their 2-unit white
 * outline). `shown`: whether the step has a captioned packet.
 */
async function captionFaults(page: Page, words: boolean): Promise<{ shown: boolean; wrong: string[] }> {
  const { texts, packets, timeMs } = await page.evaluate(() => ({
    texts: window.meshSim!.textsOnScreen(),
    packets: window.meshSim!.packetsOnScreen(),
    timeMs: window.meshSim!.state()!.timeMs,
  }));
  const focus = packets.find((p) => p.focus);
  const caption = focus && texts.find((t) => t.text.replace(/\n/g, ' ').startsWith(focus.label) && t.alpha > 0.5);
  if (!focus || !caption) return { shown: false, wrong: [] };
  const wrong: string[] = [];
  const zoom = caption.px / 11;
  const d =
    Math.hypot(Math.max(caption.x - focus.x, 0, focus.x - caption.x - caption.w), Math.max(caption.y - focus.y, 0, focus.y - caption.y - caption.h)) / zoom;
  if (d > 45.5) wrong.push(`${timeMs} ms: ${show(caption)} ${Math.round(d)} world units from its packet`);
  if (words) for (const t of texts) if (t !== caption && t.alpha > 0.2 && overlaps(caption, t, 1)) wrong.push(`${timeMs} ms: ${show(caption)} on ${show(t)}`);
  const inner = { x: caption.x + 2 * zoom, y: caption.y + 2 * zoom, w: caption.w - 4 * zoom, h: caption.h - 4 * zoom };
  for (const p of packets)
    if (!p.focus && inside({ x: p.x, y: p.y, w: 0, h: 0 }, inner, 0))
      wrong.push(`${timeMs} ms: ${show(caption)} over the ${p.label} packet at ${Math.round(p.x)},${Math.round(p.y)}`);
  return { shown: true, wrong };
}

/** {@link captionFaults} at `steps` steps in a row, from the one shown, stepping forward as a learner does (a click, then the → key): how many had a caption, and every fault. */
async function walkCaptions(page: Page, steps: number, words: boolean): Promise<{ captions: number; wrong: string[] }> {
  const wrong: string[] = [];
  let captions = 0;
  for (let step = 0; step < steps; step++) {
    const at = await captionFaults(page, words);
    if (at.shown) captions++;
    wrong.push(...at.wrong);
    await stepForward(page, { key: step > 0 });
  }
  return { captions, wrong };
}

describe("the current step's caption is written on no other words and no other packet, and by its packet", () => {
  // Session 22's walk: circuit-breaking-pool under Consul at 1.5 s, "GET /get" over httpbin-0's
  // "config v0 ✓" and "ready" chips — every spot by the packet covered something, and covering
  // the chips was covering least area; the sidecar's and app's empty lower halves were no better.
  // Session 33's: under Linkerd at 1.5 s, "GET /get" on two of the GETs queued between httpbin-0's
  // sidecar and app, hiding them (the caption kept off words only, not the packets in flight).
  // The same card under each mesh, and the replies after it (a step at a time, as a learner does).
  for (const mesh of ['istio', 'linkerd', 'consul', 'osm'])
    it(`circuit-breaking-pool under ${mesh}, 1.5 s and six steps on`, { timeout: 120_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, `?scenario=circuit-breaking-pool&mesh=${mesh}&t=1500`);
      const { captions, wrong } = await walkCaptions(page, 7, true);
      expect(captions).toBeGreaterThanOrEqual(3);
      expect(wrong).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe("a handshake's messages: the step's caption on no other packet in flight", () => {
  // Session 33's walk over the library: a handshake's messages leave a moment apart on one link,
  // and the caption of one lay on the next (authorization under Istio at 3 ms, "{Certificate}" over
  // the packet of "{CertificateVerify}"), in 197 of the first 80 steps of every scenario and mesh.
  // authorization's first 40 steps from 0 s under each mesh it is written for: its CSRs, then the
  // first request's TCP and TLS handshake.
  for (const mesh of ['istio', 'linkerd', 'ambient', 'consul', 'osm'])
    it(`authorization under ${mesh}, the first 40 steps`, { timeout: 120_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, `?scenario=authorization&mesh=${mesh}&t=0`);
      const { captions, wrong } = await walkCaptions(page, 40, false);
      expect(captions).toBeGreaterThanOrEqual(20);
      expect(wrong).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe("a packet's caption between two ztunnel strips is written on no pipe label", () => {
  // The step's packet in the gap between the strips: its caption, above it, went onto the pipe's
  // "HBONE tunnel · mTLS", placed just clear of the strips, where the packets' captions go
  // ("RST · mTLS" at 1.001 s; "GET /ratings/0 · mTLS" in timeouts at 6.1 s).
  for (const query of ['?scenario=ambient-authz-fail-closed&mesh=ambient&t=1001', '?scenario=timeouts&mesh=ambient&t=6100'])
    it(query, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      const { texts, packets } = await page.evaluate(() => ({ texts: window.meshSim!.textsOnScreen(), packets: window.meshSim!.packetsOnScreen() }));
      const focus = packets.find((p) => p.focus);
      const caption = focus && texts.find((t) => t.text.replace(/\n/g, ' ').startsWith(focus.label) && t.alpha > 0.5);
      expect(caption, "the step's caption").toBeDefined();
      expect(texts.filter((t) => t.text === 'HBONE tunnel · mTLS').length, 'the pipe is labelled').toBeGreaterThanOrEqual(1);
      const on = texts.filter((t) => t !== caption && t.alpha > 0.2 && overlaps(caption!, t, 1)).map((t) => `${show(caption!)} on ${show(t)}`);
      expect(on).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe("the current step's caption across no cluster frame", () => {
  // Session 27's walk: egress-control in compare at 3 s, Linkerd's "GET /v1/orders" above its
  // packet at the sidecar's right, across the cluster's right line (dark, thick: the words cut in
  // two) and over a packet to api.partner.com just outside it. (Istio's pane still writes its
  // caption across its cluster's line: every other spot by its packet covers more.)
  it("egress-control in compare at 3 s, Linkerd's pane", { timeout: 120_000 }, async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=egress-control&mesh=compare&t=3000');
    await page.waitForFunction(() => window.meshSim!.layoutOnScreen(1) !== null);
    const l = (await page.evaluate(() => window.meshSim!.layoutOnScreen(1)))!;
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen(1));
    const packets = await page.evaluate(() => window.meshSim!.packetsOnScreen(1));
    const caption = texts.find((t) => t.text === 'GET /v1/orders' && t.alpha > 0.5)!;
    expect(caption).toBeDefined();
    const c = l.cluster;
    const wrong: string[] = [];
    // Its box holds the 4 px outline round the words: a line in that margin strikes nothing.
    for (const x of [c.x, c.x + c.w])
      if (caption.x + 3 < x && x < caption.x + caption.w - 3 && caption.y < c.y + c.h && c.y < caption.y + caption.h)
        wrong.push(`${show(caption)} across the cluster's line at x ${x.toFixed(1)}`);
    for (const p of packets.filter((p) => !p.focus))
      if (inside({ x: p.x, y: p.y, w: 0, h: 0 }, caption, 0)) wrong.push(`${show(caption)} over the packet at ${Math.round(p.x)},${Math.round(p.y)}`);
    expect(wrong).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the current step's caption lies on no words, with no box's or card's level line through them", () => {
  // Session 28's walk: hello-mesh and ambient-l4-mtls under Linkerd, the discovery request's three
  // rows over productpage-0's sidecar's top-right and its card's title row (boxes and title rows
  // weighed as empty, the services' whole headers as words); timeouts in compare at 6.1 s, Istio's
  // "GET /ratings/0" over reviews-0's "app"; authorization under Linkerd at 2.5 s, "GET /reviews/1 · mTLS"
  // with the sidecar's top line through its words; circuit-breaking-pool under OSM and Consul at
  // 1.5 s, "GET /get" on httpbin-0's card's bottom line.
  for (const [query, pane] of [
    ['?scenario=hello-mesh&mesh=linkerd&t=1000', 0],
    ['?scenario=ambient-l4-mtls&mesh=linkerd&t=2000', 0],
    ['?scenario=timeouts&mesh=compare&t=6100', 0],
    ['?scenario=authorization&mesh=linkerd&t=2500', 0],
    ['?scenario=circuit-breaking-pool&mesh=osm&t=1500', 0],
    ['?scenario=circuit-breaking-pool&mesh=consul&t=1500', 0],
  ] as const)
    it(`${query}, pane ${pane}`, { timeout: 120_000 }, async () => {
      const { page, problems } = await openPicture(browser, site, query);
      await page.waitForFunction((p) => window.meshSim!.layoutOnScreen(p) !== null, pane);
      const { texts, packets, layout } = await page.evaluate(
        (p) => ({ texts: window.meshSim!.textsOnScreen(p), packets: window.meshSim!.packetsOnScreen(p), layout: window.meshSim!.layoutOnScreen(p)! }),
        pane,
      );
      const focus = packets.find((p) => p.focus);
      const flat = (s: string): string => s.replace(/\s+/g, '');
      const caption = focus && texts.find((t) => flat(t.text).startsWith(flat(focus.label)) && t.alpha > 0.5);
      expect(caption, "the step's caption").toBeDefined();
      const c = caption!;
      // Its words, inside the 2-unit white outline round them (another word's edge under the outline
      // is not covered); their ink a unit further in from the top and bottom (a line there touches no letter).
      const unit = c.px / 11;
      const outlined = { x: c.x + 2 * unit, y: c.y + 2 * unit, w: c.w - 4 * unit, h: c.h - 4 * unit };
      const words = { x: outlined.x, y: outlined.y + unit, w: outlined.w, h: outlined.h - 2 * unit };
      const wrong = texts.filter((t) => t !== c && t.alpha > 0.2 && overlaps(outlined, t, 1)).map((t) => `on ${show(t)}`);
      for (const [what, r] of [...layout.boxes.map((b) => [b.id, b] as const), ...layout.cards.map((p) => [`card ${p.key}`, p] as const)]) {
        // A level line strikes the words through; an upright one strikes a letter, and a caption wider
        // than the gap between two boxes has one through it wherever it goes.
        const level = [r.y, r.y + r.h].filter((y) => words.y < y && y < words.y + words.h && words.x < r.x + r.w && r.x < words.x + words.w);
        if (level.length) wrong.push(`across the line of ${what} ${show(r)}`);
      }
      expect(wrong, show(c)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe("the current step's caption keeps off the links' tags, their plates too", () => {
  // Session 28's walk: consul-intentions at 3.3 s, "Certificate" right under "3/s · 75%", its outline
  // on the tag's plate (a caption kept only its words a unit off a plate's frame).
  it('consul-intentions under consul at 3.3 s', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPicture(browser, site, '?scenario=consul-intentions&mesh=consul&t=3300');
    const { texts, packets, tags } = await page.evaluate(() => ({
      texts: window.meshSim!.textsOnScreen(),
      packets: window.meshSim!.packetsOnScreen(),
      tags: window.meshSim!.tagsOnScreen(),
    }));
    const focus = packets.find((p) => p.focus);
    const caption = focus && texts.find((t) => t.text.startsWith(focus.label) && t.alpha > 0.5);
    expect(caption, "the step's caption").toBeDefined();
    expect(tags.length).toBeGreaterThanOrEqual(3);
    const on = tags.filter((t) => overlaps(caption!, t, 0)).map((t) => `${show(caption!)} on ${show(t)}`);
    expect(on).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
