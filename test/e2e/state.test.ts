/**
 * State on screen: what a lesson is about is drawn where the learner looks — an ejected endpoint
 * on its caller's link at that endpoint, the control plane stopped, each proxy's config version
 * going stale and synced — read from the scene's own labels and the canvas's pixels.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, inside, openApp, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

type Label = Rect & { text: string; px: number };

const labels = (page: Page): Promise<Label[]> => page.evaluate(() => window.meshSim!.textsOnScreen());
const card = async (page: Page, pod: string): Promise<Rect> => (await page.evaluate((p) => window.meshSim!.cardOnScreen(p), pod))!;
const centre = (r: Rect): { x: number; y: number } => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });
const distance = (a: Rect, b: Rect): number => Math.hypot(centre(a).x - centre(b).x, centre(a).y - centre(b).y);

async function seek(page: Page, t: number): Promise<void> {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const url = new URL(page.url());
  url.searchParams.set('t', String(t));
  await page.goto(url.toString());
  await page.waitForSelector('body[data-ready=true]');
  await frames(page);
}

/** The colour of the canvas pixel at CSS point (x, y) relative to the canvas. */
function pixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([px, py]) => {
      const source = document.querySelector<HTMLCanvasElement>('[data-testid=stage] canvas')!;
      const scale = source.width / source.clientWidth;
      const c = document.createElement('canvas');
      c.width = source.width;
      c.height = source.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(source, 0, 0);
      const d = ctx.getImageData(Math.round(px! * scale), Math.round(py! * scale), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [x, y],
  );
}

describe('state on screen', () => {
  it.each(['istio', 'linkerd'])('marks the endpoint ejected at the breakpoint on that endpoint, not on its caller (%s)', async (mesh) => {
    const { page, problems } = await openApp(browser, site, `?scenario=outlier-vs-failure-accrual&mesh=${mesh}`);
    await page.getByText('Breakpoints', { exact: true }).click();
    await page.getByLabel('a breaker opens or an endpoint is ejected').check();
    await page.getByLabel('Speed').selectOption('10');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.timeMs > 0 && !window.meshSim!.state()!.playing, undefined, { timeout: 60_000 });
    await frames(page);
    expect(await page.getByRole('status').filter({ hasText: 'Paused at a breakpoint' }).count()).toBe(1);
    const t = (await appState(page)).timeMs;
    // Istio ejects reviews-2 at its third 500 (1.572 s); Linkerd's failure accrual trips on it too.
    expect(t).toBeGreaterThan(1000);
    expect(t).toBeLessThan(2000);
    const pods = ['productpage-0', 'reviews-0', 'reviews-1', 'reviews-2'];
    const cards = Object.fromEntries(await Promise.all(pods.map(async (p) => [p, await card(page, p)] as const)));
    const marksAt = async (): Promise<Label[]> => (await labels(page)).filter((l) => /ejected|in penalty/.test(l.text));
    const expectAtReviews2 = (marks: Label[]): void => {
      for (const m of marks) {
        const nearest = pods.reduce((a, b) => (distance(m, cards[a]!) <= distance(m, cards[b]!) ? a : b));
        expect(nearest, `"${m.text}" at ${Math.round(m.x)},${Math.round(m.y)}`).toBe('reviews-2');
        expect(inside(m, cards['productpage-0']!)).toBe(false);
      }
    };
    // At the decision: its badge, on reviews-2.
    const atDecision = await marksAt();
    expect(atDecision.length).toBe(1);
    expectAtReviews2(atDecision);
    // One step on, the caller's health machine has moved: its link to reviews-2 says so too.
    await page.keyboard.press('ArrowRight');
    await frames(page);
    const after = await marksAt();
    expect(after.length).toBe(2);
    expectAtReviews2(after);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(['istio', 'linkerd'])('draws the control plane stopped while it is down, and running otherwise (%s)', async (mesh) => {
    const { page } = await openApp(browser, site, `?scenario=certificate-rotation&mesh=${mesh}&t=36000000`);
    // Where the control plane is, read again on each page load (the page's height, and with it the picture's zoom, can differ).
    const cp = async (): Promise<Rect> => (await page.evaluate(() => window.meshSim!.controlPlaneOnScreen()))!;
    const status = async (): Promise<string[]> => {
      const box = await cp();
      return (await labels(page)).filter((l) => inside(l, box) && /running|stopped/.test(l.text)).map((l) => l.text);
    };
    // A point inside the frame, left of the title's baseline: the fill.
    const fill = async (): Promise<[number, number, number]> => {
      const box = await cp();
      return pixel(page, box.x + 4, box.y + box.h - 14);
    };
    expect(await status()).toEqual(['● running']);
    const running = await fill();
    expect(running[2]).toBeLessThan(running[0] - 20); // warm yellow: blue well below red
    // The control plane is down from 18 h to 37 h 15 m.
    await seek(page, 72_000_000);
    expect(await status()).toEqual(['■ stopped']);
    const stopped = await fill();
    expect(Math.max(...stopped) - Math.min(...stopped)).toBeLessThan(8); // grey
    await seek(page, 136_000_000);
    expect(await status()).toEqual(['● running']);
    await page.close();
  });

  it('shows each proxy config going stale when istiod takes in a change, and synced at the version pushed', async () => {
    const { page } = await openApp(browser, site, '?scenario=config-push&mesh=istio&t=1900');
    const pods = ['frontend-0', 'frontend-1', 'reviews-0', 'reviews-1', 'reviews-v2-0'];
    const chips = async (): Promise<string[]> => {
      const all = await labels(page);
      return Promise.all(
        pods.map(async (p) => {
          const r = await card(page, p);
          return all
            .filter((l) => inside(l, r) && l.text.startsWith('config'))
            .map((l) => l.text)
            .join(',');
        }),
      );
    };
    expect(await chips()).toEqual(pods.map(() => 'config v0 ✓'));
    // Two changes (2 s and 2.06 s) wait for istiod's debounce; one push (v2) lands at 2.161 s.
    await seek(page, 2100);
    expect(await chips()).toEqual(pods.map(() => 'config v0 · stale'));
    await seek(page, 2300);
    expect(await chips()).toEqual(pods.map(() => 'config v2 ✓'));
    await page.close();
  });

  it('shows Linkerd proxies synced at each version as the policy controller streams it', async () => {
    const { page } = await openApp(browser, site, '?scenario=config-push&mesh=linkerd&t=2030');
    // The card is found again on each page load: the narration's height, and with it the picture's arrangement, can differ.
    const chip = async (): Promise<string[]> => {
      const r = await card(page, 'frontend-0');
      return (await labels(page)).filter((l) => inside(l, r) && l.text.startsWith('config')).map((l) => l.text);
    };
    expect(await chip()).toEqual(['config v1 ✓']);
    await seek(page, 2100);
    expect(await chip()).toEqual(['config v2 ✓']);
    await page.close();
  });
});
