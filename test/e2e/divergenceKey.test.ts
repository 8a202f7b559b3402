/**
 * The divergence key (issue 12): in compare mode `d` moves the playhead to the next difference
 * between the panes and Shift+D to the previous one — from the start, `d` lands where the
 * "First divergence" marker on the timeline does. The differences expected are found here, in
 * Node, from the same runs (divergences), and the clock each should show from a Player of them.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { divergences } from '../../src/player/index.ts';
import { simulateFile } from '../helpers/library.ts';
import type { Trace } from '../../src/sim/index.ts';
import { clockAtEvent } from './clockAt.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, clock, frames, openApp } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const FILE = 'scenarios/retries-flaky-pod.yaml';

const trace = (mesh: string): Trace => simulateFile(FILE, mesh).trace;

/** Presses `key` with the focus on the page (not on a button or a field), and waits for the frame that draws it. */
async function press(page: Page, key: string): Promise<void> {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.keyboard.press(key);
  await frames(page);
}

describe('the divergence key', () => {
  // Two runs in the page and two here, and eleven key presses: 44-55 s alone under load ~20.
  it(
    'retries-flaky-pod, Istio and Linkerd side by side: d walks the differences in time order, Shift+D walks back, the first where the marker jumps',
    { timeout: 120_000 },
    async () => {
      const traces = [trace('istio'), trace('linkerd')];
      const expected = divergences(traces).map((d) => ({ ...d, clock: clockAtEvent(traces, d.pane, d.seq) }));
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd');

      // The marker, from the start.
      await press(page, 'Home');
      await page.getByRole('button', { name: /^First divergence at/ }).click();
      await frames(page);
      const byMarker = await appState(page);
      expect(await clock(page)).toBe(expected[0]!.clock.text);

      // d, from the start: the same moment.
      await press(page, 'Home');
      expect((await appState(page)).timeMs).toBe(0);
      await press(page, 'd');
      expect(await appState(page)).toMatchObject({ timeMs: byMarker.timeMs, stepIndex: byMarker.stepIndex, playing: false });

      // On to the next two, then back.
      const seen = [await appState(page)];
      for (const d of expected.slice(1, 3)) {
        await press(page, 'd');
        expect(await clock(page)).toBe(d.clock.text);
        seen.push(await appState(page));
      }
      expect(seen[1]!.stepIndex).toBeGreaterThan(seen[0]!.stepIndex);
      expect(seen[2]!.stepIndex).toBeGreaterThan(seen[1]!.stepIndex);
      await press(page, 'Shift+D');
      expect((await appState(page)).stepIndex).toBe(seen[1]!.stepIndex);
      await press(page, 'Shift+D');
      expect((await appState(page)).stepIndex).toBe(seen[0]!.stepIndex);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
