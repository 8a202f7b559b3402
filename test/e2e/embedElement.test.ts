/**
 * `<mesh-sim>` on a plain HTML page of another origin: a poster and a Play button from a loader of
 * a few KB, the simulator loaded on demand, driven through the element's methods and attributes,
 * its events heard on the element, and its height following the content.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { buildSite } from './site.ts';
import { pageOrigin, received, simOrigin, simState, waitForMessage, watchedPage, type Origin, type SimOrigin } from './embedServers.ts';

let sim: SimOrigin;
let host: Origin;
let browser: Browser;

beforeAll(async () => {
  host = await pageOrigin();
  sim = await simOrigin(buildSite(), [host.origin]);
  browser = await workerBrowser();
});

afterAll(async () => {
  await releaseBrowser(browser);
  await Promise.all([sim?.close(), host?.close()]);
});

/** A plain course page with `elements`, recording every element event's detail in `window.received`. */
function coursePage(elements: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lesson</title><link rel="icon" href="data:,">
<script type="module" src="${sim.url}mesh-sim.js"></script></head>
<body><h1>Lesson 3</h1>
${elements}
<script>
  window.received = [];
  for (const el of document.querySelectorAll('mesh-sim'))
    for (const type of ['ready', 'step', 'narration', 'checkpoint', 'completed', 'resize', 'error'])
      el.addEventListener(type, (e) => received.push({ ...e.detail, element: el.id }));
</script></body></html>`;
}

async function openCourse(elements: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const path = `/course-${host.pages.size}.html`;
  host.pages.set(path, coursePage(elements));
  const { page, problems } = await watchedPage(browser);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(host.origin + path);
  return { page, problems, requests };
}

async function frameOf(page: Page, id: string): Promise<Frame> {
  const handle = await page.waitForSelector(`mesh-sim#${id} >> iframe`);
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForSelector('body[data-ready]');
  return frame;
}

const call = (page: Page, method: string, ...args: unknown[]): Promise<void> =>
  page.evaluate(([method, args]) => (document.getElementById('sim') as unknown as Record<string, (...a: unknown[]) => void>)[method]!(...args), [
    method,
    args,
  ] as const);

describe('<mesh-sim>', () => {
  it('shows a poster with a Play button, loading only the small loader until the learner presses it', async () => {
    const { page, problems, requests } = await openCourse('<mesh-sim id="sim" scenario="hello-mesh" controls="minimal" style="width:900px"></mesh-sim>');
    const play = page.getByRole('button', { name: 'Play the simulation: Hello mesh' });
    await play.waitFor();
    expect(await page.locator('mesh-sim >> svg').count()).toBeGreaterThan(0);
    expect(await page.locator('mesh-sim >> iframe').count()).toBe(0);
    const fromSim = requests.filter((u) => u.startsWith(sim.origin));
    expect(fromSim).toEqual([`${sim.url}mesh-sim.js`]);
    const loader = await page.evaluate(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer()), `${sim.url}mesh-sim.js`);
    expect(gzipSync(Buffer.from(Object.values(loader) as number[]), { level: 9 }).length).toBeLessThanOrEqual(10 * 1024);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('plays on Play, then follows its methods and attributes and tells the page through events', async () => {
    const { page, problems } = await openCourse('<mesh-sim id="sim" scenario="hello-mesh" controls="minimal" style="width:900px"></mesh-sim>');
    // The frame notes whether its Play button was ever relabelled Pause: a short run under slow frames
    // may reach its end (Play again) before a test looks at the button.
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if ([...document.querySelectorAll('button')].some((b) => b.getAttribute('aria-label') === 'Pause' && b.checkVisibility()))
          (window as { sawPause?: boolean }).sawPause = true;
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Play the simulation: Hello mesh' }).click();
    const frame = await frameOf(page, 'sim');
    expect(await page.locator('mesh-sim >> iframe').getAttribute('title')).toBe('mesh-sim: Hello mesh');
    const ready = await waitForMessage(page, 'ready');
    expect(ready).toMatchObject({ scenario: 'hello-mesh', mesh: 'istio', element: 'sim' });
    // The learner pressed Play: it plays — Pause is there, and the frame tells of a step it reached on
    // its own. Neither is looked at once: the button is relabelled on the next frame, and a short run
    // under slow frames may be at its end, playing no more, before the test looks (CI, stop 27).
    await frame.waitForFunction(() => (window as { sawPause?: boolean }).sawPause === true, undefined, { timeout: 30_000 });
    expect((await waitForMessage(page, 'step')).index).toBeGreaterThan(ready.index as number);

    await call(page, 'pause');
    await frame.waitForFunction(() => !window.meshSim!.state()!.playing);
    // From here on only what the page's calls cause is heard: the steps played are forgotten, and the
    // step asked for is one the run is not at (a message for it must be new).
    await page.evaluate(() => ((window as unknown as { received: unknown[] }).received.length = 0));
    const target = (await simState(frame)).stepIndex === 3 ? 3 : 4;
    await call(page, 'step', target);
    await waitForMessage(page, 'step', { index: target });
    expect((await simState(frame)).stepIndex).toBe(target - 1);
    await call(page, 'seek', 700);
    await waitForMessage(page, 'step', { t: 700 });

    // Auto-resize: the element's frame is as tall as the content says.
    await page.waitForFunction(() => {
      const r = (window as unknown as { received: { type: string; height?: number }[] }).received.filter((m) => m.type === 'resize').at(-1);
      const frame = document.querySelector('mesh-sim')!.shadowRoot!.querySelector('iframe')!;
      return r !== undefined && frame.getBoundingClientRect().height === r.height;
    });
    expect(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);

    await page.evaluate(() => document.getElementById('sim')!.setAttribute('mesh', 'linkerd'));
    await waitForMessage(page, 'ready', { mesh: 'linkerd' });
    expect(await simState(frame)).toMatchObject({ scenario: 'hello-mesh', mesh: 'linkerd' });

    await call(page, 'step', (await waitForMessage(page, 'ready', { mesh: 'linkerd' })).steps);
    expect(await waitForMessage(page, 'completed')).toMatchObject({ scenario: 'hello-mesh', mesh: 'linkerd' });
    expect((await received(page)).filter((m) => m.type === 'error')).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('loads at once with loading="eager", without playing; several on a page stay independent', async () => {
    const { page, problems } = await openCourse(
      '<mesh-sim id="a" loading="eager" scenario="hello-mesh" controls="none" narration="off"></mesh-sim><mesh-sim id="b" loading="eager" scenario="timeouts" controls="minimal" theme="dark"></mesh-sim>',
    );
    await waitForMessage(page, 'ready', { element: 'a', scenario: 'hello-mesh' });
    await waitForMessage(page, 'ready', { element: 'b', scenario: 'timeouts' });
    const [a, b] = [await frameOf(page, 'a'), await frameOf(page, 'b')];
    expect(await simState(a)).toMatchObject({ scenario: 'hello-mesh', playing: false });
    await page.evaluate(() => (document.getElementById('b') as unknown as { step(i: number): void }).step(2));
    await waitForMessage(page, 'step', { element: 'b', index: 2 });
    expect((await simState(a)).stepIndex).toBe(-1);
    expect(await b.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('compares the meshes its with attribute lists, and follows a change of it', async () => {
    const { page, problems } = await openCourse(
      '<mesh-sim id="sim" loading="eager" scenario="hello-mesh" mesh="compare" with="istio,linkerd,istio" controls="minimal"></mesh-sim>',
    );
    const frame = await frameOf(page, 'sim');
    expect(await waitForMessage(page, 'ready', { element: 'sim' })).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd', 'istio'] });
    expect(await frame.locator('.stage-wrap canvas:visible').count()).toBe(3);
    await page.evaluate(() => document.getElementById('sim')!.setAttribute('with', 'linkerd,istio'));
    await frame.waitForFunction(() => window.meshSim!.state()!.meshes.join() === 'linkerd,istio');
    await page.waitForFunction(() =>
      (window as unknown as { received: { type: string; meshes?: string[] }[] }).received.some(
        (m) => m.type === 'ready' && m.meshes?.join() === 'linkerd,istio',
      ),
    );
    expect(await frame.locator('.stage-wrap canvas:visible').count()).toBe(2);
    await call(page, 'setMesh', 'compare', ['linkerd', 'linkerd', 'istio', 'istio']);
    await frame.waitForFunction(() => window.meshSim!.state()!.meshes.join() === 'linkerd,linkerd,istio,istio');
    expect((await received(page)).filter((m) => m.type === 'error')).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a bad attribute's message inside the element and raises an error event", async () => {
    const { page } = await openCourse('<mesh-sim id="sim" loading="eager" scenario="hello-mesh" controls="tiny"></mesh-sim>');
    const frame = await frameOf(page, 'sim');
    expect(await frame.getByRole('alert').innerText()).toContain('URL parameter controls: must be full, minimal or none (got "tiny")');
    expect((await waitForMessage(page, 'error')).message).toContain('URL parameter controls');
    await page.close();
  });
});
