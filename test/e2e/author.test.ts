/**
 * The authoring view (`?author=1`), driven as an author would: typing a wrong key shows the error
 * at its line; completion offers `retries` under a VirtualService http route;
 * hovering a key shows its description; a valid edit changes the picture with the playhead kept;
 * the share link opens the edited file; the lesson downloaded from the page is the CLI's zip; and
 * "Edit this scenario" in the app opens the view on that scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { buildSite, serve, type Site } from './site.ts';
import { canvasShot, frames, openApp } from './harness.ts';
import { readSite } from '../../src/cli/siteBuild.ts';
import { packLesson } from '../../src/lesson/pack.ts';

let site: Site;
let browser: Browser;
let dist: string;

beforeAll(async () => {
  dist = buildSite();
  site = await serve(dist);
  browser = await workerBrowser();
});

afterAll(async () => {
  await releaseBrowser(browser);
  await site?.close();
});

const FLAKY = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8');

/** The 1-based line of `FLAKY` holding `text`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** Opens the authoring view and waits until its first version is simulated. */
async function openAuthor(query: string): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openApp(browser, site, query);
  await page.locator('.author[data-state]').waitFor();
  return { page, problems };
}

/** Puts the cursor at the end of line `n` of the editor. */
async function endOfLine(page: Page, n: number): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < n; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/**
 * Waits until the view has checked the editor's last edit: the editor shows `text` (or no longer
 * shows it, when `present` is false) and the status is no longer "Checking…", which every edit sets
 * and only the check of the newest edit clears. No wall-clock bound: a loaded machine is slow, and
 * may check a half-typed line first, whose result must not be taken for the whole edit's.
 */
async function settled(page: Page, text: string, present = true): Promise<void> {
  await page.waitForFunction(
    ([t, p]) => document.querySelector('.cm-content')?.textContent?.includes(t) === p && document.querySelector('.author-status')?.textContent !== 'Checking…',
    [text, present] as const,
  );
}

/** The version the view last checked (the edit count), to wait for the next check. */
const checkedVersion = (page: Page): Promise<number> => page.locator('.author').getAttribute('data-version').then(Number);

describe('the authoring view', () => {
  it('shows a wrong key as an error at its line once typed, and clears it when fixed', async () => {
    const { page, problems } = await openAuthor('?author=1&scenario=retries-flaky-pod');
    expect(await page.locator('.author').getAttribute('data-state')).toBe('ok');
    const line = lineOf(FLAKY, 'replicas: 3');
    await endOfLine(page, line);
    await page.keyboard.press('Enter'); // the editor keeps the indentation: four spaces
    await page.keyboard.type('replicaz: 2');
    // Once the view has checked the whole edit, the problem is listed and marked inline at the new line.
    await settled(page, 'replicaz: 2');
    await page.locator('.cm-lintRange-error').waitFor();
    const marked = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error') });
    expect(await marked.innerText()).toBe('    replicaz: 2');
    expect(await page.locator('.cm-gutter-lint .cm-lint-marker-error').count()).toBe(1);
    const listed = await page.locator('.author-problems li').allInnerTexts();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(new RegExp(`^retries-flaky-pod\\.yaml:${line + 1}:5: services\\[1\\]\\.replicaz .*replicas`));
    expect(await page.locator('.author-status').innerText()).toMatch(/^1 problem: the picture shows the last version without problems\.$/);
    // The picture stays: the last good run is still on screen.
    expect(await page.evaluate(() => window.meshSim!.nodeOnScreen('reviews-2/app'))).not.toBeNull();

    const before = await checkedVersion(page);
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await settled(page, 'replicaz', false);
    expect(await checkedVersion(page)).toBeGreaterThan(before);
    expect(await page.locator('.author').getAttribute('data-state')).toBe('ok');
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    expect(await page.locator('.author-problems li').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('offers retries under a VirtualService http route, with its description, and inserts it', async () => {
    const { page, problems } = await openAuthor('?author=1');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(`id: routes
title: Routes
duration: 2s
services:
  - name: productpage
  - name: reviews
traffic:
  - from: productpage
    to: reviews
    rate: 5/s
istio:
  - apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: { name: reviews }
    spec:
      hosts: [reviews]
      http:
        - route:
            - destination: { host: reviews }
          `);
    await page.keyboard.type('re');
    const list = page.locator('.cm-tooltip-autocomplete');
    await list.waitFor();
    const options = await list.locator('li .cm-completionLabel').allInnerTexts();
    expect(options).toContain('retries');
    expect(options).not.toContain('backendRefs');
    await list.locator('li', { hasText: /^retries/ }).click();
    expect(await page.locator('.cm-line').last().innerText()).toBe('          retries: ');
    await page.keyboard.type('{ attempts: 3 }');
    await page.locator('.author[data-state=ok]').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows what a key and a resource kind mean on hover', async () => {
    const { page } = await openAuthor('?author=1&scenario=canary-split');
    await page
      .locator('.cm-line', { hasText: /^\s+replicas: / })
      .first()
      .locator('text=replicas')
      .hover();
    const tip = page.locator('.author-hover');
    await tip.waitFor();
    expect(await tip.locator('strong').innerText()).toBe('replicas');
    expect(await tip.locator('p').innerText()).toMatch(/pods/i);
    await page.mouse.move(0, 0);
    // The kind's value is plain text in its line: point at the word itself.
    const word = await page.evaluate(() => {
      const line = [...document.querySelectorAll('.cm-line')].find((l) => l.textContent!.includes('kind: VirtualService'))!;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf('VirtualService');
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at + 2);
        range.setEnd(n, at + 5);
        const r = range.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }
      return null;
    });
    await page.mouse.move(word!.x, word!.y);
    await page.locator('.author-hover strong', { hasText: 'VirtualService' }).waitFor();
    expect(await page.locator('.author-hover p').innerText()).toMatch(/rout/i);
    await page.close();
  });

  it('re-simulates a valid edit with the playhead kept, and the picture changes', async () => {
    const { page, problems } = await openAuthor('?author=1&scenario=retries-flaky-pod');
    await page.locator('.author-preview').getByRole('button', { name: 'Step forward' }).click();
    for (let i = 0; i < 30; i++) await page.locator('.author-preview').getByRole('button', { name: 'Step forward' }).click();
    await frames(page);
    const at = await page.evaluate(() => window.meshSim!.state()!);
    const picture = await canvasShot(page);
    expect(await page.evaluate(() => window.meshSim!.nodeOnScreen('reviews-4/app'))).toBeNull();

    const before = await checkedVersion(page);
    await endOfLine(page, lineOf(FLAKY, 'replicas: 3'));
    await page.keyboard.press('Backspace');
    await page.keyboard.type('5');
    await settled(page, 'replicas: 5');
    expect(await checkedVersion(page)).toBeGreaterThan(before);
    expect(await page.locator('.author').getAttribute('data-state')).toBe('ok');
    await frames(page);
    expect(await page.evaluate(() => window.meshSim!.nodeOnScreen('reviews-4/app'))).not.toBeNull();
    const now = await page.evaluate(() => window.meshSim!.state()!);
    expect(now.timeMs).toBe(at.timeMs);
    expect((await canvasShot(page)).equals(picture)).toBe(false);
    expect(await page.evaluate(() => window.meshSimAuthor!.lastResimMs())).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('copies a share link that opens the edited file, and an embed snippet of the view', async () => {
    const { page, problems } = await openAuthor('?author=1&scenario=retries-flaky-pod');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await endOfLine(page, lineOf(FLAKY, 'title:'));
    await page.keyboard.type(', edited');
    await page.locator('.author-status', { hasText: /^Simulated/ }).waitFor();
    await page.getByRole('button', { name: 'Copy share link' }).click();
    const link = await page.getByLabel('Share link (the whole file travels in the link)').inputValue();
    expect(link).toMatch(new RegExp(`^${site.url}index\\.html\\?embed=1&mesh=istio&t=0#name=retries-flaky-pod\\.yaml&scenario=[\\w-]+$`));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await page.getByRole('button', { name: 'Copy embed snippet' }).click();
    const snippet = await page.getByLabel('Embed snippet for this view').inputValue();
    expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/app\/index\.html\?embed=1&amp;mesh=istio&amp;t=0&amp;controls=minimal&amp;origins=/);
    expect(snippet).toContain('title="mesh-sim: Retries hide a flaky pod, edited"');
    const shared = await browser.newPage();
    await shared.goto(link);
    await shared.waitForSelector('body[data-ready=true]');
    expect(await shared.locator('.scenario-title').innerText()).toBe('Retries hide a flaky pod, edited');
    await shared.close();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('downloads a lesson package that is the same zip the CLI makes', async () => {
    const { page, problems } = await openAuthor('?author=1&scenario=hello-mesh');
    await page.getByLabel('Lesson format').selectOption('cmi5');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download lesson' }).click()]);
    expect(download.suggestedFilename()).toBe('hello-mesh-cmi5.zip');
    const bytes = readFileSync((await download.path())!);
    const cli = packLesson({
      site: readSite(dist),
      text: readFileSync('scenarios/hello-mesh.yaml', 'utf8'),
      file: 'hello-mesh.yaml',
      options: { format: 'cmi5', mesh: 'istio' },
    });
    expect(cli.ok && Buffer.from(cli.zip).equals(bytes)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens from "Edit this scenario" in the app on that scenario', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=timeouts&mesh=linkerd');
    await page.getByRole('link', { name: 'Edit this scenario' }).click();
    await page.locator('.author[data-state=ok]').waitFor();
    expect(await page.locator('.cm-line').first().innerText()).toBe('id: timeouts');
    const title = /^title: (.+)$/m.exec(readFileSync('scenarios/timeouts.yaml', 'utf8'))![1];
    expect(await page.locator('.author-preview .scenario-title').innerText()).toBe(title);
    expect(problems).toEqual([]);
    await page.close();
  });
});
