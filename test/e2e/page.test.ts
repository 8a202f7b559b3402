/**
 * The page as it loads: no errors, a picture on the canvas, a strict CSP honoured, scenario text
 * shown as text, and bad input reported in the page while the rest keeps working.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { buildSite, serve, type Site } from './site.ts';
import { appState, clock, frames, openApp, paintedPixels } from './harness.ts';
import { COURSE } from '../../build/course.ts';
import { MESH_CATALOG } from '../../src/scenario/catalog.ts';
import { FIRST_PLAY_BUDGET_KB, firstPlayFiles, firstPlayKB, firstPlayList } from '../bench/firstPlay.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await serve(buildSite());
  browser = await workerBrowser();
  const retries = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8');
  site.fixtures.set('xss.yaml', retries.replace(/^title: .*$/m, "title: '<img src=x onerror=alert(1)>'").replace(/^description:[\s\S]*?^seed:/m, 'seed:'));
  site.fixtures.set('broken.yaml', 'id: broken\ntitle: Broken\nduration: 1s\nservices:\n  - name: a\n    replicas: three\n');
});

afterAll(async () => {
  await releaseBrowser(browser);
  await site?.close();
});

describe('the page', () => {
  it('opens on retries-flaky-pod with no console errors and a picture on the canvas', async () => {
    const { page, problems } = await openApp(browser, site);
    expect(await appState(page)).toMatchObject({ scenario: 'retries-flaky-pod', mesh: 'istio', stepIndex: -1 });
    expect(await page.getByRole('heading', { name: 'Retries hide a flaky pod' }).count()).toBe(1);
    expect(await paintedPixels(page)).toBeGreaterThan(20_000);
    for (const name of ['Play', 'Step back', 'Step forward', 'Restart']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    expect(await page.getByRole('combobox', { name: 'Speed' }).count()).toBe(1);
    expect(await clock(page)).toBe('0.000 s');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the header within a 1280 px window with every mesh in the switch (no horizontal scroll)', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= innerWidth, undefined, { timeout: 5000 }).catch(() => undefined);
    expect(await page.getByRole('group', { name: 'Mesh' }).getByRole('button').count()).toBeGreaterThanOrEqual(5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    // A mesh modelled at one release has no picker to show; Istio's has its releases.
    expect(await page.getByLabel('Linkerd release').isHidden()).toBe(true);
    expect(await page.getByLabel('Istio release').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits the page to the window under a header that wraps (no vertical scroll at 1280×800, the inspector its full height)', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio');
    await page.setViewportSize({ width: 1280, height: 800 });
    await frames(page);
    const m = await page.evaluate(() => ({
      header: document.querySelector('.top')!.getBoundingClientRect().height,
      layoutBottom: document.querySelector('.layout')!.getBoundingClientRect().bottom,
      scrollHeight: document.documentElement.scrollHeight,
      inspector: document.querySelector('.inspector')!.getBoundingClientRect().height,
    }));
    // Five meshes and the release pickers: the header is two rows, taller than the 50 px the layout once assumed.
    expect(m.header).toBeGreaterThan(60);
    expect(m.layoutBottom).toBeLessThanOrEqual(800);
    expect(m.scrollHeight).toBeLessThanOrEqual(800);
    expect(m.inspector).toBeGreaterThanOrEqual(240);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('offers More when the two-line cut hides part of the description, and shows all of it on a click', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod');
    const cut = (): Promise<boolean> =>
      page.evaluate(() => {
        const d = document.querySelector('.scenario-description')!;
        return d.scrollHeight > d.clientHeight + 1;
      });
    const more = page.locator('button.more');
    // retries-flaky-pod's description runs to several lines at 1400 px: the header shows two.
    expect(await cut()).toBe(true);
    await more.waitFor({ state: 'visible' });
    await more.click();
    await page.waitForFunction(() => document.querySelector('button.more')?.textContent === 'Less');
    expect(await cut()).toBe(false);
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("renders under Content-Security-Policy: script-src 'self' with no violation", async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=hello-mesh&t=600');
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    expect(csp).toBe("script-src 'self'");
    await page.keyboard.press('ArrowRight');
    await frames(page);
    expect(await paintedPixels(page)).toBeGreaterThan(20_000);
    expect(problems.filter((p) => /CSP|Content Security Policy|unsafe-eval/i.test(p))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a scenario title full of markup as text', async () => {
    const { page, problems, dialogs } = await openApp(browser, site, '?scenarioUrl=/fixtures/xss.yaml');
    const title = '<img src=x onerror=alert(1)>';
    expect(await page.locator('.scenario-title').textContent()).toBe(title);
    expect(await page.locator('#app img').count()).toBe(0);
    expect(await page.title()).toBe(`${title} — mesh-sim`);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names each bad URL parameter and still shows the default scenario', async () => {
    const { page } = await openApp(browser, site, '?scenario=nope&mesh=nomesh&seed=abc&t=later&sceanrio=hello-mesh');
    const errors = await page.getByRole('alert').innerText();
    expect(errors).toMatch(/URL parameter scenario: no scenario "nope"/);
    expect(errors).toMatch(/URL parameter mesh: unknown mesh "nomesh"/);
    expect(errors).toMatch(/URL parameter seed: must be a whole number/);
    expect(errors).toMatch(/URL parameter t: must be a time/);
    expect(errors).toMatch(/URL parameter sceanrio: unknown \(did you mean scenario\?\)/);
    expect(await appState(page)).toMatchObject({ scenario: 'retries-flaky-pod', mesh: 'istio' });
    await page.keyboard.press('ArrowRight');
    await frames(page);
    expect((await appState(page)).stepIndex).toBe(0);
    await page.close();
  });

  it(`first play weighs at most ${FIRST_PLAY_BUDGET_KB} KB of gzipped scripts, counted as the benchmark counts browser.firstPlayKB`, async () => {
    // Bytes do not depend on the machine's load: a budget, not a timing. Over it, the message lists
    // each script of the first play by size.
    const files = await firstPlayFiles(browser, site.url);
    const kb = firstPlayKB(files);
    expect(
      Object.keys(files).some((f) => f.startsWith('wiring-')),
      'the app chunk is counted',
    ).toBe(true);
    expect(kb, `first play ${kb} KB gzip (budget ${FIRST_PLAY_BUDGET_KB}):\n${firstPlayList(files)}`).toBeLessThanOrEqual(FIRST_PLAY_BUDGET_KB);
  });

  it('draws its first frame with one shader program (each program linked is the slowest step of a first frame in software WebGL)', async () => {
    const page = await newTab(browser, { width: 1400, height: 860 });
    await page.addInitScript(() => {
      const linked: { program: WebGLProgram; at: number }[] = [];
      (window as unknown as { linked: typeof linked }).linked = linked;
      for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
        const link = proto.linkProgram;
        proto.linkProgram = function (program: WebGLProgram) {
          linked.push({ program, at: performance.now() });
          link.call(this, program);
        };
      }
    });
    await page.goto(site.url);
    await page.waitForSelector('body[data-ready=true]');
    const programs = await page.evaluate(() => {
      const firstFrame = performance.getEntriesByName('mesh-sim:first-frame')[0]!.startTime;
      const linked = (window as unknown as { linked: { program: WebGLProgram; at: number }[] }).linked;
      return new Set(linked.filter((l) => l.at <= firstFrame).map((l) => l.program)).size;
    });
    expect(programs).toBe(1);
    await page.close();
  });

  it.each(['', '?scenario=retry-storm&mesh=compare'])(
    'draws its first frame at the size the picture keeps, not once more a frame later (%s)',
    async (query) => {
      const page = await newTab(browser, { width: 1280, height: 800 });
      // Each picture's canvas size when the first frame is marked (performance.mark, called as it is drawn).
      await page.addInitScript(() => {
        const sizes: string[][] = [];
        (window as unknown as { sizes: typeof sizes }).sizes = sizes;
        const mark = performance.mark.bind(performance);
        performance.mark = (name: string, options?: PerformanceMarkOptions) => {
          if (name === 'mesh-sim:first-frame')
            sizes.push([...document.querySelectorAll<HTMLCanvasElement>('.stage canvas')].map((c) => `${c.width}×${c.height}`));
          return mark(name, options);
        };
      });
      await page.goto(site.url + query);
      await page.waitForSelector('body[data-ready=true]');
      await frames(page);
      const { atFirst, now } = await page.evaluate(() => ({
        atFirst: (window as unknown as { sizes: string[][] }).sizes[0],
        now: [...document.querySelectorAll<HTMLCanvasElement>('.stage canvas')].map((c) => `${c.width}×${c.height}`),
      }));
      expect(atFirst).toEqual(now);
      await page.close();
    },
  );

  it('shows a broken scenario as file:line:column and keeps the picker working', async () => {
    const { page } = await openApp(browser, site, '?scenarioUrl=/fixtures/broken.yaml');
    expect(await page.getByRole('alert').innerText()).toMatch(/broken\.yaml:6:\d+: services\[0\]\.replicas/);
    await page.getByLabel('Scenario').selectOption('hello-mesh');
    await page.waitForFunction(() => window.meshSim?.state()?.scenario === 'hello-mesh');
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(await paintedPixels(page)).toBeGreaterThan(20_000);
    await page.close();
  });

  it("plays without the parsers, the engine, the workbench panels or other meshes' profiles, fetches only its own scenario, and loads the parsers when the knobs need them", async () => {
    const page = await newTab(browser, { width: 1400, height: 860 });
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) scripts.push(r.url().replace(/^.*\//, ''));
    });
    const loaded = (name: string): boolean => scripts.some((s) => s.startsWith(`${name}-`));
    await page.goto(`${site.url}?scenario=timeouts`);
    await page.waitForSelector('body[data-ready=true]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window.meshSim?.state()?.timeMs ?? 0) > 0);
    // The engine (simulateRun and the modules only it uses): the run was made when the site was built.
    for (const name of [
      'yaml',
      'zod',
      'xstate',
      'parse',
      'simulateRun',
      'knobsPanel',
      'yamlPane',
      'whatIfPanel',
      'breakpointsPanel',
      'exportPanel',
      'comparePanel',
    ])
      expect(loaded(name), name).toBe(false);
    // The scenario's chunk and its run's (both named after it).
    expect(COURSE.filter(loaded)).toEqual(['timeouts']);
    // No profile but the mesh on screen's (a chunk named after it: `istio-<hash>.js`; scenario chunks have longer names),
    // which a run made when the site was built does without: it loads with the first run simulated or the YAML pane.
    const profile = (id: string): boolean => scripts.some((s) => new RegExp(`^${id}-[\\w-]{8}\\.js$`).test(s));
    expect(MESH_CATALOG.map((m) => m.id).filter((m) => m !== 'istio' && profile(m))).toEqual([]);
    await page.getByRole('button', { name: 'Linkerd', exact: true }).click();
    await page.waitForFunction(() => window.meshSim?.state()?.mesh === 'linkerd');
    expect(MESH_CATALOG.map((m) => m.id).filter((m) => m !== 'istio' && m !== 'linkerd' && profile(m))).toEqual([]);
    // Opening the knobs reads the file's native settings: now the parser comes.
    await page.getByRole('group', { name: 'Knobs' }).locator('summary').click();
    await page.locator('.knob-group').first().waitFor();
    for (const name of ['yaml', 'zod', 'parse', 'knobsPanel']) expect(loaded(name), name).toBe(true);
    await page.close();
  });

  it("says so in the YAML pane when a built run's mesh profile cannot be loaded", async () => {
    // A run made when the site was built plays without its mesh's profile; the YAML pane loads it.
    // That file failing (a site redeployed under an open page) leaves a message, not a silent pane.
    const page = await newTab(browser, { width: 1400, height: 860 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/\/istio-[\w-]{8}\.js$/, (route) => route.abort());
    await page.goto(`${site.url}?scenario=timeouts&mesh=istio`);
    await page.waitForSelector('body[data-ready=true]');
    await page.getByRole('group', { name: 'Effective YAML' }).locator('summary').click();
    await page.waitForFunction(() => (document.querySelector('.yaml-note')?.textContent ?? '') !== '');
    expect(await page.locator('.yaml-note').innerText()).toMatch(/^Istio[^:]*: its resources could not be loaded/);
    expect(await page.locator('pre.yaml').innerText()).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });
});
