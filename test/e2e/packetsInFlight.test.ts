/**
 * Packets in flight, as issue 12 found them and as the picture must show them:
 * - at the retry storm's peak the picture showed "at most 6 packets at once": now every packet
 *   the Player has in flight at that step is drawn (the same packets, by event), on the canvas;
 * - the mTLS handshake's server flight was six messages 10 px apart under one label: stepping
 *   through it, each message is its own packet, apart from the others, with its own caption.
 * The moments are found by running the scenario here with the page's own Player code; the page is
 * driven there with the keys a learner uses.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, openApp, PICTURE_WINDOW } from './harness.ts';
import { readFileSync } from 'node:fs';
import { Player, runScenario } from '../../src/player/index.ts';
import { layoutOf } from '../../src/render/layout.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

function playerOf(scenario: string, mesh: string): Player {
  const file = `scenarios/${scenario}.yaml`;
  const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!run.ok) throw new Error(`${file} does not run under ${mesh}`);
  return new Player(run.trace);
}

/**
 * Opens the page on step `target`: at the time in the URL that lands closest before it (as the
 * page's Player would land there), then → until the page is on it.
 */
async function openAtStep(player: Player, scenario: string, mesh: string, target: number): Promise<{ page: Page; problems: string[] }> {
  let from = { t: 0, index: -1 };
  for (let t = 0; t < player.trace.durationMs; t++) {
    player.seekTime(t);
    if (player.stepIndex <= target && player.stepIndex > from.index) from = { t, index: player.stepIndex };
  }
  const { page, problems } = await openApp(browser, site, `?scenario=${scenario}&mesh=${mesh}&t=${from.t}`, { viewport: PICTURE_WINDOW });
  expect((await appState(page)).stepIndex).toBe(from.index);
  for (let i = from.index; i < target; i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((n) => window.meshSim!.state()!.stepIndex === n, i + 1);
  }
  await frames(page);
  return { page, problems };
}

interface Drawn {
  seq: number;
  label: string;
  x: number;
  y: number;
}

const drawn = (page: Page): Promise<{ packets: Drawn[]; canvas: { w: number; h: number } }> =>
  page.evaluate(() => {
    const c = document.querySelector('[data-testid=stage] canvas')!.getBoundingClientRect();
    return { packets: window.meshSim!.packetsOnScreen(), canvas: { w: c.width, h: c.height } };
  });

describe('the retry storm at its peak', () => {
  for (const mesh of ['istio', 'linkerd'])
    it(`draws every packet the Player has in flight at the step with the most (${mesh})`, { timeout: 120_000 }, async () => {
      const player = playerOf('retry-storm', mesh);
      let peak = { n: 0, step: -1 };
      for (let i = 0; i < player.steps.length; i++) {
        player.seekStep(i);
        if (player.view().packets.length > peak.n) peak = { n: player.view().packets.length, step: i };
      }
      player.seekStep(peak.step);
      const inFlight = [...player.view().packets].map((p) => p.seq).sort((a, b) => a - b);
      const { page, problems } = await openAtStep(player, 'retry-storm', mesh, peak.step);
      const { packets, canvas } = await drawn(page);
      // The same packets as the Player's view at that step: all of them, each once.
      expect(packets.map((p) => p.seq).sort((a, b) => a - b)).toEqual(inFlight);
      // On the canvas, and spread along the links rather than piled on a few spots.
      for (const p of packets) {
        expect(p.x, `${p.label} #${p.seq}`).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(canvas.w);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(canvas.h);
      }
      const spots = new Set(packets.map((p) => `${Math.round(p.x / 4)},${Math.round(p.y / 4)}`));
      expect(spots.size, `${packets.length} packets on ${spots.size} spots`).toBeGreaterThan(packets.length / 2);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe('the mTLS handshake’s server flight', () => {
  for (const mesh of ['istio', 'linkerd'])
    it(`staggers its messages, each its own packet with its own caption, as → steps through them (${mesh})`, { timeout: 120_000 }, async () => {
      const player = playerOf('mtls-handshake', mesh);
      const steps = [...player.steps];
      // The server's first flight: the run of flight steps from the server's proxy after the ClientHello.
      const hello = steps.findIndex((s) => s.kind === 'flight' && /ClientHello/.test(s.text));
      const first = steps.findIndex((s, i) => i > hello && s.kind === 'flight');
      const serverFlight: number[] = [];
      for (let i = first; steps[i]?.kind === 'flight' && steps[i]!.timeMs === steps[first]!.timeMs; i++) serverFlight.push(i);
      expect(serverFlight.length, steps[first]!.text).toBeGreaterThanOrEqual(4);
      const { page, problems } = await openAtStep(player, 'mtls-handshake', mesh, first);
      const captions: string[] = [];
      for (const [k, index] of serverFlight.entries()) {
        if (k > 0) {
          await page.keyboard.press('ArrowRight');
          await page.waitForFunction((n) => window.meshSim!.state()!.stepIndex === n, index);
          await frames(page);
        }
        const step = steps[index]!;
        const seq = step.seq;
        const { packets } = await drawn(page);
        const mine = packets.find((p) => p.seq === seq);
        expect(mine, step.text).toBeDefined();
        // Its caption: the message's own name, drawn near its packet.
        const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
        const caption = texts.find((t) => t.text.startsWith(mine!.label) && t.alpha > 0.5);
        expect(caption, `caption "${mine!.label}" among ${texts.length} texts`).toBeDefined();
        const d = Math.hypot(caption!.x + caption!.w / 2 - mine!.x, caption!.y + caption!.h / 2 - mine!.y);
        expect(d, caption!.text).toBeLessThan(caption!.w / 2 + 40);
        captions.push(mine!.label);
        // The flight's messages already sent are packets of their own, apart from this one.
        const earlier = packets.filter((p) => serverFlight.slice(0, k).some((i) => steps[i]!.seq === p.seq));
        for (const e of earlier) expect(Math.hypot(e.x - mine!.x, e.y - mine!.y), `${e.label} beside ${mine!.label}`).toBeGreaterThan(16);
      }
      // One caption per message: six names, not one label for six.
      expect(new Set(captions).size).toBe(serverFlight.length);
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe('packets queued on a short hop', () => {
  it(
    'circuit-breaking-pool under Istio at 1.5 s: the 503s from fortio-0’s sidecar to its app are each seen, not piled on one spot',
    { timeout: 120_000 },
    async () => {
      const player = playerOf('circuit-breaking-pool', 'istio');
      player.seekTime(1500);
      const frame = player.view().packets;
      const hop = Array.from({ length: frame.length }, (_, k) => frame.packet(k)).filter((p) => p.from === 'fortio-0/proxy' && p.to === 'fortio-0/app');
      // Two or more on the hop at once (else this checks nothing).
      expect(hop.length).toBeGreaterThanOrEqual(2);
      const { page, problems } = await openApp(browser, site, '?scenario=circuit-breaking-pool&mesh=istio&t=1500', { viewport: PICTURE_WINDOW });
      await frames(page);
      const { packets } = await drawn(page);
      const mine = packets.filter((p) => hop.some((h) => h.seq === p.seq));
      expect(mine.length).toBe(hop.length);
      // A packet is CELL = 20 world units across (packetAtlas.ts; it imports pixi.js, which needs a browser); the picture's zoom is the sidecar box's height on screen over its own.
      const sidecar = await page.evaluate(() => window.meshSim!.layoutOnScreen()!.boxes.find((b) => b.id === 'fortio-0/proxy')!);
      const zoom = sidecar.h / layoutOf(player.trace).nodes.get('fortio-0/proxy')!.h;
      expect(zoom).toBeGreaterThanOrEqual(1);
      // Each a whole packet from every other (they were 0.55 of one apart, one half under the other).
      for (const [i, a] of mine.entries())
        for (const b of mine.slice(i + 1))
          expect(Math.hypot(a.x - b.x, a.y - b.y), `${a.label} #${a.seq} beside #${b.seq}`).toBeGreaterThanOrEqual(20 * zoom - 0.5);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});

/** The picture's zoom: a box's height on screen over its height in the layout. */
async function zoomOf(page: Page, player: Player, node: string): Promise<number> {
  const box = await page.evaluate((id) => window.meshSim!.layoutOnScreen()!.boxes.find((b) => b.id === id)!, node);
  return box.h / layoutOf(player.trace).nodes.get(node)!.h;
}

describe('packets that left a moment apart on one link', () => {
  it('hello-mesh under Linkerd, halfway through the server’s flight: its six messages each a whole packet from every other', { timeout: 120_000 }, async () => {
    // The moment with the most packets in flight, as journey.test.ts's shared link picks it.
    const player = playerOf('hello-mesh', 'linkerd');
    const inFlight = (t: number): number => {
      player.seekTime(t);
      return player.view().packets.length;
    };
    const t = player.trace.events
      .flatMap((e) => (e.type === 'flight' && e.departMs > 0 && e.arriveMs > e.departMs ? [(e.departMs + e.arriveMs) / 2] : []))
      .reduce((best, x) => (inFlight(x) > inFlight(best) ? x : best));
    player.seekTime(t);
    const frame = player.view().packets;
    const link = Array.from({ length: frame.length }, (_, k) => frame.packet(k)).filter((p) => p.from === 'reviews-0/proxy' && p.to === 'productpage-0/proxy');
    // Sent a moment apart in show time, not together (lanes): they were 10 px apart, one under the next.
    expect(link.length).toBeGreaterThanOrEqual(4);
    expect(new Set(link.map((p) => p.lane))).toEqual(new Set([0]));
    const { page, problems } = await openApp(browser, site, `?scenario=hello-mesh&mesh=linkerd&t=${t}`, { viewport: PICTURE_WINDOW });
    await frames(page);
    const { packets } = await drawn(page);
    const mine = packets.filter((p) => link.some((h) => h.seq === p.seq));
    expect(mine.length).toBe(link.length);
    const zoom = await zoomOf(page, player, 'reviews-0/proxy');
    for (const [i, a] of mine.entries())
      for (const b of mine.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y), `${a.label} beside ${b.label}`).toBeGreaterThanOrEqual(20 * zoom - 0.5);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a packet’s look', () => {
  // A diamond (a TLS handshake message) and an HTTP request inside mTLS (a circle with a lock).
  for (const [scenario, mesh, t] of [
    ['hello-mesh', 'istio', 1002.5],
    ['retries-flaky-pod', 'istio', 1028.2],
  ] as const)
    it(`${scenario} under ${mesh} at ${t} ms: the middle of each packet is its own colour, no line across it`, { timeout: 120_000 }, async () => {
      const player = playerOf(scenario, mesh);
      const { page, problems } = await openApp(browser, site, `?scenario=${scenario}&mesh=${mesh}&t=${t}`, { viewport: PICTURE_WINDOW });
      await frames(page);
      const { packets } = await drawn(page);
      expect(packets.length).toBeGreaterThan(0);
      const first = (await page.evaluate(() => window.meshSim!.layoutOnScreen()!.boxes[0]!))!;
      const zoom = await zoomOf(page, player, first.id);
      // Dark pixels (every channel under 90: the shapes' outlines, #1e1e1e) within a fifth of a
      // packet (20 world units) of each packet's centre, where its fill colour is. The packet
      // sheet's padlock arcs were joined to the sheet's origin: lines across every packet.
      const dark = await page.evaluate(
        ({ centres, r }) => {
          const source = document.querySelector<HTMLCanvasElement>('[data-testid=stage] canvas')!;
          const scale = source.width / source.getBoundingClientRect().width;
          const c = document.createElement('canvas');
          c.width = source.width;
          c.height = source.height;
          const ctx = c.getContext('2d')!;
          ctx.drawImage(source, 0, 0);
          return centres.map((p) => {
            let n = 0;
            for (let dy = -r; dy <= r; dy++)
              for (let dx = -r; dx <= r; dx++) {
                if (dx * dx + dy * dy > r * r) continue;
                const d = ctx.getImageData(Math.round((p.x + dx) * scale), Math.round((p.y + dy) * scale), 1, 1).data;
                if (d[0]! < 90 && d[1]! < 90 && d[2]! < 90) n++;
              }
            return `${p.label}: ${n}`;
          });
        },
        { centres: packets, r: Math.floor(4 * zoom) },
      );
      expect(dark).toEqual(packets.map((p) => `${p.label}: 0`));
      expect(problems).toEqual([]);
      await page.close();
    });
});
