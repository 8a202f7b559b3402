/**
 * The checkpoint cards over the picture (issue 12): the question offered at the start must not
 * cover the control plane, nor the checkpoint dialog the evidence "Show me" jumps to. Measured by
 * comparing each card's box with the boxes the picture draws (window.meshSim.layoutOnScreen).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { runScenario } from '../../src/player/index.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { clock, frames } from './harness.ts';
import { clockAtEvent } from './clockAt.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The area two boxes share. */
const shared = (a: Box, b: Box): number =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** A card's box on the page. */
async function boxOf(card: Locator): Promise<Box> {
  const b = (await card.boundingBox())!;
  return { x: b.x, y: b.y, w: b.width, h: b.height };
}

/** The control plane and the boxes the picture draws, in page pixels. */
async function picture(page: Page): Promise<{ controlPlane: Box; boxes: (Box & { id: string })[] }> {
  const canvas = (await page.getByRole('application').first().boundingBox())!;
  const { cp, layout } = await page.evaluate(() => ({ cp: window.meshSim!.controlPlaneOnScreen()!, layout: window.meshSim!.layoutOnScreen()! }));
  const move = <B extends Box>(b: B): B => ({ ...b, x: b.x + canvas.x, y: b.y + canvas.y });
  return { controlPlane: move(cp), boxes: layout.boxes.map(move) };
}

/** Opens `query` in a `width` × `height` window, once the question offered at the start is shown; the page errors seen. */
async function openAsked(query: string, width: number, height: number): Promise<{ page: Page; problems: string[]; start: Locator }> {
  const page = await newTab(browser, { width, height });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${site.url}${query}`);
  await page.waitForSelector('body[data-ready=true]');
  const start = page.getByRole('group', { name: 'Question before you start' });
  await start.waitFor({ state: 'visible' });
  return { page, problems, start };
}

const flaky = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8');

describe('the checkpoint cards', () => {
  for (const [width, height] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    it(`leave the control plane in view at load and the evidence after Show me (retries-flaky-pod, ${width}×${height})`, async () => {
      const run = runScenario({ text: flaky, file: 'retries-flaky-pod.yaml', mesh: 'istio' });
      if (!run.ok) throw new Error('retries-flaky-pod does not run');
      const first = run.report.checkpoints[0]!;
      const evidence = run.trace.events[first.evidenceSeq!]!;
      const evidenceNodes = ['node', 'from', 'to'].flatMap((k) => {
        const v = (evidence as unknown as Record<string, unknown>)[k];
        return typeof v === 'string' ? [v] : [];
      });

      const page = await newTab(browser, { width, height });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(site.url);
      await page.waitForSelector('body[data-ready=true]');
      const start = page.getByRole('group', { name: 'Question before you start' });
      await start.waitFor({ state: 'visible' });
      // The card is placed once the picture is drawn: wait until it rests off the control plane.
      await page.waitForFunction(() => {
        const cp = window.meshSim!.controlPlaneOnScreen();
        const card = document.querySelector('.start-question')!.getBoundingClientRect();
        const canvas = document.querySelector('[data-testid=stage] canvas')!.getBoundingClientRect();
        if (!cp) return false;
        const x = cp.x + canvas.left;
        const y = cp.y + canvas.top;
        return card.right <= x || card.left >= x + cp.w || card.bottom <= y || card.top >= y + cp.h;
      });
      await frames(page);
      let shown = await picture(page);
      expect(shown.controlPlane.w).toBeGreaterThan(20);
      expect(shared(await boxOf(start), shown.controlPlane)).toBe(0);
      // Inside the picture, not pushed out of it.
      const stage = (await page.getByTestId('stage').boundingBox())!;
      const card = await boxOf(start);
      expect(card.x).toBeGreaterThanOrEqual(stage.x);
      expect(card.y + card.h).toBeLessThanOrEqual(stage.y + stage.height + 1);

      await start.getByRole('button', { name: 'Predict' }).click();
      const dialog = page.getByRole('dialog', { name: /^Checkpoint at 0\.000 s/ });
      await dialog.waitFor();
      await frames(page);
      expect(shared(await boxOf(dialog), shown.controlPlane)).toBe(0);
      await dialog.getByLabel(first.answer === 'yes' ? 'no' : 'yes').check();
      await dialog.getByRole('button', { name: 'Reveal' }).click();
      await dialog.getByRole('button', { name: 'Show me' }).click();
      // The clock on the evidence: its time, or the time the run had reached when it shows (stepClock.ts).
      const at = clockAtEvent([run.trace], 0, first.evidenceSeq!);
      await page.waitForFunction((t) => window.meshSim!.state()!.timeMs === t, at.ms);
      expect(await clock(page)).toBe(at.text);
      await frames(page);
      await frames(page);
      shown = await picture(page);
      const nodes = shown.boxes.filter((b) => evidenceNodes.includes(b.id));
      expect(nodes.map((n) => n.id)).toEqual(evidenceNodes.filter((n) => shown.boxes.some((b) => b.id === n)));
      expect(nodes.length).toBeGreaterThan(0);
      const after = await boxOf(dialog);
      for (const n of nodes) expect(shared(after, n), n.id).toBe(0);
      expect(shared(after, shown.controlPlane)).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('the question at the start covers no pane’s name in compare mode, nor a control plane (retries-flaky-pod, Istio | Linkerd, 1400×860)', async () => {
    const { page, problems, start } = await openAsked('?scenario=retries-flaky-pod&mesh=compare', 1400, 860);
    await page.waitForFunction(() => window.meshSim!.controlPlaneOnScreen(1) !== null);
    await frames(page);
    await frames(page);
    const card = await boxOf(start);
    const labels = page.locator('.pane-label:visible');
    expect(await labels.allInnerTexts()).toEqual(['Istio 1.30', 'Linkerd 2.20']);
    for (const label of await labels.all()) expect(shared(card, await boxOf(label)), await label.innerText()).toBe(0);
    for (const pane of [0, 1]) {
      const canvas = (await page.locator(`[data-testid=${pane === 0 ? 'stage' : 'stage-2'}] canvas`).boundingBox())!;
      const cp = (await page.evaluate((p) => window.meshSim!.controlPlaneOnScreen(p)!, pane))!;
      expect(shared(card, { ...cp, x: cp.x + canvas.x, y: cp.y + canvas.y }), `pane ${pane + 1}'s control plane`).toBe(0);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the question at the start takes a narrower form rather than cover a box (ambient-waypoint-l7, 1280×800)', async () => {
    const { page, problems, start } = await openAsked('?scenario=ambient-waypoint-l7&mesh=ambient', 1280, 800);
    await frames(page);
    await frames(page);
    const shown = await picture(page);
    expect(shown.boxes.length).toBeGreaterThan(3);
    const card = await boxOf(start);
    expect(shown.boxes.filter((b) => shared(card, b) > 0).map((b) => b.id)).toEqual([]);
    expect(shared(card, shown.controlPlane)).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
