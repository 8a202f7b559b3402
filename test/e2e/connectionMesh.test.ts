/**
 * A connection mesh in the app (issue 12, issue 14's leftovers): under Network Service Mesh the
 * request knobs and faults would change nothing (FIDELITY-MORE K1: no requests, retries or
 * routes), so Knobs and What if… are not offered and one line says why; and the fast-forward note
 * no longer covers the picture (it hid nsm-network-service's endpoint cards at 8 s); and the
 * vWire and the endpoints' registrations, the state the lesson is about, are drawn on their pods.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { inside, openApp, openPicture, PICTURE_WINDOW } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('a connection mesh', () => {
  it('FIDELITY-MORE K1: offers no Knobs or What if… under Network Service Mesh, and says why in one line', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=nsm-network-service&mesh=nsm', { viewport: PICTURE_WINDOW });
    const note = page.locator('.panel-note');
    await note.waitFor({ state: 'visible' });
    expect(await note.innerText()).toBe(
      'No Knobs or What if… here: Network Service Mesh connects workloads to network services and has no requests, retries or routes to change.',
    );
    expect(await page.getByRole('group', { name: 'Knobs' }).or(page.locator('details.knobs')).isVisible()).toBe(false);
    expect(await page.locator('details.what-if').isVisible()).toBe(false);
    // The panels that do apply are still there.
    for (const name of ['Breakpoints', 'Export', 'Effective YAML']) expect(await page.locator(`details[aria-label="${name}"]`).isVisible(), name).toBe(true);
    // One line, at the side column's width.
    const box = (await note.boundingBox())!;
    expect(box.height).toBeLessThan(80);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('still offers Knobs and What if… under an HTTP mesh, with no such note', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio');
    expect(await page.locator('details.knobs').isVisible()).toBe(true);
    expect(await page.locator('details.what-if').isVisible()).toBe(true);
    expect(await page.locator('.panel-note').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the fast-forward note in the transport bar, off the picture and its endpoint cards (nsm-network-service at 8 s)', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=nsm-network-service&mesh=nsm&t=8000', { viewport: PICTURE_WINDOW });
    const note = page.locator('.fast-forward');
    await note.waitFor({ state: 'visible' });
    expect(await note.innerText()).toMatch(/^» fast-forwarding /);
    const ff = (await note.boundingBox())!;
    const stage = (await page.getByTestId('stage').boundingBox())!;
    expect(overlaps(ff, stage)).toBe(false);
    // The endpoints' cards are on screen and nothing of the note is over them.
    const canvas = (await page.getByRole('application').first().boundingBox())!;
    const cards = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!.cards.filter((c) => c.key.startsWith('nse-kernel'));
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(overlaps(ff, { x: c.x + canvas.x, y: c.y + canvas.y, width: c.w, height: c.h }), c.key).toBe(false);
    // In the transport bar, on the clock's row.
    const clock = (await page.getByLabel('Simulation time').boundingBox())!;
    expect(Math.abs(ff.y + ff.height / 2 - (clock.y + clock.height / 2))).toBeLessThan(8);
    expect(problems).toEqual([]);
    await page.close();
  });

  // FIDELITY-MORE K3, K4: the client's vWire comes up, the endpoint it was wired to crashes at 20 s
  // and stays listed in the registry; the liveness check fails and the client heals onto the other
  // endpoint. Before, the picture showed only "ready" and "crashed": nothing of the vWire; then
  // "vWire up" without the endpoint it joins (the scenario crashes nse-kernel-0, the one selected
  // first, at 20 s; the heal can only join nse-kernel-1).
  for (const [t, want] of [
    [2000, { 'alpine-0': 'vWire ↔ nse-kernel-0', 'nse-kernel-0': 'registered', 'nse-kernel-1': 'registered' }],
    [20_100, { 'alpine-0': 'vWire ↔ nse-kernel-0', 'nse-kernel-0': 'unreachable', 'nse-kernel-1': 'registered' }],
    [20_220, { 'alpine-0': 'healing', 'nse-kernel-0': 'unreachable' }],
    [21_500, { 'alpine-0': 'vWire ↔ nse-kernel-1', 'nse-kernel-0': 'unreachable', 'nse-kernel-1': 'registered' }],
  ] as const)
    it(`draws the vWire's state and endpoint on its client and each endpoint's registration on its card at ${t / 1000} s`, async () => {
      const { page, problems } = await openPicture(browser, site, `?scenario=nsm-network-service&mesh=nsm&t=${t}`);
      const { texts, cards } = await page.evaluate(() => ({ texts: window.meshSim!.textsOnScreen(), cards: window.meshSim!.layoutOnScreen()!.cards }));
      for (const [pod, text] of Object.entries(want)) {
        const card = cards.find((c) => c.key === pod)!;
        expect(card, pod).toBeDefined();
        const drawn = texts.filter((w) => inside(w, card, 2)).map((w) => w.text);
        expect(drawn, pod).toContain(text);
      }
      expect(problems).toEqual([]);
      await page.close();
    });
});
