/**
 * The scrubber is in simulated time (issue 12): its thumb sits at the clock's share of the run,
 * whatever the number of steps before it. certificate-rotation at 20 h is where steps and time
 * differ most: under Istio the stopped control plane leaves thousands of CSR retries after it, under
 * Linkerd far fewer, so a step-counting bar put the same moment at different places.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, clock, frames, screenshotPixels } from './harness.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const HOUR_MS = 3_600_000;
/** certificate-rotation's `duration: 39h`. */
const DURATION_MS = 39 * HOUR_MS;

/**
 * The x of the scrubber thumb's centre in CSS pixels from the slider's left edge, read from a
 * screenshot: the thumb is the run of columns where the accent colour is taller than the track.
 */
async function thumbCentre(page: Page): Promise<number> {
  const slider = page.getByRole('slider', { name: 'Timeline' });
  const { width, height, data } = screenshotPixels(await slider.screenshot());
  const tall: number[] = [];
  for (let x = 0; x < width; x++) {
    let coloured = 0;
    for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 4;
      // Saturated blue (the thumb and the filled part of the track), not the grey track.
      if (data[i + 2]! - data[i]! > 80) coloured++;
    }
    tall.push(coloured);
  }
  const most = Math.max(...tall);
  const thumb = tall.flatMap((n, x) => (n >= most * 0.8 ? [x] : []));
  return (thumb[0]! + thumb[thumb.length - 1]! + 1) / 2;
}

describe('the scrubber', () => {
  const seen: Record<string, { time: number; steps: number }> = {};

  for (const mesh of ['istio', 'linkerd']) {
    it(`sits at time ÷ duration on certificate-rotation under ${mesh} at 20 h, however many steps lie before`, async () => {
      const page = await newTab(browser, { width: 1280, height: 800 });
      await page.goto(`${site.url}?scenario=certificate-rotation&mesh=${mesh}&t=${20 * HOUR_MS}`);
      await page.waitForSelector('body[data-ready=true]');
      await page.waitForFunction((t) => Math.abs(window.meshSim!.state()!.timeMs - t) < 60_000, 20 * HOUR_MS);
      await frames(page);
      const state = await appState(page);
      const slider = page.getByRole('slider', { name: 'Timeline' });
      const value = Number(await slider.inputValue());
      const max = Number(await slider.getAttribute('max'));
      expect(max).toBe(DURATION_MS);
      expect(value / max).toBeCloseTo(state.timeMs / DURATION_MS, 4);
      expect(value / max).toBeCloseTo(20 / 39, 2);
      expect(await slider.getAttribute('aria-valuetext')).toMatch(/^20 h 00 m \d\d\.\d{3} s of 39 h 00 m 00\.000 s$/);

      // Where the thumb is drawn: a range input's thumb centre runs from half a thumb in from the
      // left to half a thumb in from the right (16 px thumbs in Chromium).
      const box = (await slider.boundingBox())!;
      const x = await thumbCentre(page);
      expect(Math.abs(x - (8 + (20 / 39) * (box.width - 16)))).toBeLessThanOrEqual(3);

      const steps = await page.evaluate(() => window.meshSim!.state()!.stepIndex);
      const total = Number(/of (\d+)/.exec(await page.locator('.step-info').innerText())![1]);
      seen[mesh] = { time: value / max, steps: (steps + 1) / total };
      await page.close();
    });
  }

  it('puts the same moment at the same place under both meshes, where the share of steps differs', () => {
    expect(seen.istio!.time).toBeCloseTo(seen.linkerd!.time, 4);
    // The moment is where a step-counting bar would disagree with itself across meshes.
    expect(Math.abs(seen.istio!.steps - seen.linkerd!.steps)).toBeGreaterThan(0.1);
  });

  it('seeks to the time under the pointer: a click at 10 / 39 of the bar reads about 10 h', async () => {
    const page = await newTab(browser, { width: 1280, height: 800 });
    await page.goto(`${site.url}?scenario=certificate-rotation&mesh=istio`);
    await page.waitForSelector('body[data-ready=true]');
    const slider = page.getByRole('slider', { name: 'Timeline' });
    const box = (await slider.boundingBox())!;
    await page.mouse.click(box.x + 8 + (10 / 39) * (box.width - 16), box.y + box.height / 2);
    // One CSS pixel of a 39 h bar is about two minutes.
    await page.waitForFunction((t) => Math.abs(window.meshSim!.state()!.timeMs - t) < 0.01 * 39 * 3_600_000, 10 * HOUR_MS);
    // The clock is written with the next frame the page draws (a loaded machine's full run read it
    // a frame early: "0.000 s" with the player already at 10 h).
    await expect.poll(() => clock(page), { timeout: 10_000 }).toMatch(/^(9 h 5\d|10 h 0\d) m /);
    await page.close();
  });
  // Session 38: circuit-breaking-pool opened at 0 s, its first request's link read "1000/s" (one
  // request over the 1 ms there had been); dragged to 1.5 s, the tag kept "1000/s" where opening
  // the link at 1.5 s reads "1/s" — the tags were redrawn when a link's counts changed, and within
  // the first second the rate moves while the counts stay.
  it("redraws a link's rate where the timeline is dragged: the tags read as the same moment opened by its link", async () => {
    const tags = async (page: Page): Promise<string[]> => (await page.evaluate(() => window.meshSim!.tagsOnScreen())).map((t) => t.text).sort();
    const page = await newTab(browser, { width: 1280, height: 800 });
    await page.goto(`${site.url}?scenario=circuit-breaking-pool&mesh=istio&t=0`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);
    const atStart = await tags(page);
    await page.getByRole('slider', { name: 'Timeline' }).fill('1500');
    await page.waitForFunction(() => window.meshSim!.state()!.timeMs === 1500);
    await frames(page);
    const dragged = await tags(page);
    await page.goto(`${site.url}?scenario=circuit-breaking-pool&mesh=istio&t=1500`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);
    const opened = await tags(page);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened).not.toEqual(atStart);
    expect(dragged).toEqual(opened);
    await page.close();
  });
});
