/**
 * A long run in the page (issue 11): the generated load of the benchmarks (test/bench/loadScenario.ts),
 * 20 services calling each other, opened by URL. The event list holds tens of thousands of steps
 * but only the rows in view exist in the DOM, and End scrolls to the last one; the list is taller
 * than its scrolled content may be (src/ui/listScroll.ts), so the scroll bar stands for the rows in
 * proportion while the wheel moves row by row, and its bottom reaches the last row; the export panel's
 * request picker finds a request late in the run by typing its id. Expected figures come from
 * simulating the same text here. The worker and the file's fetch begin before the app's modules
 * are fetched (the entry script's head start, src/ui/earlyStart.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Player, runScenario } from '../../src/player/index.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, openApp } from './harness.ts';
import { MAX_SCROLL_PX } from '../../src/ui/listScroll.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

// 10 simulated seconds at 400 requests/s: 4,000 requests.
const TEXT = loadScenarioYaml(20, 2, 400, 10);
const run = runScenario({ text: TEXT, file: 'long-run.yaml', mesh: 'istio' });
if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('; '));
const steps = new Player(run.trace).steps;
const requests = run.report.requests;

// 25 simulated seconds at 1,000 requests/s: long enough for the worker to send a preview first.
const LONGER = loadScenarioYaml(20, 2, 1000, 25);

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
  site.fixtures.set('long-run.yaml', TEXT);
  site.fixtures.set('longer-run.yaml', LONGER);
});

describe('a long run in the page', () => {
  it('simulates while the renderer starts, once, and draws its picture before the player has indexed the run, at the size it keeps', async () => {
    const page = await newTab(browser, { width: 1400, height: 860 });
    // In order: the worker's start, the renderer's first WebGL context, each message to the worker,
    // and at the first frame whether the page is ready to play and each canvas's size. As the
    // worker is made and the scenario fetched: the chunks the page has asked for by then.
    await page.addInitScript(() => {
      const seen: string[] = [];
      const early: Record<string, string[]> = {};
      Object.assign(window, { seen, early });
      // The chunks asked for so far: vite's preload helper links each chunk an import needs as it asks for it.
      const scriptsBesidesEntry = (): string[] => [...document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]')].map((e) => e.href);
      const fetch = window.fetch.bind(window);
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input instanceof Request ? input.url : input).includes('long-run.yaml')) early.fetch ??= scriptsBesidesEntry();
        return fetch(input, init);
      };
      const NativeWorker = window.Worker;
      window.Worker = class extends NativeWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          seen.push('worker');
          early.worker ??= scriptsBesidesEntry();
        }
        override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
          seen.push('message');
          super.postMessage(message, transfer as Transferable[]);
        }
      };
      const getContext = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, ...args: Parameters<typeof getContext>) {
        if (String(args[0]).startsWith('webgl') && !seen.includes('webgl')) seen.push('webgl');
        return getContext.apply(this, args);
      } as typeof getContext;
      const mark = performance.mark.bind(performance);
      performance.mark = (name: string, options?: PerformanceMarkOptions) => {
        if (name === 'mesh-sim:first-frame')
          seen.push(
            `first frame, ${document.body.dataset.ready === 'true' ? 'ready' : 'not ready'}, ${[...document.querySelectorAll<HTMLCanvasElement>('.stage canvas')].map((c) => `${c.width}×${c.height}`).join(' ')}`,
          );
        return mark(name, options);
      };
    });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${site.url}?scenarioUrl=/fixtures/long-run.yaml&mesh=istio`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);
    const { seen, early, sizes } = await page.evaluate(() => ({
      seen: (window as unknown as { seen: string[] }).seen,
      early: (window as unknown as { early: Record<string, string[]> }).early,
      sizes: [...document.querySelectorAll<HTMLCanvasElement>('.stage canvas')].map((c) => `${c.width}×${c.height}`).join(' '),
    }));
    // The worker first (its modules load while the file is fetched and the renderer starts), one
    // simulation asked of it, and the first frame drawn before the page is ready to play, at the
    // size the picture keeps.
    expect(seen.indexOf('worker')).toBeGreaterThanOrEqual(0);
    // Both begun by the entry script, before the app's modules are asked for: no chunk linked then
    // but the entry's own, in the page's HTML (src/ui/earlyStart.ts).
    const html = await (await page.request.get(site.url)).text();
    const entry = [...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => new URL(m[1]!, site.url).href);
    expect(entry.length).toBeGreaterThan(0);
    const besides = (links: string[] | undefined): string[] | undefined => links?.filter((href) => !entry.includes(href));
    expect({ worker: besides(early.worker), fetch: besides(early.fetch) }).toEqual({ worker: [], fetch: [] });
    expect(seen.indexOf('worker')).toBeLessThan(seen.indexOf('webgl'));
    expect(seen.filter((s) => s === 'message')).toEqual(['message']);
    expect(seen.filter((s) => s.startsWith('first frame'))).toEqual([`first frame, not ready, ${sizes}`]);
    expect(await page.evaluate(() => window.meshSim?.state()?.scenario)).toBe(run.ok && run.trace.scenario.id);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws a longer run's picture from its preview, before the run arrives, and the run's picture is the same", async () => {
    const page = await newTab(browser, { width: 1400, height: 860 });
    // In order: what the worker sends (a preview, the run) and the first frame, with the picture's
    // boxes as drawn then.
    await page.addInitScript(() => {
      const seen: string[] = [];
      const w = window as unknown as { seen: string[]; firstLayout: string };
      w.seen = seen;
      const NativeWorker = window.Worker;
      window.Worker = class extends NativeWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          // Before the runner's own listener: seen as it arrives.
          this.addEventListener('message', (e: MessageEvent<{ preview?: boolean }>) => seen.push(e.data.preview ? 'preview' : 'run'));
        }
      };
      const mark = performance.mark.bind(performance);
      performance.mark = (name: string, options?: PerformanceMarkOptions) => {
        if (name === 'mesh-sim:first-frame') {
          seen.push('first frame');
          w.firstLayout = JSON.stringify(window.meshSim?.layoutOnScreen() ?? null);
        }
        return mark(name, options);
      };
    });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${site.url}?scenarioUrl=/fixtures/longer-run.yaml&mesh=istio`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 55_000 });
    await frames(page);
    const { seen, firstLayout, layout } = await page.evaluate(() => {
      const w = window as unknown as { seen: string[]; firstLayout: string };
      return { seen: w.seen, firstLayout: w.firstLayout, layout: JSON.stringify(window.meshSim!.layoutOnScreen()) };
    });
    expect(seen).toEqual(['preview', 'first frame', 'run']);
    expect(JSON.parse(firstLayout)).not.toBeNull();
    // Not a box moved when the run replaced its preview. (The "more" tabs at the canvas's edges are
    // not the layout: they load the first time a picture goes past an edge, after the first frame.)
    const boxes = (json: string): unknown => ({ ...(JSON.parse(json) as object), more: undefined });
    expect(boxes(layout)).toEqual(boxes(firstLayout));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists its events with only the visible rows in the DOM, and scrolls to the last one', async () => {
    expect(steps.length).toBeGreaterThan(20_000);
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/long-run.yaml&mesh=istio');
    const list = page.getByRole('listbox', { name: 'Events' });
    await list.getByRole('option').first().waitFor();
    const rows = await list.getByRole('option').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(100);
    // The rows (24 px each) are taller than the list's scrolled content may be: its height stops
    // at the cap, and the scroll bar stands for every row in proportion.
    expect(steps.length * 24).toBeGreaterThan(MAX_SCROLL_PX * 1.3);
    const scroll = await list.evaluate((e) => ({ height: e.scrollHeight, view: e.clientHeight }));
    expect(scroll.height).toBeLessThanOrEqual(MAX_SCROLL_PX + 24);
    expect(scroll.height).toBeGreaterThan(MAX_SCROLL_PX - 24);
    // The row at the top of the view, by its id (`event-row-N` is row N).
    const topRow = (): Promise<number> =>
      list.evaluate((e) => {
        const top = e.getBoundingClientRect().top + e.clientTop + 0.5;
        const row = [...e.querySelectorAll('[role=option]')].find((r) => r.getBoundingClientRect().top <= top && r.getBoundingClientRect().bottom > top);
        return row ? Number(row.id.replace('event-row-', '')) : -1;
      });
    // Dragging the scroll bar to the bottom shows the last row, whole, at the bottom of the view.
    await list.evaluate((e) => e.scrollTo(0, e.scrollHeight));
    const lastRow = list.locator(`#event-row-${steps.length - 1}`);
    await lastRow.waitFor();
    const [box, viewBox] = [await lastRow.boundingBox(), await list.boundingBox()];
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewBox!.y + viewBox!.height + 1);
    expect(box!.y).toBeGreaterThan(viewBox!.y + viewBox!.height - 60);
    expect(await lastRow.innerText()).toContain(steps[steps.length - 1]!.text);
    // Halfway down the bar is halfway through the rows.
    await list.evaluate((e) => e.scrollTo(0, (e.scrollHeight - e.clientHeight) / 2));
    const half = Math.floor((steps.length * 24 - scroll.view) / 2 / 24);
    await page.waitForFunction((id) => document.getElementById(id) !== null, `event-row-${half}`);
    expect(Math.abs((await topRow()) - half)).toBeLessThanOrEqual(1);
    // The wheel moves the rows by its own distance: three rows down, not three scaled.
    const before = await topRow();
    const listBox = await list.boundingBox();
    await page.mouse.move(listBox!.x + listBox!.width / 2, listBox!.y + listBox!.height / 2);
    await page.mouse.wheel(0, 3 * 24);
    await expect.poll(topRow).toBe(before + 3);
    await list.focus();
    await page.keyboard.press('End');
    const last = steps[steps.length - 1]!;
    await list.locator('[aria-selected=true]').filter({ hasText: last.text }).waitFor();
    expect(await list.getByRole('option').count()).toBeLessThan(100);
    const at = await list.evaluate((e) => ({ top: e.scrollTop, max: e.scrollHeight - e.clientHeight }));
    expect(at.top).toBeGreaterThan(at.max - 100);
    // Enter jumps there: the step list says the last step is current.
    await page.keyboard.press('Enter');
    await list.locator('[aria-current=step]').filter({ hasText: last.text }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('finds a request late in the run by typing in the export panel, with no option per request', async () => {
    expect(requests.length).toBeGreaterThan(3_000);
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/long-run.yaml&mesh=istio');
    const exporter = page.locator('.export');
    await exporter.locator('summary').click();
    const picker = exporter.getByRole('listbox', { name: 'Request' });
    await picker.getByRole('option').first().waitFor();
    expect(await picker.getByRole('option').count()).toBeLessThan(40);
    expect(await page.locator('.export option').count()).toBe(0);
    const wanted = requests[requests.length - 7]!;
    await exporter.getByRole('searchbox', { name: 'Find a request' }).fill(wanted.id);
    await picker.getByRole('option', { name: new RegExp(`^${wanted.id} `) }).waitFor();
    expect(await picker.getByRole('option').count()).toBe(1);
    expect(await exporter.locator('.request-count').innerText()).toBe(`1 of ${requests.length} requests`);
    await picker.getByRole('option', { name: new RegExp(`^${wanted.id} `) }).click();
    await exporter.getByRole('button', { name: 'Draw sequence diagram' }).click();
    await exporter.getByRole('textbox', { name: 'Sequence diagram as Mermaid text' }).waitFor();
    expect(await exporter.getByRole('textbox', { name: 'Sequence diagram as Mermaid text' }).inputValue()).toContain(` — ${wanted.id} (istio)`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
