/**
 * Compare mode's difference note read whole (issue 12: notes ended in "…"; 30 of the library's
 * notes are longer than a pane's strip, the longest ambient-authz-fail-closed's first, 387
 * characters). The note stays one line in the pane's label strip; a click opens it whole over
 * the picture, Enter on it (reached by Tab) folds it back.
 */
import { expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, inside } from './harness.ts';
import { firstDifference } from '../helpers/differences.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const ID = 'ambient-authz-fail-closed';
const MESHES = ['istio', 'ambient'] as const;

/** The first difference compare finds, in the words its pane says it (a decision's, as diffOverlay.ts words it). */
function firstNote(): { pane: number; note: string } {
  const d = firstDifference(ID, MESHES);
  if (!d.decision) throw new Error(`${ID}: its first difference is no longer a decision`);
  return d;
}

/** Whether the note's text is cut by its box (one line ending in "…"), read from the element's own sizes. */
const cut = (note: Locator): Promise<boolean> => note.evaluate((n) => n.scrollWidth > n.clientWidth + 1 || n.scrollHeight > n.clientHeight + 1);

it(`${ID} in compare: a long difference note is cut on one line, opens whole on a click, and folds back with Enter`, { timeout: 120_000 }, async () => {
  const expected = firstNote();
  // Long enough that one line of the pane's strip cannot hold it (else this checks nothing).
  expect(expected.note.length).toBeGreaterThan(200);
  const page = await newTab(browser, { width: 1280, height: 800 });
  await page.goto(`${site.url}?scenario=${ID}&mesh=compare&with=${MESHES.join(',')}&t=0`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  await frames(page);
  await page.getByRole('button', { name: 'Go there' }).click();
  const pane = page.locator('.pane').nth(expected.pane);
  const note = pane.locator('.pane-diff');
  await expect.poll(() => note.isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await note.innerText()).toBe(expected.note);
  expect(await note.getAttribute('aria-expanded')).toBe('false');
  expect(await cut(note)).toBe(true);

  await note.click();
  await frames(page);
  expect(await note.getAttribute('aria-expanded')).toBe('true');
  expect(await cut(note)).toBe(false);
  expect(await note.innerText()).toBe(expected.note);
  const n = (await note.boundingBox())!;
  const p = (await pane.boundingBox())!;
  expect(inside({ x: n.x, y: n.y, w: n.width, h: n.height }, { x: p.x, y: p.y, w: p.width, h: p.height })).toBe(true);

  await note.focus();
  await page.keyboard.press('Enter');
  await frames(page);
  expect(await note.getAttribute('aria-expanded')).toBe('false');
  expect(await cut(note)).toBe(true);
  await page.close();
});
