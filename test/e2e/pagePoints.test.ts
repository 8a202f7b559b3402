/**
 * Issue 12's smaller points of the page, driven as a learner would:
 * - the header shows the release picker of the mesh on screen only (one per pane's mesh in
 *   compare mode), each labelled with its mesh — Istio mode showed Istio ambient's picker too,
 *   Linkerd on locality-failover showed "Istio 1.30";
 * - the event list's times only go forward and match the clock on the current step (retry-storm
 *   under Istio at 2 s read 2.000, 1.923, 2.000, 1.930: steps go in show order, and a step
 *   playing behind its conversation showed its own, earlier, time);
 * - the authoring view's mesh buttons keep each label on one line at 1280 px;
 * - N / Shift+N and B jump to the next and previous narration line and the next breakpoint moment.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, clock, frames, openApp } from './harness.ts';
import { readFileSync } from 'node:fs';
import { Player, breakpointOf, runScenario } from '../../src/player/index.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** The release pickers shown in the header: each one's label and the option it shows. */
const pickersShown = (page: Page): Promise<string[]> =>
  page
    .locator('.top .release-picker select')
    .evaluateAll((selects) =>
      (selects as HTMLSelectElement[])
        .filter((s) => s.checkVisibility())
        .map((s) => `${s.getAttribute('aria-label')}: ${s.selectedOptions[0]?.textContent ?? ''}`),
    );

const meshButton = (page: Page, name: string) => page.getByRole('group', { name: 'Mesh' }).getByRole('button', { name, exact: true });

/** Seconds in a clock reading under a minute ("1.923 s"). */
const seconds = (text: string): number => {
  const m = /^(\d+\.\d{3}) s$/.exec(text.trim());
  if (!m) throw new Error(`not a clock under a minute: ${text}`);
  return Number(m[1]);
};

describe('the page’s smaller points', () => {
  it('shows the release picker of the mesh on screen only, labelled with that mesh; compare shows one per pane’s mesh', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=ambient-policy-closes-connections&mesh=istio');
    expect(await pickersShown(page)).toEqual(['Istio release: Istio 1.30 (current)']);
    await meshButton(page, 'Istio ambient').click();
    await page.waitForFunction(() => window.meshSim?.state()?.mesh === 'ambient');
    await frames(page);
    expect(await pickersShown(page)).toEqual(['Istio ambient release: Istio ambient 1.30 (current)']);
    await meshButton(page, 'Compare').click();
    await page.waitForFunction(() => window.meshSim?.state()?.meshes.length === 2);
    await frames(page);
    expect(await pickersShown(page)).toEqual(['Istio release: Istio 1.30 (current)', 'Istio ambient release: Istio ambient 1.30 (current)']);
    expect(problems).toEqual([]);
    await page.close();

    // Linkerd is modelled at one release: nothing to pick, and no other mesh's picker instead.
    const linkerd = await openApp(browser, site, '?scenario=locality-failover&mesh=linkerd');
    expect((await appState(linkerd.page)).meshes).toEqual(['linkerd']);
    expect(await pickersShown(linkerd.page)).toEqual([]);
    expect(await linkerd.page.locator('header.top').innerText()).not.toMatch(/Istio \d/);
    expect(linkerd.problems).toEqual([]);
    await linkerd.page.close();
  });

  it('lists events with times that only go forward, the current row’s time the clock’s, while stepping through the retry storm', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retry-storm&mesh=istio&t=2000');
    let last = -1;
    for (let press = 0; press < 12; press++) {
      if (press > 0) {
        const before = (await appState(page)).stepIndex;
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction((b) => (window.meshSim?.state()?.stepIndex ?? b) > b, before);
        // The panels follow the player in the page's frame loop.
        await frames(page);
      }
      const times = (await page.locator('.events .event:not(.inner) .event-time').allInnerTexts()).map(seconds);
      expect(times.length).toBeGreaterThan(5);
      for (let i = 1; i < times.length; i++) expect(times[i], `rows ${times.join(', ')}`).toBeGreaterThanOrEqual(times[i - 1]!);
      const current = await page.locator('.event[aria-current=step] .event-time').innerText();
      expect(await clock(page)).toBe(current);
      expect(seconds(current)).toBeGreaterThanOrEqual(last);
      last = seconds(current);
    }
    expect(last).toBeGreaterThanOrEqual(2);
    // A row shown after the clock passed its own time says when it happened.
    const late = page.locator('.events .event-time[title^="Happened at 1.9"]');
    expect(await late.count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps each mesh button’s label on one line in the authoring view at 1280 px, inside the preview', async () => {
    const { page, problems } = await openApp(browser, site, '?author=1&scenario=retries-flaky-pod');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.author[data-state]').waitFor();
    await frames(page);
    const m = await page.evaluate(() => {
      const preview = document.querySelector('.author-preview')!.getBoundingClientRect();
      const buttons = [...document.querySelectorAll<HTMLElement>('.author-preview .mesh-switch button')];
      return {
        preview: { left: preview.left, right: preview.right },
        buttons: buttons.map((b) => {
          const r = b.getBoundingClientRect();
          return {
            text: b.textContent,
            top: r.top,
            left: r.left,
            right: r.right,
            height: r.height,
            line: parseFloat(getComputedStyle(b).lineHeight) || 1.2 * parseFloat(getComputedStyle(b).fontSize),
          };
        }),
      };
    });
    expect(m.buttons.length).toBeGreaterThanOrEqual(6);
    for (const b of m.buttons) {
      // One line of text (a wrapped label made the button two lines tall), in one row.
      expect(b.height, b.text ?? '').toBeLessThan(2 * b.line);
      expect(b.top, b.text ?? '').toBe(m.buttons[0]!.top);
      expect(b.left).toBeGreaterThanOrEqual(m.preview.left);
      expect(b.right).toBeLessThanOrEqual(m.preview.right);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the authoring header on one line at 1280 px, "Download lesson" included, every label whole', async () => {
    const { page, problems } = await openApp(browser, site, '?author=1&scenario=retries-flaky-pod');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.author[data-state]').waitFor();
    await frames(page);
    const items = await page.locator('.author-top > *').evaluateAll((nodes) =>
      nodes.map((n) => {
        const r = n.getBoundingClientRect();
        const s = n.querySelector('select') ?? n;
        return {
          text: (n.textContent ?? '').slice(0, 24),
          mid: r.top + r.height / 2,
          left: r.left,
          right: r.right,
          clipped: n.tagName === 'BUTTON' && n.scrollWidth > n.clientWidth,
          width: s.getBoundingClientRect().width,
        };
      }),
    );
    expect(items.map((i) => i.text)).toContain('Download lesson');
    for (const i of items) {
      // One row: every control's middle within a few px of the title's (a wrapped one was 37 px lower).
      expect(Math.abs(i.mid - items[0]!.mid), i.text).toBeLessThan(8);
      expect(i.right, i.text).toBeLessThanOrEqual(1280);
      expect(i.clipped, i.text).toBe(false);
      // A picker that gave up width still shows a readable part of its choice.
      expect(i.width, i.text).toBeGreaterThan(80);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('jumps to the next and previous narration line with N and Shift+N, and to the next breakpoint moment with B', async () => {
    const text = readFileSync('scenarios/authorization.yaml', 'utf8');
    const run = runScenario({ text, file: 'authorization.yaml', mesh: 'istio' });
    if (!run.ok) throw new Error('authorization does not run');
    const steps = new Player(run.trace).steps;
    const lines = steps.filter((s) => s.kind === 'narration').map((s) => s.index);
    const breaks = steps.filter((s) => s.decision !== undefined && breakpointOf(s.decision) !== undefined).map((s) => s.index);
    expect(lines.length).toBeGreaterThan(2);
    expect(breaks.length).toBeGreaterThan(0);
    const { page, problems } = await openApp(browser, site, '?scenario=authorization&mesh=istio');
    await page.locator('[data-testid=stage] canvas').focus();
    const pressTo = async (key: string, index: number): Promise<void> => {
      await page.keyboard.press(key);
      await page.waitForFunction((i) => window.meshSim?.state()?.stepIndex === i, index);
      await frames(page);
    };
    // From before the first step: the first line, the second, back to the first; then the first breakpoint moment after it.
    await pressTo('n', lines[0]!);
    expect(await page.locator('.event[aria-current=step]').getAttribute('class')).toContain('kind-narration');
    await pressTo('n', lines[1]!);
    await pressTo('N', lines[0]!);
    await pressTo(
      'b',
      breaks.find((i) => i > lines[0]!)!,
    );
    expect((await appState(page)).playing).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});
