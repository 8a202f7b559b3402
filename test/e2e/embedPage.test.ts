/**
 * The embed page as a course author sets it up: its URL parameters (a bad one is named in the
 * frame, nothing else loads), scenarios of their own (by URL or inline in the fragment), the
 * controls and autoplay, and the response headers the README recommends (a strict CSP with
 * frame-ancestors).
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { buildSite } from './site.ts';
import {
  embedCsp,
  openEmbed,
  pageOrigin,
  received,
  simOrigin,
  simState,
  waitForMessage,
  watchedPage,
  type Lesson,
  type Origin,
  type SimOrigin,
} from './embedServers.ts';
import { MESH_CATALOG } from '../../src/scenario/index.ts';

/** The shipped meshes' ids, as messages list them. */
const ALL = MESH_CATALOG.map((m) => m.id);

let sim: SimOrigin;
let host: Origin;
let stranger: Origin;
let browser: Browser;

const pack = (text: string): string => deflateRawSync(text).toString('base64url');
const hello = readFileSync('scenarios/hello-mesh.yaml', 'utf8');

beforeAll(async () => {
  host = await pageOrigin();
  stranger = await pageOrigin();
  sim = await simOrigin(buildSite(), [host.origin]);
  browser = await workerBrowser();
});

afterAll(async () => {
  await releaseBrowser(browser);
  await Promise.all([sim?.close(), host?.close(), stranger?.close()]);
});

const open = (query: string, simPage?: string, before?: (page: Page) => void): Promise<Lesson> => openEmbed(browser, host, sim, query, '', simPage, before);

/** How many pixels of the frame's picture differ from its background colour. */
function paintedPixels(lesson: Lesson): Promise<number> {
  return lesson.frame.evaluate(() => {
    const source = document.querySelector<HTMLCanvasElement>('[data-testid=stage] canvas')!;
    const c = document.createElement('canvas');
    c.width = source.width;
    c.height = source.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i]! - data[0]!) + Math.abs(data[i + 1]! - data[1]!) + Math.abs(data[i + 2]! - data[2]!) > 30) n++;
    return n;
  });
}

describe('the embed page', () => {
  describe('when a parameter is bad', () => {
    it('names it and its allowed values in the frame, tells the host, and loads nothing else', async () => {
      const lesson = await open(`?scenario=hello-mesh&controls=tiny&autoplay=yes&origins=${host.origin}`);
      const { frame, page, problems } = lesson;
      expect(await frame.evaluate(() => document.body.dataset.ready)).toBe('error');
      const alert = await frame.getByRole('alert').innerText();
      expect(alert).toContain('This simulation cannot start');
      expect(alert).toContain('URL parameter controls: must be full, minimal or none (got "tiny")');
      expect(alert).toContain('URL parameter autoplay: must be 1 or 0');
      expect(await frame.locator('canvas').count()).toBe(0);
      expect(await frame.evaluate(() => window.meshSim)).toBeUndefined();
      const error = await waitForMessage(page, 'error');
      expect(String(error.message).split('\n')).toEqual([
        expect.stringContaining('URL parameter controls:'),
        expect.stringContaining('URL parameter autoplay:'),
      ]);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("names a step past the scenario's last one", async () => {
      const { frame, page } = await open('?scenario=hello-mesh&step=100000');
      expect(await frame.getByRole('alert').innerText()).toMatch(
        /URL parameter step: must be between 0 and \d+ \(the steps of this scenario under istio; got 100000\)/,
      );
      expect(await frame.locator('canvas').count()).toBe(0);
      await page.close();
    });
  });

  it("renders under the recommended strict CSP (script-src 'self', frame-ancestors the course page) with no violation", async () => {
    const lesson = await open('?scenario=retries-flaky-pod&t=600&controls=full');
    const { frame, page, problems } = lesson;
    expect(await frame.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'))).toBe(embedCsp([host.origin]));
    expect(await frame.evaluate(() => document.body.dataset.ready)).toBe('true');
    await frame.locator('body').press('ArrowRight');
    await frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    expect(await paintedPixels(lesson)).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('simulates a long scenario in its Web Worker under that CSP', async () => {
    const long = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8').replace(/rate: 20\/s/, 'rate: 100/s');
    expect(long).toContain('rate: 100/s');
    const workers: string[] = [];
    const lesson = await openEmbed(
      browser,
      host,
      sim,
      `?controls=minimal&origins=${host.origin}#name=busy.yaml&scenario=${pack(long)}`,
      '',
      'index.html',
      (page) => page.on('worker', (w) => workers.push(w.url())),
    );
    const { page, problems } = lesson;
    await waitForMessage(page, 'ready');
    expect(workers).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/app\/assets\/simulation\.worker-[\w-]+\.js$/)]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses to be framed by a page whose origin frame-ancestors does not list', async () => {
    stranger.pages.set(
      '/lesson.html',
      `<!doctype html><title>x</title><link rel="icon" href="data:,"><iframe id="sim" src="${sim.url}index.html?embed=1&scenario=hello-mesh"></iframe>`,
    );
    const { page } = await watchedPage(browser);
    const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
    await page.goto(`${stranger.origin}/lesson.html`);
    expect((await refused).text().trim()).toBe(
      `Framing '${sim.origin}/' violates the following Content Security Policy directive: "frame-ancestors ${host.origin}". The request has been blocked.`,
    );
    const frame = (await (await page.$('iframe#sim'))!.contentFrame())!;
    expect(await frame.evaluate(() => document.body?.dataset.ready ?? null).catch(() => null)).toBeNull();
    await page.close();
  });

  it('plays a library scenario as written without the engine or a mesh profile (the runs the site build made); a seed brings both', async () => {
    const scripts: string[] = [];
    const watch = (p: Page): void => {
      p.on('response', (r) => {
        if (r.url().endsWith('.js')) scripts.push(r.url().replace(/^.*\//, ''));
      });
    };
    const loaded = (name: string): boolean => scripts.some((s) => s.startsWith(`${name}-`));
    // A profile chunk is named after its mesh (`istio-<hash>.js`); scenario and run chunks have longer names.
    const profiles = (): string[] => ALL.filter((id) => scripts.some((s) => new RegExp(`^${id}-[\\w-]{8}\\.js$`).test(s)));
    const built = await open(`?scenario=timeouts&mesh=compare&origins=${host.origin}`, undefined, watch);
    await waitForMessage(built.page, 'ready');
    expect(await simState(built.frame)).toMatchObject({ scenario: 'timeouts', meshes: ['istio', 'linkerd'] });
    expect(loaded('simulateRun'), scripts.join(' ')).toBe(false);
    expect(profiles()).toEqual([]);
    expect(built.problems).toEqual([]);
    await built.page.close();
    // Another seed is another run: simulated here, with its meshes' profiles.
    scripts.length = 0;
    const seeded = await open(`?scenario=timeouts&mesh=compare&seed=7&origins=${host.origin}`, undefined, watch);
    await waitForMessage(seeded.page, 'ready');
    expect(loaded('simulateRun'), scripts.join(' ')).toBe(true);
    expect(profiles().sort()).toEqual(['istio', 'linkerd']);
    expect(seeded.problems).toEqual([]);
    await seeded.page.close();
  });

  it('is what index.html?embed=1 opens, with every parameter', async () => {
    const { frame, page, problems } = await open(`?scenario=hello-mesh&controls=minimal&step=3&origins=${host.origin}`, 'index.html');
    expect(new URL(frame.url()).pathname).toBe('/app/index.html');
    expect(new URL(frame.url()).searchParams.get('embed')).toBe('1');
    expect(await frame.evaluate(() => document.body.dataset.ready)).toBe('true');
    expect(await simState(frame)).toMatchObject({ scenario: 'hello-mesh', stepIndex: 2 });
    expect(await waitForMessage(page, 'ready')).toMatchObject({ index: 3 });
    expect(await frame.locator('header.top').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  describe('controls', () => {
    it('full: the transport bar, mesh switch and panels, but no scenario picker', async () => {
      const { frame, page } = await open('?scenario=hello-mesh&controls=full');
      expect(await frame.getByRole('button', { name: 'Linkerd', exact: true }).isVisible()).toBe(true);
      expect(await frame.getByRole('button', { name: 'Play', exact: true }).isVisible()).toBe(true);
      expect(await frame.locator('aside.right').isVisible()).toBe(true);
      expect(await frame.getByLabel('Scenario').isVisible()).toBe(false);
      await page.close();
    });

    it('minimal: the transport bar and timeline only', async () => {
      const { frame, page } = await open('?scenario=hello-mesh&controls=minimal&narration=off');
      for (const name of ['Play', 'Step forward', 'Step back', 'Restart'])
        expect(await frame.getByRole('button', { name, exact: true }).isVisible(), name).toBe(true);
      expect(await frame.getByRole('slider', { name: 'Timeline' }).isVisible()).toBe(true);
      expect(await frame.getByRole('button', { name: 'Linkerd', exact: true }).isVisible()).toBe(false);
      expect(await frame.locator('aside.right').isVisible()).toBe(false);
      expect(await frame.getByRole('region', { name: 'Narration' }).isVisible()).toBe(false);
      await page.close();
    });

    // Playing, the page is slow to act on in headless Chromium: each frame the compositor reads the
    // WebGL canvas back (software compositing) and waits for SwiftShader to draw it — most of the
    // main thread under load, so each click or query here takes seconds on a busy machine.
    it('none with autoplay: plays at once and keeps a visible Pause button on the picture (WCAG 2.2.2)', { timeout: 150_000 }, async () => {
      const { frame, page, problems } = await open(`?scenario=retries-flaky-pod&controls=none&autoplay=1&theme=dark&origins=${host.origin}`);
      await frame.waitForFunction(() => window.meshSim!.state()!.playing);
      expect(await frame.getByRole('toolbar', { name: 'Playback' }).isVisible()).toBe(false);
      const pause = frame.getByRole('button', { name: 'Pause', exact: true });
      await pause.waitFor({ state: 'visible' });
      await pause.click();
      await frame.waitForFunction(() => !window.meshSim!.state()!.playing);
      // The button follows the player on the next frame.
      await frame.getByRole('button', { name: 'Play', exact: true }).waitFor({ state: 'visible', timeout: 30_000 });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('autoplay is off by default', async () => {
      const { frame, page } = await open(`?scenario=hello-mesh&controls=none&origins=${host.origin}`);
      await waitForMessage(page, 'ready');
      await frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      expect(await simState(frame)).toMatchObject({ playing: false, stepIndex: -1, timeMs: 0 });
      expect(await frame.getByRole('button', { name: 'Pause' }).count()).toBe(0);
      await page.close();
    });
  });

  it('takes mesh=compare: both meshes side by side under one playhead', async () => {
    const { frame, page, problems } = await open(`?scenario=retries-flaky-pod&mesh=compare&controls=minimal&origins=${host.origin}`);
    expect(await waitForMessage(page, 'ready')).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd'] });
    expect(await frame.locator('.stage-wrap canvas').count()).toBe(2);
    expect(await simState(frame)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd'] });
    expect(await frame.getByRole('alert').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes mesh=compare&with=...: three panes in a grid, and tells the host which', async () => {
    const { frame, page, problems } = await open(`?scenario=retries-flaky-pod&mesh=compare&with=linkerd,istio,linkerd&controls=minimal&origins=${host.origin}`);
    expect(await waitForMessage(page, 'ready')).toMatchObject({ mesh: 'compare', meshes: ['linkerd', 'istio', 'linkerd'] });
    expect(await frame.locator('.stage-wrap canvas:visible').count()).toBe(3);
    expect(await frame.locator('.pane-label:visible').allInnerTexts()).toEqual(['Linkerd 2.20 #1 · reference', 'Istio 1.30', 'Linkerd 2.20 #2']);
    // Two rows of two, 4:3 in all: the height follows the width only, so the content fits the frame the host sized from it.
    const wrap = (await frame.locator('.stage-wrap').boundingBox())!;
    expect(wrap.height / wrap.width).toBeCloseTo(3 / 4, 2);
    const [a, b, c] = await Promise.all(['stage', 'stage-2', 'stage-3'].map(async (id) => (await frame.locator(`[data-testid=${id}]`).boundingBox())!));
    expect([b!.y, c!.x]).toEqual([a!.y, a!.x]);
    expect(c!.y).toBeGreaterThan(a!.y + a!.height - 2);
    await page.waitForFunction(() => {
      const r = (window as unknown as { received: { type: string; height?: number }[] }).received.filter((m) => m.type === 'resize').at(-1);
      return r !== undefined && document.getElementById('sim')!.clientHeight === r.height;
    });
    expect(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names a bad with in the frame with the meshes it allows', async () => {
    const { frame, page } = await open(`?scenario=hello-mesh&mesh=compare&with=istio,linkerd,nomesh&origins=${host.origin}`);
    expect(await frame.getByRole('alert').innerText()).toContain(
      `URL parameter with: unknown mesh "nomesh"; give 2 to 6 of ${ALL.join(', ')}, comma-separated (a mesh may appear twice) (got "istio,linkerd,nomesh")`,
    );
    expect((await waitForMessage(page, 'error')).message).toMatch(/^URL parameter with: /);
    expect(await frame.locator('canvas').count()).toBe(0);
    await page.close();
  });

  describe("a course author's own scenario", () => {
    it('loads inline from the fragment, and reads it as text', async () => {
      const own = hello.replace(/^title: .*$/m, 'title: "<b>My lesson</b>"').replace(/^id: .*$/m, 'id: my-lesson');
      const { frame, page, problems } = await open(`?controls=full&origins=${host.origin}#name=lesson-3.yaml&scenario=${pack(own)}`);
      expect(await waitForMessage(page, 'ready')).toMatchObject({ scenario: 'my-lesson', title: '<b>My lesson</b>' });
      expect(await frame.locator('.scenario-title').textContent()).toBe('<b>My lesson</b>');
      expect(await frame.locator('#app b').count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('inline and broken: file:line:column in the frame, nothing loaded', async () => {
      const broken = 'id: broken\ntitle: Broken\nduration: 1s\nservices:\n  - name: a\n    replicas: three\n';
      const { frame, page } = await open(`?controls=full#name=lesson-3.yaml&scenario=${pack(broken)}`);
      expect(await frame.getByRole('alert').innerText()).toMatch(/lesson-3\.yaml:6:\d+: services\[0\]\.replicas/);
      expect(await frame.locator('canvas').count()).toBe(0);
      await page.close();
    });

    it('inline but not a packed scenario: says so', async () => {
      const { frame, page } = await open('?controls=full#scenario=bm90LWNvbXByZXNzZWQ');
      expect(await frame.getByRole('alert').innerText()).toMatch(/URL fragment scenario: not deflate-raw compressed UTF-8 text/);
      await page.close();
    });

    it('by scenarioUrl from its own origin', async () => {
      sim.fixtures.set('lesson.yaml', hello.replace(/^id: .*$/m, 'id: from-url'));
      const { page, problems } = await open(`?scenarioUrl=/fixtures/lesson.yaml&origins=${host.origin}`);
      expect(await waitForMessage(page, 'ready')).toMatchObject({ scenario: 'from-url' });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('by scenarioUrl from another origin: refused unless origins lists it', async () => {
      const { frame, page } = await open(`?scenarioUrl=${stranger.origin}/lesson.yaml`);
      expect(await frame.getByRole('alert').innerText()).toContain(
        `URL parameter scenarioUrl: "${stranger.origin}/lesson.yaml" is on ${stranger.origin}; scenarios load from this page's origin (${sim.origin}) or one listed in origins`,
      );
      expect(await received(page)).toEqual([]);
      await page.close();
    });
  });
});
