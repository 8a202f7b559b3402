/**
 * The page on a phone (390×844) and a small laptop (1024×700), issue 12: nothing wider than the
 * window, the mesh switch and Play on screen and working, the side panels a drawer opened and
 * closed by keyboard, and the picture using the width it is given.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames } from './harness.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

async function open(width: number, height: number, query = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await newTab(browser, { width, height });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(site.url + query);
  await page.waitForSelector('body[data-ready=true]');
  await frames(page);
  return { page, problems };
}

/** Whether `locator` is drawn wholly inside the window's width. */
async function withinWidth(locator: Locator, width: number): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= width;
}

const focusedName = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('a 390×844 phone', () => {
  it('has no horizontal overflow, and the mesh switch and Play are on screen and work', async () => {
    const { page, problems } = await open(390, 844);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const meshes = page.getByRole('group', { name: 'Mesh' }).getByRole('button');
    expect(await meshes.count()).toBeGreaterThanOrEqual(6);
    for (const b of await meshes.all()) {
      expect(await b.isVisible()).toBe(true);
      expect(await withinWidth(b, 390), (await b.textContent()) ?? '').toBe(true);
    }
    const play = page.getByRole('button', { name: 'Play', exact: true });
    expect(await play.isVisible()).toBe(true);
    expect(await withinWidth(play, 390)).toBe(true);
    // Play is on the first screen, not below it.
    expect((await play.boundingBox())!.y + 30).toBeLessThanOrEqual(844);
    // The picture takes the column's width.
    const stage = (await page.getByTestId('stage').boundingBox())!;
    expect(stage.width).toBeGreaterThanOrEqual(390 - 30);

    await page.getByRole('button', { name: 'Linkerd', exact: true }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.mesh === 'linkerd');
    await play.click();
    await page.waitForFunction(() => window.meshSim!.state()!.playing);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.waitForFunction(() => !window.meshSim!.state()!.playing);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the side panels as a drawer that opens and closes by keyboard, the focus going back to its button', async () => {
    const { page, problems } = await open(390, 844);
    const drawer = page.locator('#side-panels');
    const inspector = page.getByRole('region', { name: 'Inspector' });
    expect(await inspector.isVisible()).toBe(false);

    // Tab to the Events button and press Enter: the drawer opens at the events, focus inside it.
    const events = page.getByRole('group', { name: 'Side panels' }).getByRole('button', { name: 'Events' });
    await events.focus();
    expect(await focusedName(page)).toBe('Events');
    await page.keyboard.press('Enter');
    await drawer.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.getElementById('side-panels')!.contains(document.activeElement));
    expect(await events.getAttribute('aria-expanded')).toBe('true');
    const box = (await drawer.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.getByRole('listbox', { name: 'Events' }).isVisible()).toBe(true);
    // The page under the drawer is out of the tab order while it is open.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.getElementById('side-panels')!.contains(document.activeElement) || document.activeElement === document.body),
      ).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Events');
    expect(await events.getAttribute('aria-expanded')).toBe('false');

    // The Tools button opens it at the workbench's panels; Close shuts it.
    const tools = page.getByRole('group', { name: 'Side panels' }).getByRole('button', { name: 'Tools' });
    await tools.focus();
    await page.keyboard.press('Enter');
    await drawer.waitFor({ state: 'visible' });
    expect(await page.getByRole('group', { name: 'Knobs' }).or(page.locator('details.knobs')).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Close side panels' }).focus();
    await page.keyboard.press('Enter');
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Tools');
    // Play works again once the drawer is shut (the page is no longer inert).
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.playing);
    expect((await appState(page)).playing).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a 390×844 phone, the header and the picture', () => {
  it('keeps the header compact (the picture starts in the top third) with every control in the width', async () => {
    const { page, problems } = await open(390, 844, '?scenario=retries-flaky-pod&mesh=istio');
    const header = (await page.locator('header.top').boundingBox())!;
    // It took ~240 px: the name, scenario, help, a two-row mesh switch and the releases now fit in 150.
    expect(header.height).toBeLessThanOrEqual(150);
    for (const control of [
      page.getByRole('combobox', { name: 'Scenario' }),
      page.getByRole('button', { name: 'Keyboard shortcuts' }),
      ...(await page.getByRole('group', { name: 'Mesh' }).getByRole('button').all()),
      ...(await page.getByRole('group', { name: 'Release' }).getByRole('combobox').all()),
    ])
      if (await control.isVisible())
        expect(await withinWidth(control, 390), (await control.getAttribute('aria-label')) ?? (await control.textContent()) ?? '').toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The note on the mesh switch is still read out with it.
    expect(await page.getByRole('group', { name: 'Mesh' }).getAttribute('aria-describedby')).toBe('mesh-note');
    expect(await page.locator('#mesh-note').textContent()).toMatch(/Network Service Mesh/);
    expect((await page.getByTestId('stage').boundingBox())!.y).toBeLessThan(844 / 3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the drawer at the inspector when a node of the picture is clicked', async () => {
    const { page, problems } = await open(390, 844, '?scenario=retries-flaky-pod&mesh=istio&t=1000');
    const drawer = page.locator('#side-panels');
    expect(await drawer.isVisible()).toBe(false);
    const box = (await page.evaluate(() => window.meshSim!.layoutOnScreen()!.boxes.find((b) => b.id === 'productpage-0/app')))!;
    const canvas = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
    await page.mouse.click(canvas.x + box.x + box.w / 2, canvas.y + box.y + box.h / 2);
    await drawer.waitFor({ state: 'visible' });
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await page.waitForFunction(() => /productpage-0/.test(document.querySelector('.inspector')?.textContent ?? ''));
    expect(await inspector.isVisible()).toBe(true);
    const shown = (await inspector.boundingBox())!;
    expect(shown.y).toBeLessThan(844);
    expect(shown.x + shown.width).toBeLessThanOrEqual(390);
    // Escape shuts it; the Inspector button gets the focus.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Inspector');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a 1024×700 laptop', () => {
  it('keeps the side column beside a picture at least 600 px wide, the drawing across most of it', async () => {
    const { page, problems } = await open(1024, 700);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    expect(await page.getByRole('region', { name: 'Inspector' }).isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: 'Side panels' }).isVisible()).toBe(false);
    const stage = (await page.getByTestId('stage').boundingBox())!;
    expect(stage.width).toBeGreaterThanOrEqual(600);
    const layout = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    const left = Math.min(...layout.boxes.map((b) => b.x));
    const right = Math.max(...layout.boxes.map((b) => b.x + b.w));
    // The boxes span most of the picture (the drawing was 330 px wide here once).
    expect(right - left).toBeGreaterThanOrEqual(0.6 * stage.width);
    expect(problems).toEqual([]);
    await page.close();
  });
});
