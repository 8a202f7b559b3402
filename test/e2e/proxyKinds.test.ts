/**
 * Proxies of every kind, drawn: a node proxy as a strip along its Kubernetes node with that node's
 * pods grouped above it, a waypoint as a box of its own, HBONE tunnels as pipes with their packets
 * inside. No mesh in the library has them yet (the ambient profile is coming), so the renderer is
 * built alone into a page that draws a synthetic trace (test/render/ambientFixture.ts).
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launch, serve, type Site } from './site.ts';
import { ambientTrace } from '../render/ambientFixture.ts';
import { Player } from '../../src/player/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'node_modules/.cache/mesh-sim-render-page');

let site: Site;
let browser: Browser;
let page: Page;
const trace = ambientTrace(4);

type Rect = { x: number; y: number; w: number; h: number };
const inside = (a: Rect, b: Rect): boolean => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.w <= b.x + b.w + 1 && a.y + a.h <= b.y + b.h + 1;
const overlaps = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

async function onScreen(): Promise<NonNullable<ReturnType<MeshViewLike['layoutOnScreen']>>> {
  return (await page.evaluate(() => window.fixture!.view.layoutOnScreen()))!;
}
type MeshViewLike = NonNullable<Window['fixture']>['view'];

beforeAll(async () => {
  await build({
    root: join(ROOT, 'test/e2e/renderPage'),
    configFile: false,
    base: './',
    logLevel: 'error',
    build: { outDir: OUT, emptyOutDir: true, target: 'es2022' },
  });
  site = await serve(OUT);
  site.fixtures.set('trace.json', JSON.stringify(trace));
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 840, height: 520 } });
  await page.goto(`${site.url}index.html?trace=trace.json`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('proxies of every kind', () => {
  it('draws each node proxy as a strip along its Kubernetes node, the pods of that node grouped above it', async () => {
    const l = await onScreen();
    expect(l.bands.map((b) => b.label)).toEqual(['node node-a', 'node node-b']);
    const [a, b] = l.bands;
    const card = (pod: string): Rect => l.cards.find((c) => c.members.includes(pod))!;
    expect(inside(card('client-0'), a!) && inside(card('server-0'), a!)).toBe(true);
    expect(inside(card('server-1'), b!)).toBe(true);
    for (const [band, id] of [
      [a!, 'node-a/node-proxy'],
      [b!, 'node-b/node-proxy'],
    ] as const) {
      const strip = l.boxes.find((x) => x.id === id)!;
      expect(strip.role).toBe('node-proxy');
      expect(inside(strip, band)).toBe(true);
      expect(strip.w).toBeGreaterThan(4 * strip.h);
      // Along the node's bottom, below every pod of the node.
      for (const c of l.cards.filter((x) => inside(x, band))) expect(strip.y).toBeGreaterThan(c.y + c.h);
    }
    // A pod of a node-proxy mesh has no sidecar box: its traffic goes through the strip.
    expect(l.boxes.filter((x) => x.role === 'sidecar')).toEqual([]);
  });

  it('draws the waypoint as a standalone box, outside every card and node band', async () => {
    const l = await onScreen();
    const waypoint = l.boxes.find((x) => x.id === 'waypoint/proxy')!;
    expect(waypoint.role).toBe('waypoint');
    for (const r of [...l.cards, ...l.bands]) expect(overlaps(waypoint, r)).toBe(false);
    const texts = await page.evaluate(() => window.fixture!.view.textsOnScreen());
    expect(texts.some((t) => t.text === 'waypoint for server' && inside(t, waypoint))).toBe(true);
  });

  it('draws the tunnels as labelled pipes, with a request inside one while it crosses', async () => {
    const texts = await page.evaluate(() => window.fixture!.view.textsOnScreen());
    expect(texts.filter((t) => t.text === 'HBONE tunnel · mTLS').length).toBeGreaterThanOrEqual(2);
    // The first request's hop from node-a's proxy into the tunnel to the waypoint, half way.
    const hop = trace.events.find((e) => e.type === 'flight' && e.from === 'node-a/node-proxy' && e.to === 'waypoint/proxy')!;
    const show = new Player(trace).timeline.show;
    await page.evaluate((s) => window.fixture!.seekShow(s), (show.flightStart[hop.seq]! + show.flightEnd[hop.seq]!) / 2);
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    const packets = await page.evaluate(() => window.fixture!.view.packetsOnScreen());
    const packet = packets.find((p) => p.seq === hop.seq);
    expect(packet?.label).toBe('GET /');
    const l = await onScreen();
    const from = l.boxes.find((x) => x.id === 'node-a/node-proxy')!;
    const to = l.boxes.find((x) => x.id === 'waypoint/proxy')!;
    // On its way from the strip's end to the waypoint (keeping right of its direction), inside neither.
    const point = { x: packet!.x, y: packet!.y, w: 0, h: 0 };
    expect(inside(point, from) || inside(point, to)).toBe(false);
    expect(packet!.x).toBeGreaterThan(from.x + from.w - 40);
    expect(packet!.x).toBeLessThan(to.x);
  });

  it('keeps every label at 11 px or more at fit', async () => {
    const texts = await page.evaluate(() => window.fixture!.view.textsOnScreen());
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.filter((t) => t.px < 11).map((t) => `${t.text} ${t.px}`)).toEqual([]);
  });
});
