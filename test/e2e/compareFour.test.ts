/**
 * Four meshes side by side in the real page (issue 14's acceptance):
 * `?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd,consul,osm` opens four pictures
 * under one playhead, each drawing its own mesh's control plane on the canvas, the Compare panel
 * has a column per mesh, and stepping forward then back moves all four pictures and brings every
 * one back to the identical view. Expected figures come from simulating the same scenario here,
 * in Node.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { simulateFile } from '../helpers/library.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, clock, frames, openApp, paintedPixels, stageShot } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const FILE = 'scenarios/retries-flaky-pod.yaml';
const MESHES = ['istio', 'linkerd', 'consul', 'osm'] as const;
const STAGES = ['stage', 'stage-2', 'stage-3', 'stage-4'];

const summary = (mesh: string) => simulateFile(FILE, mesh).report.summary;

/** How many pixels of pane `i`'s picture differ from its top-left pixel (the background). */
const painted = (page: Page, i: number): Promise<number> => paintedPixels(page, STAGES[i]!);

const shot = (page: Page, i: number): Promise<Buffer> => stageShot(page, STAGES[i]);

/** Every pane's picture once it stops changing (two shots a few frames apart agree; see journey.test.ts). */
async function settledShots(page: Page): Promise<Buffer[]> {
  let shots = await Promise.all(STAGES.map((_, i) => shot(page, i)));
  for (let k = 0; k < 20; k++) {
    await frames(page);
    const next = await Promise.all(STAGES.map((_, i) => shot(page, i)));
    if (next.every((s, i) => s.equals(shots[i]!))) return next;
    shots = next;
  }
  return shots;
}

describe('compare mode with Istio, Linkerd, Consul and OSM', () => {
  it('opens ?mesh=compare&with=istio,linkerd,consul,osm: four pictures, each its own mesh drawn, a column per mesh, stepping keeps them together', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd,consul,osm&t=6000');
    expect(await appState(page)).toMatchObject({ mesh: 'compare', meshes: [...MESHES], timeMs: 6000 });
    expect(await page.getByRole('application', { name: /^The mesh/ }).count()).toBe(4);
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Istio 1.30 · reference', 'Linkerd 2.20', 'Consul 2.0', 'OSM 1.2.4 (archived)']);
    expect(await page.getByRole('slider', { name: 'Timeline' }).count()).toBe(1);

    // The canvas: four drawn pictures in a 2 × 2 grid, each with its own control plane's components.
    const boxes = await Promise.all(STAGES.map(async (id) => (await page.locator(`[data-testid=${id}]`).boundingBox())!));
    expect(boxes[1]!.y).toBe(boxes[0]!.y);
    expect(boxes[2]!.x).toBe(boxes[0]!.x);
    expect(boxes[3]!.y).toBe(boxes[2]!.y);
    expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height - 2);
    for (let i = 0; i < 4; i++) expect(await painted(page, i), `pane ${i + 1}`).toBeGreaterThan(5000);
    const controlPlanes: string[][] = [['istiod'], ['identity', 'destination', 'proxy-injector'], ['consul-server', 'connect-injector'], ['osm-controller']];
    for (let i = 0; i < 4; i++) {
      const drawn = await page.evaluate((p) => window.meshSim!.textsOnScreen(p).map((t) => t.text), i);
      expect(drawn, MESHES[i]).toContain(`control plane (${MESHES[i]})`);
      for (const name of controlPlanes[i]!) expect(drawn, MESHES[i]).toContain(name);
      for (const other of controlPlanes.filter((_, j) => j !== i).flat()) expect(drawn, MESHES[i]).not.toContain(other);
      expect(await page.evaluate((p) => window.meshSim!.controlPlaneOnScreen(p), i), MESHES[i]).not.toBeNull();
    }

    // The Compare panel: a column per mesh, the figures Node simulates, ≠ where a mesh differs from Istio.
    const s = MESHES.map(summary);
    const rows = await page
      .getByRole('region', { name: 'Compare' })
      .locator('table.summary tr')
      .evaluateAll((rs) => rs.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
    expect(rows[0]).toEqual(['', 'Istio (reference)', 'Linkerd', 'Consul', 'OSM (archived)']);
    const cell = (n: number, i: number): string => (i === 0 || n === s[0]!.failed ? String(n) : `${n} ≠`);
    expect(new Set(s.map((x) => x.failed)).size).toBeGreaterThan(1);
    expect(rows.find((r) => r[0] === 'failed')).toEqual(['failed', ...s.map((x, i) => cell(x.failed, i))]);
    const total = (n: number, i: number): string => (i === 0 || n === s[0]!.total ? String(n) : `${n} ≠`);
    expect(rows.find((r) => r[0] === 'requests')).toEqual(['requests', ...s.map((x, i) => total(x.total, i))]);

    // One playhead: stepping forward walks all four meshes' steps and moves all four pictures;
    // stepping back as many times returns the clock and every picture to where it was.
    const before = { clock: await clock(page), shots: await settledShots(page), state: await appState(page) };
    const visited = new Set<string>();
    let pressed = 0;
    for (; pressed < 60 && visited.size < 4; pressed++) {
      await page.keyboard.press('ArrowRight');
      // The panels follow the player in the page's frame loop: read the list once a frame has drawn it.
      await frames(page);
      const text = await page.locator('.event[aria-current=step] .event-text').innerText();
      visited.add(/^(Istio|Linkerd|Consul|OSM \(archived\)): /.exec(text)?.[1] ?? text);
    }
    expect(visited).toEqual(new Set(['Istio', 'Linkerd', 'Consul', 'OSM (archived)']));
    await frames(page);
    const moved = await appState(page);
    expect(moved.stepIndex).toBe(before.state.stepIndex + pressed);
    // The clock on a step reads the latest time the steps so far reached (player/stepClock.ts):
    // forward never reads earlier — though these four steps, each pane's conversation playing
    // behind 6 s, happened before it, so it may read the same (the pictures moved: checked below).
    expect(moved.timeMs).toBeGreaterThanOrEqual(before.state.timeMs);
    const after = await settledShots(page);
    for (let i = 0; i < 4; i++) expect(after[i]!.equals(before.shots[i]!), `${MESHES[i]} moved`).toBe(false);
    for (let k = 0; k < pressed; k++) await page.keyboard.press('ArrowLeft');
    await frames(page);
    expect(await clock(page)).toBe(before.clock);
    expect(await appState(page)).toEqual(before.state);
    const back = await settledShots(page);
    for (let i = 0; i < 4; i++) expect(back[i]!.equals(before.shots[i]!), `${MESHES[i]} back`).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
