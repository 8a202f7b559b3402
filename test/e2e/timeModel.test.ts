/**
 * Issue 12's time model, driven as a learner drives it:
 * - the scrubber's density strip is taller where the run has more events (certificate-rotation's
 *   CSR retries from 24 h, retry-storm's peak), empty where it has none — read back from the
 *   strip's pixels and set against the trace's events at each pixel's time;
 * - a folded run in the event list ("CSR (agent → istiod) ×1318, 24 h …") opens with → or a click
 *   on its ▸ and lists its events, one of which Enter jumps to, and closes with ← or a click;
 * - D and Shift+D in compare mode land on the next and previous divergence mark's moment;
 * - ×10 plays a 10 s scenario to its end (how long that takes is the Player's unit test
 *   test/player/speed.test.ts; tests do not time things).
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, clock, frames, openApp } from './harness.ts';
import { clockAtEvent } from './clockAt.ts';
import { readFileSync } from 'node:fs';
import { Player, divergences, formatClock, runScenario } from '../../src/player/index.ts';
import type { Trace } from '../../src/sim/index.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

function traceOf(scenario: string, mesh: string): Trace {
  const file = `scenarios/${scenario}.yaml`;
  const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!run.ok) throw new Error(`${file} under ${mesh}`);
  return run.trace;
}

/** The density strip as drawn: per pixel column of the bar, how tall its bar is (covered pixels, partly covered ones in part). */
async function stripHeights(page: Page): Promise<{ heights: number[]; width: number; height: number }> {
  await page.waitForFunction(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=density]');
    return (
      !!c &&
      c.width > 0 &&
      c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.some((v) => v > 0)
    );
  });
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=density]')!;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const heights: number[] = [];
    for (let x = 0; x < c.width; x++) {
      let covered = 0;
      for (let y = 0; y < c.height; y++) covered += data[(y * c.width + x) * 4 + 3]! / 255;
      heights.push(covered);
    }
    return { heights, width: c.clientWidth, height: c.clientHeight };
  });
}

/** Events per pixel column of a bar `width` px wide (8 px inset each side, as the scrubber's thumb travels), time proportional. */
function eventsPerColumn(trace: Trace, width: number): number[] {
  const span = width - 16;
  const counts: number[] = Array.from({ length: width }, () => 0);
  for (const e of trace.events) counts[8 + Math.min(span, Math.floor((e.t / trace.durationMs) * span))]!++;
  return counts;
}

describe('the density strip under the scrubber', () => {
  for (const [scenario, busy] of [
    ['certificate-rotation', 'the CSR retries from 24 h'],
    ['retry-storm', 'the storm’s peak'],
  ] as const)
    it(`is taller where ${scenario} has more events (${busy}), and empty where it has none`, { timeout: 120_000 }, async () => {
      const trace = traceOf(scenario, 'istio');
      const { page, problems } = await openApp(browser, site, `?scenario=${scenario}&mesh=istio`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await frames(page);
      const { heights, width, height } = await stripHeights(page);
      const counts = eventsPerColumn(trace, width);
      const columns = counts.map((c, x) => ({ x, c, h: heights[x] ?? 0 }));
      // Drawn exactly where there are events.
      for (const { x, c, h } of columns) expect(h > 0.5, `column ${x}: ${c} events, bar ${h.toFixed(1)} px`).toBe(c > 0);
      // More events, a taller bar (half a pixel of antialiasing aside).
      const busyOnes = columns.filter((k) => k.c > 0).sort((a, b) => a.c - b.c);
      for (let i = 1; i < busyOnes.length; i++)
        if (busyOnes[i]!.c > busyOnes[i - 1]!.c)
          expect(busyOnes[i]!.h, `${busyOnes[i]!.c} vs ${busyOnes[i - 1]!.c} events`).toBeGreaterThanOrEqual(busyOnes[i - 1]!.h - 0.5);
      // The busiest column reaches the top of the strip.
      expect(busyOnes.at(-1)!.h).toBeGreaterThan(height - 1);
      if (scenario === 'certificate-rotation') {
        // From 24 h to 35 h the CA is down and CSRs are retried: a solid band, above the quiet hours before it.
        const x = (hours: number): number => 8 + Math.floor(((hours * 3_600_000) / trace.durationMs) * (width - 16));
        const band = columns.slice(x(24) + 1, x(35));
        const quiet = columns.slice(x(2), x(20));
        const mean = (l: { h: number }[]): number => l.reduce((a, k) => a + k.h, 0) / l.length;
        expect(band.every((k) => k.h > 0.5)).toBe(true);
        expect(mean(band)).toBeGreaterThan(mean(quiet));
      } else {
        // The storm's peak: the tallest bar is at the second with the most events.
        const peak = busyOnes.at(-1)!;
        expect(columns.filter((k) => k.h > peak.h - 0.5).map((k) => k.c)).toContain(Math.max(...counts));
      }
      expect(problems).toEqual([]);
      await page.close();
    });
});

describe('a folded run in the event list', () => {
  it('opens with → and with a click on its ▸, lists its events (Enter jumps to one), and closes with ← and a click', { timeout: 120_000 }, async () => {
    const trace = traceOf('certificate-rotation', 'istio');
    const player = new Player(trace);
    // The longest fold: the CSR retries while istiod is down.
    const fold = [...player.steps]
      .filter((s) => s.fold)
      .sort((a, b) => player.timelines[0]!.foldSteps(b.fold!, 0).length - player.timelines[0]!.foldSteps(a.fold!, 0).length)[0]!;
    const inner = player.timelines[0]!.foldSteps(fold.fold!, 0);
    expect(fold.text).toMatch(/^CSR .*×\d+, 24 h/);
    const { page, problems } = await openApp(browser, site, `?scenario=certificate-rotation&mesh=istio&t=${fold.timeMs}`);
    expect((await appState(page)).stepIndex).toBe(fold.index);
    const list = page.getByRole('listbox', { name: 'Events' });
    const row = list.locator('.event[aria-current=step]');
    expect(await row.getAttribute('title')).toBe(fold.text);
    expect(await row.getAttribute('aria-expanded')).toBe('false');
    const innerRows = list.locator('.event.inner');
    expect(await innerRows.count()).toBe(0);
    // The keyboard: the list's active row is the current one; → opens it.
    await list.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => row.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => innerRows.count()).toBeGreaterThan(3);
    const titles = await innerRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('title')));
    expect(titles).toEqual(inner.slice(0, titles.length).map((s) => s.text));
    // Into the fold, to its first event at a later moment than the fold's start; Enter goes there.
    const k = inner.findIndex((s) => formatClock(s.timeMs) !== formatClock(fold.timeMs));
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThan(titles.length);
    for (let i = 0; i <= k; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => clock(page)).toBe(clockAtEvent([trace], 0, inner[k]!.seq).text);
    // Back on the fold's row, ← closes it.
    for (let i = 0; i <= k; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    const foldRow = list.locator('.event[aria-expanded]', { hasText: fold.text.slice(0, 30) });
    await expect.poll(() => foldRow.getAttribute('aria-expanded')).toBe('false');
    expect(await innerRows.count()).toBe(0);
    // The mouse: a click on ▸ opens, on ▾ closes.
    await foldRow.locator('.fold-toggle').click();
    await expect.poll(() => foldRow.getAttribute('aria-expanded')).toBe('true');
    expect(await foldRow.locator('.fold-toggle').innerText()).toBe('▾');
    await expect.poll(() => innerRows.count()).toBeGreaterThan(3);
    await foldRow.locator('.fold-toggle').click();
    await expect.poll(() => foldRow.getAttribute('aria-expanded')).toBe('false');
    expect(await innerRows.count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('D in compare mode', () => {
  it(
    'lands on the next divergence mark’s moment, and Shift+D on the previous one (retries-flaky-pod, Istio 1.23 | Linkerd)',
    { timeout: 120_000 },
    async () => {
      const traces = [traceOf('retries-flaky-pod', 'istio'), traceOf('retries-flaky-pod', 'linkerd')];
      const player = new Player(traces);
      // Each mark's moment in show time, in order (marks at one moment are one stop).
      const marks = divergences(traces)
        .map((d) => ({ ...d, showMs: player.timelines[d.pane]!.show.eventShow[d.seq]! }))
        .sort((a, b) => a.showMs - b.showMs)
        .filter((d, i, all) => i === 0 || d.showMs > all[i - 1]!.showMs);
      expect(marks.length).toBeGreaterThanOrEqual(3);
      const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd');
      expect(await page.locator('.marks .mark').count()).toBe(divergences(traces).length);
      const expected = marks.slice(0, 3).map((m) => clockAtEvent(traces, m.pane, m.seq).text);
      for (const text of expected) {
        await page.keyboard.press('d');
        await expect.poll(() => clock(page)).toBe(text);
      }
      await page.keyboard.press('D');
      await expect.poll(() => clock(page)).toBe(expected[1]);
      expect((await appState(page)).playing).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});

describe('×10', () => {
  it('plays a 10 s scenario on to its end', { timeout: 120_000 }, async () => {
    site.fixtures.set(
      'ten-seconds.yaml',
      'id: ten-seconds\ntitle: Ten seconds\nduration: 10s\nservices:\n  - name: web\n  - name: reviews\n    replicas: 2\ntraffic:\n  - { from: web, to: reviews, rate: 10/s }\n',
    );
    // From 8.5 s: the last 1.5 s of the run (the whole run's pace is the unit test's; a loaded machine draws slowly).
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/ten-seconds.yaml&mesh=istio&t=8500');
    expect(await clock(page)).toBe('8.500 s');
    await page.getByLabel('Speed').selectOption('10');
    await page.getByRole('button', { name: 'Play' }).click();
    // To the end, by itself: the clock reads the run's length and play stopped there. (Not a look
    // at \`playing\` first: 1.5 s at ×10 may be over before the test looks, as embedElement's was.)
    await page.waitForFunction(() => !window.meshSim!.state()!.playing && window.meshSim!.state()!.timeMs >= 10_000, undefined, { timeout: 100_000 });
    expect(await clock(page)).toBe('10.000 s');
    const steps = await page.locator('.step-info').innerText();
    const [, at, of] = /step (\d+) of (\d+)/.exec(steps)!;
    expect(at).toBe(of);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the fast-forward note', () => {
  it(
    'keeps the length whole when the transport bar is short of room, and says it in full when there is room (certificate-rotation at 17 h 33 m)',
    { timeout: 120_000 },
    async () => {
      const { page, problems } = await openApp(browser, site, '?scenario=certificate-rotation&mesh=istio&t=63180000');
      // The width a laptop gives it: the clock reads "17 h 33 m 00.000 s" and the step count is long.
      await page.setViewportSize({ width: 1280, height: 800 });
      const note = page.locator('.fast-forward');
      await note.waitFor({ state: 'visible' });
      const full = (await note.getAttribute('title'))!;
      const what = /^» fast-forwarding (.+)$/.exec(full)![1]!;
      // Nothing of what it shows is cut, and the length of the fast-forward is there.
      await expect.poll(() => note.evaluate((n) => n.scrollWidth <= n.clientWidth)).toBe(true);
      expect([full, `» ${what}`]).toContain(await note.innerText());
      // With room, the whole sentence.
      await page.setViewportSize({ width: 1900, height: 800 });
      await expect.poll(() => note.innerText()).toBe(full);
      expect(await note.evaluate((n) => n.scrollWidth <= n.clientWidth)).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
