/**
 * Readable at any size: every label of the picture at fit, measured from the scene's own text
 * objects (font size × zoom), on every library scenario; and the page on a phone.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, inside } from './harness.ts';
import { MESH_CATALOG, namedMeshes } from '../../src/scenario/index.ts';
import { libraryScenarios } from '../helpers/library.ts';
import { TOO_BIG } from '../helpers/pictures.ts';
import { newTab } from './tabs.ts';
import { pickScenario } from './libraryTab.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** Every library scenario, with the meshes it is written for (an NSM scenario is not an HTTP one). */
const LIBRARY = libraryScenarios().map(({ id, scenario }) => ({ id, meshes: namedMeshes(scenario) }));

/** A moment with packets, badges and states on screen (certificate-rotation's story is hours long). */
const momentOf = (id: string): number => (id === 'certificate-rotation' ? 72_000_000 : 1600);

describe('the picture at fit', () => {
  it.each(MESH_CATALOG.map((m) => m.id))(
    'draws no label under 11 px and every box in the canvas on any library scenario at 1280×800, under %s',
    { timeout: 400_000 },
    async (mesh) => {
      const page = await newTab(browser, { width: 1280, height: 800 });
      const small: string[] = [];
      const cut: string[] = [];
      const scenarios = LIBRARY.filter((s) => s.meshes.includes(mesh)).map((s) => s.id);
      expect(scenarios.length, mesh).toBeGreaterThan(0);
      for (const [i, id] of scenarios.entries()) {
        if (i === 0) {
          await page.goto(`${site.url}?scenario=${id}&mesh=${mesh}&t=${momentOf(id)}`);
          await page.waitForSelector('body[data-ready=true]');
        } else {
          // The next ones as a learner goes from lesson to lesson (libraryTab.ts: the same picture, in half the time).
          await pickScenario(page, id, momentOf(id));
        }
        await frames(page);
        expect(await page.evaluate(() => window.meshSim!.state()), id).toMatchObject({ scenario: id, mesh, timeMs: momentOf(id) });
        const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
        // Every card, service and box is labelled: a picture with few labels was not drawn.
        expect(texts.length, id).toBeGreaterThan(15);
        for (const t of texts) if (t.px < 11) small.push(`${id}: "${t.text}" at ${t.px.toFixed(1)} px`);
        // The whole picture shows, but for the few named too big (framed from their top left instead).
        if (TOO_BIG.has(`${id}:${mesh}`)) continue;
        const canvas = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
        const drawn = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
        const cp = await page.evaluate(() => window.meshSim!.controlPlaneOnScreen());
        for (const b of [...drawn.boxes, ...drawn.cards, ...(cp ? [{ ...cp, id: 'control plane' }] : [])])
          if (!inside(b, { x: 0, y: 0, w: canvas.width, h: canvas.height }, 1))
            cut.push(`${id}: ${'id' in b ? b.id : b.key} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.w)}×${Math.round(b.h)}`);
      }
      expect(small).toEqual([]);
      expect(cut).toEqual([]);
      await page.close();
    },
  );
});

describe('a box at the edge of a picture shown whole', () => {
  it.each([
    ['ingress-gateway', 'istio', 'client:browser'],
    ['ingress-gateway', 'linkerd', 'client:browser'],
  ])('%s under %s at 1.9 s, 1280×800: the ring round %s is inside the canvas', { timeout: 120_000 }, async (id, mesh, node) => {
    const page = await newTab(browser, { width: 1280, height: 800 });
    await page.goto(`${site.url}?scenario=${id}&mesh=${mesh}&t=1900`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);
    const canvas = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
    // The step's ring runs 4 units out of its box, 3 wide (render/ringSpots.ts): 5.5 units at the
    // picture's zoom, which the smallest label (11 units) gives.
    const zoom = Math.min(...(await page.evaluate(() => window.meshSim!.textsOnScreen())).map((t) => t.px)) / 11;
    const step = await page.evaluate(() => window.meshSim!.stepOnScreen());
    expect(step.map((b) => b.id)).toContain(node);
    const reach = 5.5 * zoom;
    // At the canvas's left edge, the browser's ring was cut (its box 2 px in, the ring 6 px out).
    for (const b of step)
      expect(
        inside({ x: b.x - reach, y: b.y - reach, w: b.w + 2 * reach, h: b.h + 2 * reach }, { x: 0, y: 0, w: canvas.width, h: canvas.height }, 0),
        `${b.id} at ${b.x.toFixed(1)},${b.y.toFixed(1)}`,
      ).toBe(true);
    await page.close();
  });
});

describe('a picture too big to show whole at 11 px', () => {
  // At 1280×800 every library picture fits (TOO_BIG), and at 1024×768 too since the twenty
  // services are a grid of named cards; in a phone's window they do not.
  it('opens readable, framed from the control plane and the first caller; Fit to view shows every box (390×844)', { timeout: 120_000 }, async () => {
    const page = await newTab(browser, { width: 390, height: 844 });
    await page.goto(`${site.url}?scenario=sidecar-vs-ambient-footprint&mesh=ambient&t=1600`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);
    const canvas = (await page.getByRole('application').first().boundingBox())!;
    const inside = (b: { x: number; y: number; w: number; h: number }): boolean =>
      b.x >= -1 && b.y >= -1 && b.x + b.w <= canvas.width + 1 && b.y + b.h <= canvas.height + 1;
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    expect(Math.min(...texts.map((t) => t.px))).toBeGreaterThanOrEqual(11);
    const opened = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    // Twenty services on four nodes do not fit a phone at 11 px: some boxes are a pan away, but the control plane
    // and the first caller (frontend) are in view.
    expect(opened.boxes.every(inside)).toBe(false);
    expect(inside((await page.evaluate(() => window.meshSim!.controlPlaneOnScreen()))!)).toBe(true);
    expect(inside(opened.boxes.find((b) => b.id.startsWith('frontend-0'))!)).toBe(true);

    await page.getByRole('button', { name: 'Fit to view' }).click();
    await frames(page);
    const whole = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
    expect(whole.boxes.filter((b) => !inside(b)).map((b) => b.id)).toEqual([]);
    await page.close();
  });
});

describe('a grid of compact cards', () => {
  it.each(['istio', 'ambient'])(
    "heads each card with its service's name on one line, inside the card's width (or, named, in its app's box), the whole grid at 11 px (sidecar-vs-ambient-footprint, %s)",
    { timeout: 120_000 },
    async (mesh) => {
      const page = await newTab(browser, { width: 1280, height: 800 });
      await page.goto(`${site.url}?scenario=sidecar-vs-ambient-footprint&mesh=${mesh}&t=1600`);
      await page.waitForSelector('body[data-ready=true]');
      await frames(page);
      const drawn = (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
      expect(drawn.variant).toMatch(/^grid/);
      // Under ambient the waypoint in node-1's band leaves no room for headers: a grid of named
      // cards, each service's name in its app's box (render/layout.ts).
      const named = drawn.variant.includes('/named');
      expect(named).toBe(mesh === 'ambient');
      const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
      const canvas = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
      const whole = { x: 0, y: 0, w: canvas.width, h: canvas.height };
      expect(drawn.boxes.filter((b) => !inside(b, whole, 1)).map((b) => b.id)).toEqual([]);
      const wrong: string[] = [];
      expect(drawn.cards.length).toBe(20);
      for (const card of drawn.cards) {
        const service = card.members[0]!.replace(/-0$/, '');
        if (named) {
          // The name, once, whole inside its app's box, in the card.
          const app = drawn.boxes.find((b) => b.id === `${card.members[0]}/app`)!;
          const inBox = texts.filter((t) => t.text === service && inside(t, app, 1));
          if (inBox.length !== 1 || !inside(app, card, 1)) wrong.push(`${service}: ${inBox.length} names in its app's box`);
          else if (inBox[0]!.px < 11) wrong.push(`${service}: ${inBox[0]!.px.toFixed(1)} px`);
          continue;
        }
        // The name, right above the card: one line, from the card's left edge to no further than its right.
        const name = texts.filter((t) => t.text === service && t.y + t.h <= card.y + 1 && t.y + t.h >= card.y - 6 && t.x >= card.x - 4 && t.x <= card.x + 12);
        if (name.length !== 1) {
          wrong.push(`${service}: ${name.length} names above its card`);
          continue;
        }
        const t = name[0]!;
        if (t.px < 11) wrong.push(`${service}: ${t.px.toFixed(1)} px`);
        if (t.x + t.w > card.x + card.w) wrong.push(`${service}: name ends at ${Math.round(t.x + t.w)}, card at ${Math.round(card.x + card.w)}`);
        // No second header line: nothing written between the name and the card's boxes.
        const between = texts.filter((o) => o !== t && o.y >= t.y + t.h - 2 && o.y + o.h <= card.y + 2 && o.x < card.x + card.w && o.x + o.w > card.x);
        if (between.length) wrong.push(`${service}: ${between.map((o) => `"${o.text}"`).join(', ')} under its name`);
      }
      expect(wrong).toEqual([]);
      await page.close();
    },
  );
});
