/**
 * Going from one library scenario to the next in one page, as a learner goes from lesson to lesson:
 * the scenario picked from the Scenario list, the Timeline dragged to the moment. Seen to draw
 * exactly what opening each by its link draws — every pane's labels (words, size, place), boxes,
 * cards, the step's rings — for every library scenario under each mesh it is written for and in
 * compare mode (session 38), in about half the time of a navigation (0.47–0.68 s against 0.9–1.2
 * on two slow cores): a navigation loads the scripts and makes the WebGL context and the worker
 * again.
 */
import { afterAll, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { PICTURE_WINDOW, frames, openApp } from './harness.ts';

/** Picks `id` from the Scenario list and drags the Timeline to `timeMs`; waits until it is drawn (`panes`: compare's pane count). */
export async function pickScenario(page: Page, id: string, timeMs: number, panes = 1): Promise<void> {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(id);
  await page.waitForFunction(
    ([s, n]) => {
      const state = window.meshSim!.state();
      return state?.scenario === s && state.meshes.length === n && window.meshSim!.layoutOnScreen(n - 1) !== null;
    },
    [id, panes] as const,
    { timeout: 90_000 },
  );
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(timeMs));
  await page.waitForFunction((t) => window.meshSim!.state()!.timeMs === t, timeMs);
  await frames(page);
}

/**
 * One 1280×800 tab the tests of a file take in turn, each showing its library scenario in it: the
 * first test (and the first after one that failed, which may have left the page anywhere) opens
 * it by link, the others pick it ({@link pickScenario}). Closed after the file's tests.
 */
export function libraryTab(get: () => { browser: Browser; site: Site }): {
  show(id: string, mesh: string, timeMs: number, panes?: number): Promise<Page>;
} {
  let tab: Page | undefined;
  afterAll(async () => {
    await tab?.close();
  });
  return {
    async show(id, mesh, timeMs, panes = 1) {
      onTestFailed(async () => {
        const failed = tab;
        tab = undefined;
        await failed?.close();
      });
      if (tab && (await tab.evaluate(() => window.meshSim?.state()?.mesh ?? null)) === mesh) {
        await pickScenario(tab, id, timeMs, panes);
        return tab;
      }
      await tab?.close();
      const { browser, site } = get();
      // Two runs of a big scenario take a while on a loaded machine.
      tab = (await openApp(browser, site, `?scenario=${id}&mesh=${mesh}&t=${timeMs}`, { viewport: PICTURE_WINDOW, readyTimeout: 90_000 })).page;
      await tab.waitForFunction((n) => window.meshSim?.state()?.meshes.length === n, panes, { timeout: 90_000 });
      await frames(tab);
      return tab;
    },
  };
}
