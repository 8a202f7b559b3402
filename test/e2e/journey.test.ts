/**
 * A learner's journeys: keyboard-only playing and stepping, switching the mesh mid-run, clicking
 * a packet, following a shared link, and watching with reduced motion.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Player, formatClock, runScenario, type PacketView } from '../../src/player/index.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { FIDELITY_ITEMS } from '../../src/mesh/index.ts';
import { appState, canvasShot, clock, frames, metricsRow, openApp } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/**
 * The picture once it stops changing: two shots a few frames apart that agree. Under a loaded
 * machine a shot right after a key can catch the cached scene before its re-render; the
 * comparison is between settled views, so a view that never settles, or settles elsewhere, fails.
 */
async function settledShot(page: Page): Promise<Buffer> {
  let shot = await canvasShot(page);
  for (let i = 0; i < 20; i++) {
    await frames(page);
    const next = await canvasShot(page);
    if (next.equals(shot)) return shot;
    shot = next;
  }
  return shot;
}

describe('a learner', () => {
  it('plays, steps forward five times and back five times with the keyboard alone, back to the identical view', async () => {
    const { page, problems } = await openApp(browser, site);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window.meshSim?.state()?.timeMs ?? 0) > 1);
    await page.keyboard.press('Space');
    await frames(page);
    expect(await page.getByRole('button', { name: 'Play', exact: true }).count()).toBe(1);
    const before = { clock: await clock(page), shot: await settledShot(page), state: await appState(page) };
    expect(before.state.playing).toBe(false);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await frames(page);
    const moved = await appState(page);
    expect(moved.stepIndex).toBe(before.state.stepIndex + 5);
    expect(await page.getByTestId('live').textContent()).not.toBe('');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await frames(page);
    expect(await clock(page)).toBe(before.clock);
    expect(await appState(page)).toEqual(before.state);
    expect((await settledShot(page)).equals(before.shot)).toBe(true);
    await page.keyboard.press('Home');
    await frames(page);
    expect(await clock(page)).toBe('0.000 s');
    await page.keyboard.press('+');
    await frames(page);
    expect(await page.getByLabel('Speed').inputValue()).toBe('2');
    await page.keyboard.press('?');
    // Its code loads with the first press (shell.ts): the dialog opens when it has come.
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'visible' });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches Istio 1.23 to Linkerd mid-run: same playhead, and the 503s Istio 1.23 retried now reach productpage', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio&istio=1.23&t=4000');
    expect(await clock(page)).toBe('4.000 s');
    expect(await page.getByLabel('Istio release').inputValue()).toBe('1.23');
    expect(await metricsRow(page, 'reviews')).toMatch(/100\.0% \(0 failed\)/);
    await page.getByRole('button', { name: 'Linkerd', exact: true }).click();
    await page.waitForFunction(() => window.meshSim?.state()?.mesh === 'linkerd');
    await frames(page);
    expect(await clock(page)).toBe('4.000 s');
    expect(await page.getByRole('button', { name: 'Linkerd', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const row = await metricsRow(page, 'reviews');
    expect(Number(/\((\d+) failed\)/.exec(row)?.[1])).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('mesh')).toBe('linkerd');
    expect(new URL(page.url()).searchParams.get('istio')).toBe('1.23');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('FIDELITY B1: the release picker runs Istio 1.23, whose default retries hide the 503s Istio 1.30 lets through', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio&t=4000');
    const picker = page.getByLabel('Istio release');
    expect(await picker.inputValue()).toBe('1.30');
    expect(Number(/\((\d+) failed\)/.exec(await metricsRow(page, 'reviews'))?.[1])).toBeGreaterThan(0);
    await picker.selectOption('1.23');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('istio') === '1.23');
    await frames(page);
    expect(await clock(page)).toBe('4.000 s');
    expect(await metricsRow(page, 'reviews')).toMatch(/100\.0% \(0 failed\)/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('clicks a packet and reads it in the inspector', async () => {
    // The 503 reviews-1's sidecar sends back at 1.281 s, on its way: the moment, simulated here.
    const file = 'scenarios/retries-flaky-pod.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('\n'));
    const f = run.trace.events.find((e) => e.type === 'flight' && e.t === 1281 && e.label === '503' && e.to === 'productpage-0/proxy')!;
    // A link to the time where it is farthest along: the steps of 1.281 s play staggered, and a
    // link to a time shows every step whose clock has not passed it (Player.seekTime), so it has
    // only just left reviews-1's sidecar (clicked all the same: a packet is picked before a box).
    const player = new Player(run.trace);
    const progressAt = (t: number): number => {
      player.seekTime(t);
      return [...player.view().packets].find((p) => p.seq === f.seq)?.progress ?? -1;
    };
    const t = Array.from({ length: 400 }, (_, i) => f.t + i / 20).reduce((best, x) => (progressAt(x) > progressAt(best) ? x : best));
    expect(progressAt(t)).toBeGreaterThan(0);
    const { page } = await openApp(browser, site, `?scenario=retries-flaky-pod&mesh=istio&t=${t}`);
    const packet = (await page.evaluate(() => window.meshSim!.packetsOnScreen())).find((p) => p.seq === f.seq);
    expect(packet?.label).toBe('503');
    const box = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
    await page.mouse.click(box.x + packet!.x, box.y + packet!.y);
    await frames(page);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    expect(await inspector.getByRole('heading', { level: 2 }).innerText()).toBe('Packet: 503');
    const text = await inspector.innerText();
    expect(text).toMatch(/attempt\s+1/);
    expect(text).toMatch(/mTLS\s+yes/);
    expect(text).toMatch(/Decisions for req-\d+/i);
    expect(text).toMatch(/Istio default load balancer/);
    // The cause's source links the fidelity item to its upstream page (istio/FIDELITY.md D1).
    const link = inspector.getByRole('link', { name: 'FIDELITY D1' }).first();
    expect(await link.getAttribute('href')).toBe(FIDELITY_ITEMS.D1!.upstream);
    expect(FIDELITY_ITEMS.D1!.upstream).toMatch(/^https:\/\/istio\.io\//);
    // Some steps on (other requests play alongside), the client's sidecar decides not to retry the 503: the cause names the release
    // whose default decided (FIDELITY B1: 503 not retried since 1.24).
    const cause = /Istio 1\.30 default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled — not on 503 \(since 1\.24\)/;
    for (let i = 0; i < 16 && !cause.test(await inspector.innerText()); i++) {
      await page.keyboard.press('ArrowRight');
      await frames(page);
    }
    expect(await inspector.innerText()).toMatch(cause);
    await page.close();
  });

  it('opens a shared link on the exact view it names', async () => {
    // A moment with the most packets in flight (a handshake), and what is in flight then, simulated here.
    const file = 'scenarios/hello-mesh.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'linkerd' });
    if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('\n'));
    const inFlight = (t: number): PacketView[] => {
      const player = new Player(run.trace);
      player.seekTime(t);
      return [...player.view().packets];
    };
    const t = run.trace.events
      .flatMap((e) => (e.type === 'flight' && e.departMs > 0 && e.arriveMs > e.departMs ? [(e.departMs + e.arriveMs) / 2] : []))
      .reduce((best, x) => (inFlight(x).length > inFlight(best).length ? x : best));
    const expected = inFlight(t);
    expect(expected.length).toBeGreaterThanOrEqual(3);

    const link = `?scenario=hello-mesh&mesh=linkerd&t=${t}`;
    const { page } = await openApp(browser, site, link);
    expect(await page.getByLabel('Scenario').inputValue()).toBe('hello-mesh');
    expect(await page.getByRole('button', { name: 'Linkerd', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await clock(page)).toBe(formatClock(t));
    expect(await appState(page)).toMatchObject({ scenario: 'hello-mesh', mesh: 'linkerd', timeMs: t });
    // The picture shows those very packets, each inside the canvas.
    const drawn = await page.evaluate(() => window.meshSim!.packetsOnScreen());
    expect(drawn.map((p) => [p.seq, p.label])).toEqual(expected.map((p) => [p.seq, p.label]));
    const box = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
    for (const p of drawn) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(box.width);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(box.height);
    }
    const again = await openApp(browser, site, link);
    expect((await settledShot(again.page)).equals(await settledShot(page))).toBe(true);
    await again.page.close();
    await page.close();
  });

  it('honours reduced motion: packets hold still between steps', async () => {
    // Two times between the same two steps, where the warp's moments show those steps (not 1.281x s:
    // there the 1.281 s steps still play, and a link lands on the last of them: seekTime.test.ts),
    // with a packet on its way. With reduced motion both show the last step's picture (no badge goes
    // and no packet lands between steps: player/paneView.ts, stillBetweenSteps.test.ts).
    const between = ['?scenario=retries-flaky-pod&t=1028.2', '?scenario=retries-flaky-pod&t=1028.8'];
    const still = await Promise.all(between.map((q) => openApp(browser, site, q, { reducedMotion: true })));
    const moving = await Promise.all(between.map((q) => openApp(browser, site, q)));
    const [a, b] = await Promise.all(still.map((p) => canvasShot(p.page)));
    const [c, d] = await Promise.all(moving.map((p) => canvasShot(p.page)));
    expect(a!.equals(b!)).toBe(true);
    expect(c!.equals(d!)).toBe(false);
    // Playing with reduced motion moves from step to step: the clock always shows a step's time.
    const page = still[0]!.page;
    await page.keyboard.press('Space');
    await page.waitForFunction((start) => (window.meshSim?.state()?.stepIndex ?? 0) > start + 1, (await appState(page)).stepIndex);
    await page.keyboard.press('Space');
    await frames(page);
    const current = await page.locator('.event[aria-current=step] .event-time').innerText();
    expect(await clock(page)).toBe(current);
    for (const p of [...still, ...moving]) await p.page.close();
  });
});
