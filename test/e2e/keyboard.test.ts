/**
 * The whole page by keyboard: Tab reaches every panel and the picture and the focus never falls
 * to the page, even while rows and panels redraw; on the picture the arrow keys move between
 * boxes, links and packets, Enter inspects; the event list is one stop that keeps its focus.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, openApp } from './harness.ts';
import { readFileSync } from 'node:fs';
import { Player, runScenario, timeAtShow } from '../../src/player/index.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** Every place Tab must reach: the picture, each control group and each side panel. */
const PLACES = [
  'canvas',
  'Scenario',
  'Mesh',
  'Playback',
  'Timeline',
  'Inspector',
  'Events',
  'Metrics',
  'Picture as text',
  'Legend',
  'Knobs',
  'Effective YAML',
  'What if',
  'Breakpoints',
  'Export',
];

/** Where the focus is: the canvas, the named place (of {@link PLACES}) it is in, or the page itself. */
function focusPlace(page: Page): Promise<string> {
  return page.evaluate((places) => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'body';
    if (a.tagName === 'CANVAS') return 'canvas';
    // The nearest named place around it (a transport button is in the Playback toolbar).
    for (let e: Element | null = a; e; e = e.parentElement) {
      const name = e.getAttribute('aria-label');
      if (name && places.includes(name)) return name;
    }
    return a.closest('[aria-label]')?.getAttribute('aria-label') ?? a.tagName;
  }, PLACES);
}

describe('the keyboard', () => {
  it('reaches every panel and the picture with Tab, and the focus never falls to the page', { timeout: 300_000 }, async () => {
    // From 5.3 s, past the scenario's last checkpoint (5.2 s): on a loaded machine the round of
    // Tabs outlasts the play from 2 s to 5.2 s, and the checkpoint's dialog rightly takes the focus.
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio&t=5300');
    // Playing, so rows and panels redraw under the focus as it moves.
    await page.keyboard.press('Space');
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      await frames(page);
      const place = await focusPlace(page);
      // Past the last control the browser leaves the page: once round is enough.
      if (place === 'body') break;
      // Still there a moment later, while the page redraws under it.
      await page.waitForTimeout(100);
      expect(await focusPlace(page), `after Tab ${i + 1} on ${place}`).toBe(place);
      seen.add(place);
      if (PLACES.every((p) => seen.has(p))) break;
    }
    for (const panel of PLACES) expect([...seen], panel).toContain(panel);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('moves between boxes on the picture with the arrow keys, says where it is, and inspects with Enter', async () => {
    // A moment with nothing in flight (so the arrows land on boxes), simulated here.
    const file = 'scenarios/retries-flaky-pod.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error(file);
    const player = new Player(run.trace);
    let s = player.showAt(300);
    for (player.seekShow(s); player.view().packets.length; player.seekShow((s += 10)));
    const { page, problems } = await openApp(browser, site, `?scenario=retries-flaky-pod&mesh=istio&t=${timeAtShow(player.timeline.show, s)}`);
    expect(await page.evaluate(() => window.meshSim!.packetsOnScreen().length)).toBe(0);
    const before = (await appState(page)).stepIndex;
    await page.locator('[data-testid=stage] canvas').focus();
    const said = (): Promise<string> => page.getByTestId('canvas-focus').innerText();
    const inspector = page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { level: 2 });
    // The first arrow lands on the top-left-most box: the control plane. The navigator loads when
    // the canvas is first focused (keyboardFocus.ts holds this key until then): said once loaded.
    await page.keyboard.press('ArrowDown');
    await expect.poll(said).toMatch(/^istiod \(control plane\): running/);
    // Down into the cluster, then left along the first row, to productpage's app (its sidecar
    // beside or below it, whichever arrangement fits this viewport).
    const visited: string[] = [];
    for (const key of ['ArrowDown', 'ArrowLeft', 'ArrowLeft', 'ArrowUp', 'ArrowLeft']) {
      if (/^productpage-0 app/.test(visited.at(-1) ?? '')) break;
      await page.keyboard.press(key);
      visited.push(await said());
    }
    expect(visited.at(-1), visited.join(' | ')).toMatch(/^productpage-0 app/);
    await page.keyboard.press('Enter');
    // A node's facts load the first time one is inspected (src/ui/nodeFacts.ts): "Loading…" until then.
    await expect.poll(() => inspector.innerText()).toBe('App: productpage-0');
    // Its sidecar is the nearest box right of it or below it.
    await page.keyboard.press('ArrowRight');
    let now = await said();
    if (!/^productpage-0 sidecar proxy/.test(now)) {
      await page.keyboard.press('ArrowLeft');
      expect(await said()).toMatch(/^productpage-0 app/);
      await page.keyboard.press('ArrowDown');
      now = await said();
    }
    expect(now).toMatch(/^productpage-0 sidecar proxy: /);
    await page.keyboard.press('Enter');
    await expect.poll(() => inspector.innerText()).toMatch(/^Sidecar: productpage-0/);
    // The arrows moved the focus ring, not the playhead.
    expect((await appState(page)).stepIndex).toBe(before);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the event list one stop that holds its focus while playing; ↑ ↓ move and Enter jumps', async () => {
    const { page } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio&t=1000');
    const list = page.getByRole('listbox', { name: 'Events' });
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await list.getAttribute('aria-activedescendant');
    const text = await page.locator(`#${active}`).getAttribute('title');
    await page.keyboard.press('Enter');
    await frames(page);
    expect(await page.locator('.step-text').innerText()).toBe(`Step: ${text}`);
    await page.keyboard.press('Space');
    await page.waitForTimeout(600);
    expect(await focusPlace(page)).toBe('Events');
    await page.close();
  });
});
