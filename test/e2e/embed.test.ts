/**
 * A course page on one origin embeds the simulator from another in an iframe and talks to it
 * with postMessage: it drives playback, hears progress and sizes the frame to its content;
 * strangers and malformed messages change nothing and break nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { buildSite } from './site.ts';
import {
  ENV,
  noteDelivered,
  openEmbed,
  pageOrigin,
  received,
  send,
  simOrigin,
  simState as state,
  waitDelivered,
  waitForMessage,
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

beforeAll(async () => {
  host = await pageOrigin();
  stranger = await pageOrigin();
  sim = await simOrigin(buildSite(), [host.origin]);
  sim.fixtures.set('broken.yaml', 'id: broken\ntitle: Broken\nduration: 1s\nservices:\n  - name: a\n    replicas: three\n');
  browser = await workerBrowser();
});

const openLesson = (query: string, extra = ''): Promise<Lesson> => openEmbed(browser, host, sim, query, extra);

afterAll(async () => {
  await releaseBrowser(browser);
  await Promise.all([sim?.close(), host?.close(), stranger?.close()]);
});

describe('a course page embedding the simulator in an iframe', () => {
  it('drives it with play, pause, step and seek, and hears ready, step, completed and resize', async () => {
    const { page, frame, problems } = await openLesson(`?scenario=hello-mesh&controls=minimal&origins=${host.origin}`);
    const ready = await waitForMessage(page, 'ready');
    expect(ready).toMatchObject({ ...ENV, scenario: 'hello-mesh', mesh: 'istio', index: 0, t: 0 });
    const steps = ready.steps as number;
    expect(steps).toBeGreaterThan(20);

    // Auto-resize: the page set the frame to the height the frame asked for, and it all fits.
    const resize = await waitForMessage(page, 'resize');
    expect(resize.height).toBeGreaterThan(300);
    await page.waitForFunction(
      (h) => document.getElementById('sim')!.clientHeight === h,
      (await received(page)).filter((m) => m.type === 'resize').at(-1)!.height,
    );
    expect(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);

    await send(page, { type: 'step' });
    const first = await waitForMessage(page, 'step', { index: 1 });
    expect(first.statement).toMatchObject({
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: `${sim.url}scenarios/hello-mesh/steps/1` },
    });
    expect((await state(frame)).stepIndex).toBe(0);

    await send(page, { type: 'step', index: 6 });
    await waitForMessage(page, 'step', { index: 6 });
    expect(await frame.locator('.step-info').innerText()).toBe(`step 6 of ${steps}`);

    await send(page, { type: 'seek', t: 500 });
    const seeked = await waitForMessage(page, 'step', { t: 500 });
    expect(seeked.index).toBe((await state(frame)).stepIndex + 1);
    expect(await frame.getByLabel('Simulation time').innerText()).toBe('0.500 s');

    await send(page, { type: 'play' });
    await frame.waitForFunction(() => window.meshSim!.state()!.timeMs > 500);
    expect(await frame.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(1);
    await send(page, { type: 'pause' });
    await frame.waitForFunction(() => !window.meshSim!.state()!.playing);

    expect((await received(page)).some((m) => m.type === 'completed')).toBe(false);
    await send(page, { type: 'step', index: steps });
    const completed = await waitForMessage(page, 'completed');
    expect(completed).toMatchObject({
      scenario: 'hello-mesh',
      mesh: 'istio',
      statement: { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, result: { completion: true } },
    });
    expect((completed.statement as { result: { duration: string } }).result.duration).toMatch(/^PT\d+(\.\d+)?S$/);

    const all = await received(page);
    expect(all.every((m) => m.source === 'mesh-sim' && m.version === 1)).toBe(true);
    expect(all.filter((m) => m.type === 'error')).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws and plays without zod, which loads with the host's first command", async () => {
    const scripts: string[] = [];
    const { page, frame } = await openEmbed(
      browser,
      host,
      sim,
      `?scenario=hello-mesh&controls=minimal&autoplay=1&origins=${host.origin}`,
      '',
      'index.html',
      (p) =>
        p.on('response', (r) => {
          if (r.url().endsWith('.js')) scripts.push(r.url().replace(/^.*\//, ''));
        }),
    );
    await waitForMessage(page, 'ready');
    await frame.waitForFunction(() => window.meshSim!.state()!.timeMs > 0);
    const zod = (): boolean => scripts.some((s) => s.startsWith('zod-'));
    expect(zod()).toBe(false);
    // Waits for zod's chunk itself: the run may reach its end (and stop playing) before the
    // command is carried out, and the page's response events may trail the frame's state.
    const zodLoads = page.waitForResponse((r) => /\/zod-[^/]*\.js$/.test(r.url()), { timeout: 60_000 });
    await send(page, { type: 'pause' });
    await zodLoads;
    await frame.waitForFunction(() => !window.meshSim!.state()!.playing);
    expect(zod()).toBe(true);
    await page.close();
  });

  it('tells the page when the learner answers a checkpoint, with an "answered" statement', async () => {
    const { page, frame, problems } = await openLesson(`?scenario=hello-mesh&controls=minimal&origins=${host.origin}`);
    await waitForMessage(page, 'ready');
    await send(page, { type: 'play' });
    const dialog = frame.getByRole('dialog', { name: /^Checkpoint at/ });
    await dialog.waitFor({ state: 'visible' });
    const question = await dialog.locator('.checkpoint-question').innerText();
    const radio = dialog.getByRole('radio', { name: 'yes' });
    const answer = (await radio.count()) ? 'yes' : '2';
    if (answer === 'yes') await radio.check();
    else await dialog.getByLabel('Your prediction').fill(answer);
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    const answered = await waitForMessage(page, 'checkpoint');
    expect(answered).toMatchObject({ question, answer });
    expect(typeof answered.correct).toBe('boolean');
    expect(answered.statement).toMatchObject({
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered' },
      object: { id: `${sim.url}scenarios/hello-mesh/checkpoints/${answered.index}`, definition: { name: { 'en-US': question } } },
      result: { response: answered.answer, success: answered.correct },
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('ignores commands from another origin, from another window and malformed ones, without an error', async () => {
    stranger.pages.set('/attack.html', '<!doctype html><title>x</title><p>stranger</p>');
    host.pages.set('/sibling.html', '<!doctype html><title>x</title><p>sibling</p>');
    const { page, frame, problems } = await openLesson(
      `?scenario=hello-mesh&controls=minimal&origins=${host.origin}`,
      `<iframe id="stranger" src="${stranger.origin}/attack.html"></iframe><iframe id="sibling" src="/sibling.html"></iframe>`,
    );
    await waitForMessage(page, 'ready');
    await noteDelivered(frame);
    const before = await state(frame);
    const play = { ...ENV, type: 'play' };
    const attacker = page.frames().find((f) => f.url().startsWith(stranger.origin))!;
    const sibling = page.frames().find((f) => f.url().endsWith('/sibling.html'))!;
    // A stranger's page in the same tab, posting to the simulator's frame with '*'.
    await attacker.evaluate((m) => {
      const target = parent.frames[0]!;
      target.postMessage(m, '*');
      target.postMessage({ ...m, type: 'loadScenario', url: `${location.origin}/evil.yaml` }, '*');
      target.postMessage({ ...m, type: 'seek', t: 5000 }, '*');
    }, play);
    // A window of the allowed origin that is not the frame's parent.
    await sibling.evaluate((m) => parent.frames[0]!.postMessage(m, '*'), play);
    // The course page itself, with messages that are not commands.
    const fromPage = await page.evaluate((env) => {
      const bad: unknown[] = [
        'play',
        JSON.stringify({ ...env, type: 'play' }),
        null,
        42,
        [env.source, env.version, 'play'],
        { type: 'play' },
        { ...env, version: 2, type: 'play' },
        { ...env, type: 'play', extra: true },
        { ...env, type: 'eval', code: 'alert(1)' },
        { ...env, type: 'seek', t: Number.NaN },
        { ...env, type: 'seek', t: -5 },
        { ...env, type: 'seek', t: '2000' },
        { ...env, type: 'setMesh', mesh: 'nomesh' },
        { ...env, type: 'loadScenario' },
        { ...env, type: 'loadScenario', id: '../../secrets' },
        JSON.parse('{"source":"mesh-sim","version":1,"type":"play","__proto__":{"polluted":1}}'),
        { ...env, type: 'step', index: 1e12 },
        new Array(10000).fill({ ...env, type: 'play' }),
      ];
      for (const m of bad) (window as unknown as { send(m: unknown): void }).send(m);
      return bad.length;
    }, ENV);
    const misnamed = await page.evaluate(
      (m) => {
        const frame = document.getElementById('sim') as HTMLIFrameElement;
        for (const x of m) frame.contentWindow!.postMessage(x, '*');
        return m.length;
      },
      [{ ...ENV, type: 'play' }].map((m) => ({ ...m, source: 'mesh-simulator' })),
    );
    // Every one of them has reached the simulator (and was dropped): nothing moved.
    await waitDelivered(frame, stranger.origin, false, 3);
    await waitDelivered(frame, host.origin, false, 1);
    await waitDelivered(frame, host.origin, true, fromPage + misnamed);
    expect(await state(frame)).toEqual(before);
    // A valid command last: it is carried out.
    await send(page, { type: 'step', index: 3 });
    await waitForMessage(page, 'step', { index: 3 });
    const after = await state(frame);
    expect(after).toMatchObject({ scenario: before.scenario, mesh: before.mesh, playing: false, stepIndex: 2 });
    expect(await frame.evaluate(() => ({}) as Record<string, unknown>).then((o) => o.polluted)).toBeUndefined();
    expect((await received(page)).filter((m) => m.type === 'error')).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends nothing to a page whose origin is not in origins, never posting to *', async () => {
    const { page, frame, problems } = await openLesson(`?scenario=hello-mesh&origins=${stranger.origin}`);
    expect(await frame.evaluate(() => document.body.dataset.ready)).toBe('true');
    // Wait two frames in the simulator (it announces itself on the first), then post a marker
    // from the frame: messages from one window arrive in order, so anything sent before it
    // would be there.
    await frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    await page.evaluate(() => addEventListener('message', (e) => e.data === 'marker' && ((window as unknown as { marker: boolean }).marker = true)));
    await frame.evaluate(() => parent.postMessage('marker', '*'));
    await page.waitForFunction(() => (window as unknown as { marker?: boolean }).marker === true);
    expect(await received(page)).toEqual(['marker']);
    // Nor does it take commands from that page: one that has provably arrived changes nothing.
    await noteDelivered(frame);
    await send(page, { type: 'step', index: 4 });
    await waitDelivered(frame, host.origin, true, 1);
    await frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    expect((await state(frame)).stepIndex).toBe(-1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('answers a command that cannot be carried out with an error event, and keeps the current scenario', async () => {
    const { page, frame } = await openLesson(`?scenario=hello-mesh&controls=minimal&origins=${host.origin}`);
    await waitForMessage(page, 'ready');
    await send(page, { type: 'loadScenario', id: 'nope' });
    expect((await waitForMessage(page, 'error')).message).toMatch(/^loadScenario: no scenario "nope" in the library \(.*hello-mesh.*\)/);
    await send(page, { type: 'loadScenario', url: '/fixtures/broken.yaml' });
    await page.waitForFunction(() => (window as unknown as { received: { type: string }[] }).received.filter((m) => m.type === 'error').length === 2);
    const errors = (await received(page)).filter((m) => m.type === 'error');
    expect(errors[1]!.message).toMatch(/^loadScenario: broken\.yaml:6:\d+: services\[0\]\.replicas/);
    expect((await state(frame)).scenario).toBe('hello-mesh');
    expect(await frame.getByRole('alert').isHidden()).toBe(true);

    await send(page, { type: 'loadScenario', id: 'timeouts' });
    expect(await waitForMessage(page, 'ready', { scenario: 'timeouts' })).toMatchObject({ index: 0, mesh: 'istio' });
    await send(page, { type: 'setMesh', mesh: 'linkerd' });
    await waitForMessage(page, 'ready', { scenario: 'timeouts', mesh: 'linkerd' });
    expect(await state(frame)).toMatchObject({ scenario: 'timeouts', mesh: 'linkerd' });
    await page.close();
  });

  it('switches to compare with a with list by setMesh, and answers a bad list with an error event', async () => {
    const { page, frame, problems } = await openLesson(`?scenario=timeouts&controls=minimal&origins=${host.origin}`);
    await waitForMessage(page, 'ready');
    await send(page, { type: 'setMesh', mesh: 'compare', with: ['istio', 'linkerd', 'istio'] });
    expect(await waitForMessage(page, 'ready', { mesh: 'compare' })).toMatchObject({ meshes: ['istio', 'linkerd', 'istio'] });
    expect(await state(frame)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd', 'istio'] });
    expect(await frame.locator('.stage-wrap canvas:visible').count()).toBe(3);

    await send(page, { type: 'setMesh', mesh: 'compare', with: ['istio', 'linkerd', 'istio', 'linkerd', 'istio', 'linkerd', 'istio'] });
    expect((await waitForMessage(page, 'error')).message).toBe(
      `setMesh: with: lists 7 meshes; compare shows 2 to 6 side by side: give 2 to 6 of ${ALL.join(', ')}, comma-separated`,
    );
    await send(page, { type: 'setMesh', mesh: 'linkerd', with: ['istio', 'linkerd'] });
    await page.waitForFunction(() => (window as unknown as { received: { type: string }[] }).received.filter((m) => m.type === 'error').length === 2);
    expect((await received(page)).filter((m) => m.type === 'error')[1]!.message).toMatch(/^setMesh: with: .* needs mesh=compare \(mesh is "linkerd"\)$/);
    expect(await state(frame)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd', 'istio'] });

    // compare alone: Istio and Linkerd.
    await send(page, { type: 'setMesh', mesh: 'compare' });
    await frame.waitForFunction(() => window.meshSim!.state()!.meshes.length === 2);
    const ready = (await received(page)).filter((m) => m.type === 'ready').at(-1)!;
    expect(ready).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd'] });
    expect(problems).toEqual([]);
    await page.close();
  });
});
