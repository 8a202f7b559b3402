/**
 * Origins for the embedding tests, all on 127.0.0.1 with their own ports (so, to the browser,
 * separate origins): the simulator's built site, served the way the README says to serve it
 * (a strict Content-Security-Policy with frame-ancestors naming the course page's origin, and
 * CORS on the scripts for the `<mesh-sim>` loader); the course page; and a stranger.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { newTab } from './tabs.ts';

/** The CSP the README recommends for the simulator, with `frame-ancestors` for `hosts`. */
export function embedCsp(hosts: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${hosts.join(' ')}`,
  ].join('; ');
}

export interface Origin {
  /** `http://127.0.0.1:port` */
  origin: string;
  /** Pages (path → HTML) this origin serves. */
  pages: Map<string, string>;
  close(): Promise<void>;
}

async function listen(handle: (path: string, res: import('node:http').ServerResponse) => void): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => handle(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname), res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** An origin serving the HTML pages a test puts in `pages` (no CSP: a plain course page). */
export async function pageOrigin(): Promise<Origin> {
  const pages = new Map<string, string>();
  const s = await listen((path, res) => {
    const html = pages.get(path);
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html' });
    res.end(html ?? 'not found');
  });
  return { ...s, pages };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.yaml': 'text/yaml',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface SimOrigin extends Origin {
  /** The site's folder URL: `http://127.0.0.1:port/app/`. */
  url: string;
  /** Scenario texts at `/fixtures/<name>`. */
  fixtures: Map<string, string>;
}

/** The built site under /app/, with `embedCsp(frameAncestors)` on every page. */
export async function simOrigin(dir: string, frameAncestors: readonly string[]): Promise<SimOrigin> {
  const fixtures = new Map<string, string>();
  const csp = embedCsp(frameAncestors);
  const s = await listen((path, res) => {
    if (path.startsWith('/fixtures/')) {
      const text = fixtures.get(path.slice('/fixtures/'.length));
      res.writeHead(text === undefined ? 404 : 200, { 'content-type': 'text/yaml' });
      return void res.end(text ?? 'not found');
    }
    const file = resolve(dir, path.replace(/^\/app\/?/, '') || 'index.html');
    if (!path.startsWith('/app/') || !file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404);
      return void res.end();
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Scripts carry CORS so that another origin's page can load mesh-sim.js as a module.
    const headers: Record<string, string> = { 'content-type': type, 'content-security-policy': csp };
    if (type === 'text/javascript' || type === 'text/css') headers['access-control-allow-origin'] = '*';
    res.writeHead(200, headers);
    res.end(readFileSync(file));
  });
  return { ...s, pages: new Map(), url: `${s.origin}/app/`, fixtures };
}

/**
 * A course page that embeds `src` in an iframe and records every message from `sim` in
 * `window.received` (setting the frame's height on `resize`, as the README shows);
 * `window.send(m)` posts a command to the frame.
 */
export function hostPage(src: string, sim: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A lesson</title><link rel="icon" href="data:,"></head><body style="margin:0">
<h1>Lesson 3: retries</h1>
<iframe id="sim" title="mesh-sim: retries" sandbox="allow-scripts allow-same-origin" style="display:block;width:960px;height:300px;border:0"></iframe>
<script>
  const SIM = ${JSON.stringify(sim)};
  const frame = document.getElementById('sim');
  window.received = [];
  addEventListener('message', (e) => {
    if (e.origin !== SIM || e.source !== frame.contentWindow) return;
    received.push(e.data);
    if (e.data.type === 'resize') frame.style.height = e.data.height + 'px';
  });
  window.send = (m) => frame.contentWindow.postMessage(m, SIM);
  frame.src = ${JSON.stringify(src)};
</script></body></html>`;
}

export interface Received {
  source: string;
  version: number;
  type: string;
  [key: string]: unknown;
}

/** The messages the course page received so far. */
export function received(page: Page): Promise<Received[]> {
  return page.evaluate(() => (window as unknown as { received: Received[] }).received);
}

/** Waits until the course page has received a message of `type` matching `fields`, and returns it. */
export async function waitForMessage(page: Page, type: string, fields: Record<string, unknown> = {}): Promise<Received> {
  const handle = await page.waitForFunction(
    ([type, fields]) =>
      (window as unknown as { received: Received[] }).received.find((m) => m.type === type && Object.entries(fields).every(([k, v]) => m[k] === v)),
    [type, fields] as const,
  );
  return (await handle.jsonValue()) as Received;
}

/** The envelope of every message. */
export const ENV = { source: 'mesh-sim', version: 1 } as const;

export interface Lesson {
  page: Page;
  frame: Frame;
  /** Console errors, uncaught exceptions and CSP violations in the page or its frames. */
  problems: string[];
}

/** A new page that collects console errors, uncaught exceptions and CSP violations from all its frames. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await newTab(browser, { width: 1000, height: 900 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // The tab reports CSP violations in every frame as console errors (tabs.ts).
  return { page, problems };
}

/**
 * Opens a course page on `host` embedding `page` of the simulator (default `index.html`, with
 * `embed=1` put before `query`'s parameters) with `query`, `extra` HTML after the frame, and waits until the frame is done loading (ready or not).
 */
export async function openEmbed(
  browser: Browser,
  host: Origin,
  sim: SimOrigin,
  query: string,
  extra = '',
  simPage = 'index.html',
  before?: (page: Page) => void,
): Promise<Lesson> {
  const path = `/lesson-${host.pages.size}.html`;
  const url = query.startsWith('?') ? `${sim.url}${simPage}?embed=1&${query.slice(1)}` : `${sim.url}${simPage}?embed=1${query}`;
  host.pages.set(path, hostPage(url, sim.origin).replace('</body>', `${extra}</body>`));
  const { page, problems } = await watchedPage(browser);
  before?.(page);
  await page.goto(host.origin + path);
  const handle = await page.waitForSelector('iframe#sim');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForSelector('body[data-ready]');
  return { page, frame, problems };
}

/** The simulator's own account of where it is. */
export function simState(frame: Frame): Promise<{ scenario: string; mesh: string; meshes: string[]; timeMs: number; stepIndex: number; playing: boolean }> {
  return frame.evaluate(() => window.meshSim!.state()!);
}

/** Posts a command from the course page to the frame. */
export function send(page: Page, command: Record<string, unknown>): Promise<void> {
  return page.evaluate((m) => (window as unknown as { send(m: unknown): void }).send(m), { ...ENV, ...command });
}

/** A message the simulator's frame received: from which origin, and whether from its parent window. */
export interface Delivered {
  origin: string;
  fromParent: boolean;
}

/**
 * From now on the simulator's frame notes each message it receives, once its own listener has
 * handled it: listeners run in the order they were added (the simulator's was added before the
 * frame said it was ready), with the microtasks each queues run before the next. So a message
 * noted is a message the simulator has carried out or dropped; messages from different windows
 * arrive in no particular order, and only this says that one has.
 */
export function noteDelivered(frame: Frame): Promise<void> {
  return frame.evaluate(() => {
    const w = window as unknown as { delivered: Delivered[] };
    w.delivered = [];
    addEventListener('message', (e) => w.delivered.push({ origin: e.origin, fromParent: e.source === parent }));
  });
}

/** Waits until the frame has noted `count` messages from `origin` (from its parent window, or not). */
export async function waitDelivered(frame: Frame, origin: string, fromParent: boolean, count: number): Promise<void> {
  await frame.waitForFunction(
    ([origin, fromParent, count]) =>
      (window as unknown as { delivered: Delivered[] }).delivered.filter((d) => d.origin === origin && d.fromParent === fromParent).length >= count,
    [origin, fromParent, count] as const,
  );
}
