/**
 * The page's first frame (issue 11): the picture at the asked time is drawn before the side panels
 * are filled — it does not wait for them — and it is the picture the page keeps, not a blank or
 * partial canvas: each pane's canvas as first rendered is, pixel for pixel, the canvas once the
 * page is ready and settled. On the way there the page makes one WebGL context per pane, each on
 * its canvas at the size its picture is drawn at (making a context, or resizing its canvas, is a
 * round trip to the GPU process that reallocates its buffers: tenths of a second in software
 * WebGL), and builds no `Intl.Segmenter` (pixi.js builds one as it loads; build/pixiLean.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { frames } from './harness.ts';
import { siteAndBrowser } from './siteAndBrowser.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';
import { newTab } from './tabs.ts';

// Over 20,000 requests: the worker sends the run's start first (player/parse.ts), its picture drawn
// while the rest simulates, on a canvas made while the worker began (App.open).
const e2e = siteAndBrowser((site) => site.fixtures.set('load.yaml', loadScenarioYaml(20, 2, 1000, 21)));

/** A new page recording, at each pane's first frame, what the test checks (window.firsts). */
async function watchedPage(): Promise<Page> {
  const page = await newTab(e2e.browser, { width: 1400, height: 860 });
  // At each pane's first frame (performance.mark, called as its picture is rendered): how many
  // rows the Events list has, and every canvas's pixels (the drawing buffer is preserved).
  // Before then: the WebGL contexts made, the resizes of a canvas that has one, the segmenters built.
  await page.addInitScript(() => {
    const firsts: { rows: number; canvases: string[]; contexts: number; resizes: string[]; segmenters: number }[] = [];
    (window as unknown as { firsts: typeof firsts }).firsts = firsts;
    const withContext = new Set<HTMLCanvasElement>();
    const resizes: string[] = [];
    let segmenters = 0;
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, options?: unknown) {
      const context = (getContext as (this: HTMLCanvasElement, type: string, options?: unknown) => RenderingContext | null).call(this, type, options);
      if (context && type.startsWith('webgl')) withContext.add(this);
      return context;
    } as typeof getContext;
    for (const side of ['width', 'height'] as const) {
      const { get, set } = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, side)!;
      Object.defineProperty(HTMLCanvasElement.prototype, side, {
        configurable: true,
        get,
        set(this: HTMLCanvasElement, value: number) {
          if (withContext.has(this) && get!.call(this) !== value) resizes.push(`${side} ${get!.call(this)} → ${value}`);
          set!.call(this, value);
        },
      });
    }
    const Segmenter = Intl.Segmenter;
    Object.defineProperty(Intl, 'Segmenter', {
      configurable: true,
      writable: true,
      value: class extends Segmenter {
        constructor(...args: ConstructorParameters<typeof Segmenter>) {
          super(...args);
          segmenters++;
        }
      },
    });
    const mark = performance.mark.bind(performance);
    performance.mark = (name: string, options?: PerformanceMarkOptions) => {
      if (name === 'mesh-sim:first-frame')
        firsts.push({
          rows: document.querySelectorAll('[role=listbox][aria-label=Events] [role=option]').length,
          canvases: [...document.querySelectorAll<HTMLCanvasElement>('.stage canvas')].map((c) => c.toDataURL()),
          contexts: withContext.size,
          resizes: [...resizes],
          segmenters,
        });
      return mark(name, options);
    };
  });
  return page;
}

describe('the first frame', () => {
  it.each(['', '?scenario=retries-flaky-pod&mesh=istio&t=5232', '?scenario=retry-storm&mesh=compare'])(
    'is the picture at the asked time, drawn before the panels are filled (%s)',
    async (query) => {
      const page = await watchedPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(e2e.site.url + query);
      await page.waitForSelector('body[data-ready=true]');
      await frames(page);
      await frames(page);
      const { firsts, now, rows } = await page.evaluate(() => ({
        firsts: (window as unknown as { firsts: { rows: number; canvases: string[]; contexts: number; resizes: string[]; segmenters: number }[] }).firsts,
        now: [...document.querySelectorAll<HTMLCanvasElement>('.stage canvas')].map((c) => c.toDataURL()),
        rows: document.querySelectorAll('[role=listbox][aria-label=Events] [role=option]').length,
      }));
      // One first frame per pane, each before the Events list had a row (it has them now).
      expect(firsts).toHaveLength(now.length);
      expect(firsts.map((f) => f.rows)).toEqual(now.map(() => 0));
      expect(rows).toBeGreaterThan(0);
      // Pane i's canvas as its first frame left it is the canvas now.
      firsts.forEach((f, i) => expect(f.canvases[i] === now[i], `pane ${i}'s first frame is its picture`).toBe(true));
      // Up to the last pane's first frame: a context per pane, none resized, no segmenter.
      const last = firsts.at(-1)!;
      expect({ contexts: last.contexts, resizes: last.resizes, segmenters: last.segmenters }).toEqual({ contexts: now.length, resizes: [], segmenters: 0 });
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('of a long run by URL is drawn on the canvas made while the worker simulated, at the size it was made', async () => {
    const page = await watchedPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${e2e.site.url}?scenarioUrl=/fixtures/load.yaml&mesh=istio`);
    await page.waitForSelector('body[data-ready=true]');
    const firsts = await page.evaluate(() => (window as unknown as { firsts: { rows: number; contexts: number; resizes: string[] }[] }).firsts);
    // The run's start drawn before the Events list had a row, on its one canvas, not resized: the
    // page around it kept its size when the run brought its title (the file's name held the row).
    expect(firsts.map((f) => ({ rows: f.rows, contexts: f.contexts, resizes: f.resizes }))).toEqual([{ rows: 0, contexts: 1, resizes: [] }]);
    expect(await page.locator('h2.scenario-title').innerText()).toBe('Generated load');
    expect(problems).toEqual([]);
    await page.close();
  });
});
