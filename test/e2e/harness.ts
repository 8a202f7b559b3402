/**
 * Opening the app in a page and reading it the way a learner would: the clock, the canvas, the
 * inspector. Collects console errors, page errors and CSP violations so tests can assert none.
 */
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { Site } from './site.ts';
import { newTab } from './tabs.ts';

export interface AppPage {
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  /** Alerts or other dialogs the page opened (there must be none). */
  dialogs: string[];
}

/**
 * Opens the app with `query` in a window of `viewport` (1400×860) and waits until it has drawn its
 * first view — up to `readyTimeout` (55 s, inside a test's 60 s: a page of several compare panes
 * takes 35–45 s under load). `beforeScripts` runs in the page before any of its own scripts (to
 * watch what the page does from its start).
 */
export async function openApp(
  browser: Browser,
  site: Site,
  query = '',
  options: { reducedMotion?: boolean; readyTimeout?: number; viewport?: { width: number; height: number }; beforeScripts?: () => void } = {},
): Promise<AppPage> {
  const page = await newTab(browser, options.viewport ?? { width: 1400, height: 860 });
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // The tab reports CSP violations as console errors (tabs.ts).
  if (options.beforeScripts) await page.addInitScript(options.beforeScripts);
  if (options.reducedMotion) await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(site.url + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: options.readyTimeout ?? 55_000 });
  await frames(page);
  return { page, problems, dialogs };
}

/** The window most picture tests look at. */
export const PICTURE_WINDOW = { width: 1280, height: 800 };

/**
 * Opens the app with `query` in a 1280×800 window, once its picture is laid out and drawn. Opened
 * at that size, not resized to it: a resize lays the picture out and draws it a second time (in
 * software WebGL, the still scene's texture too), about a tenth of an opening.
 */
export async function openPicture(browser: Browser, site: Site, query: string): Promise<AppPage> {
  const app = await openApp(browser, site, query, { viewport: PICTURE_WINDOW });
  await app.page.waitForFunction(() => window.meshSim!.layoutOnScreen() !== null);
  await frames(app.page);
  return app;
}

/** Waits for two animation frames, so that the last change is drawn. */
export async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/**
 * Steps forward as a learner does — clicks Step forward, or with `key` presses → (the page's
 * shortcut: src/ui/keyboard.ts) — and waits until the next step is drawn. A walk of many steps
 * presses the key after its first click: playwright's click checks the button is visible, stable
 * and hit first, ~70 ms a step more on two slow cores (session 38: 157 against 87 ms a step).
 */
export async function stepForward(page: Page, how: { key?: boolean } = {}): Promise<void> {
  const before = (await page.evaluate(() => window.meshSim!.state()))!.stepIndex;
  if (how.key) await page.keyboard.press('ArrowRight');
  else await page.getByRole('button', { name: 'Step forward' }).click();
  await page.waitForFunction((b) => window.meshSim!.state()!.stepIndex !== b, before);
  await frames(page);
}

export function clock(page: Page): Promise<string> {
  return page.getByLabel('Simulation time').innerText();
}

/**
 * A PNG of one stage's picture (`stage`, or a compare pane's `stage-N`), taken with the frame's
 * rounded corners squared for the shot: the compositor clips the canvas to them, and its
 * antialiasing of the clip varies by a level between two openings of the same view (seen: one
 * pixel at the bottom-left corner, blue 234 against 233, in 3 of 8 pairs of openings of
 * hello-mesh), which made tests that compare two settled pictures fail now and then.
 */
export function stageShot(page: Page, stage = 'stage'): Promise<Buffer> {
  return page.locator(`[data-testid=${stage}] canvas`).screenshot({ style: '.stage-wrap { border-radius: 0 !important; }' });
}

/** A PNG of the mesh picture, after the last change is drawn. */
export async function canvasShot(page: Page): Promise<Buffer> {
  await frames(page);
  return stageShot(page);
}

/** How many pixels of the mesh picture (of `stage`, a compare pane's test id) differ from its background colour. */
export function paintedPixels(page: Page, stage = 'stage'): Promise<number> {
  return page.evaluate((id) => {
    const source = document.querySelector<HTMLCanvasElement>(`[data-testid=${id}] canvas`)!;
    const c = document.createElement('canvas');
    c.width = source.width;
    c.height = source.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const [r, g, b] = [data[0]!, data[1]!, data[2]!];
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) > 30) n++;
    return n;
  }, stage);
}

/**
 * A screenshot's pixels, RGBA row by row: what a learner sees in that PNG. Decoded here, not by the
 * page: handing the page's decoded pixels back through the browser's protocol cost 12.8 s for a
 * 838×424 shot (a number at a time), the decoding here a few milliseconds.
 */
export function screenshotPixels(png: Buffer): { width: number; height: number; data: Uint8Array } {
  const { width, height, data } = PNG.sync.read(png);
  return { width, height, data };
}

/** The app's own account of where it is. */
export function appState(page: Page): Promise<{ scenario: string; mesh: string; meshes: string[]; timeMs: number; stepIndex: number; playing: boolean }> {
  return page.evaluate(() => window.meshSim!.state()!);
}

/** The text of the metrics row for `service`. */
export function metricsRow(page: Page, service: string): Promise<string> {
  return page
    .locator('.metrics tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${service}$`) }) })
    .innerText();
}

/** A box on the screen in CSS px, as the page's `*OnScreen` queries report it. */
export type Rect = { x: number; y: number; w: number; h: number };

/** Whether two boxes share more than `slack` px in both directions. */
export function overlaps(a: Rect, b: Rect, slack = 0): boolean {
  return a.x < b.x + b.w - slack && b.x < a.x + a.w - slack && a.y < b.y + b.h - slack && b.y < a.y + a.h - slack;
}

/** Whether box `a` lies inside box `b`, give or take `slack` px. */
export function inside(a: Rect, b: Rect, slack = 1): boolean {
  return a.x >= b.x - slack && a.y >= b.y - slack && a.x + a.w <= b.x + b.w + slack && a.y + a.h <= b.y + b.h + slack;
}
