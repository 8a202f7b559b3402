/**
 * The address after a mesh switch (issue 11): the page writes it (history.replaceState, which took
 * 17–144 ms a switch on a loaded machine) once the new mesh's picture is on the canvas, not before.
 */
import { describe, expect, it } from 'vitest';
import { frames, openApp } from './harness.ts';
import { siteAndBrowser } from './siteAndBrowser.ts';

const e2e = siteAndBrowser();

describe('the address after a mesh switch', () => {
  it('is written once the new picture is drawn', async () => {
    const { page, problems } = await openApp(e2e.browser, e2e.site, '?scenario=retries-flaky-pod&mesh=linkerd&t=1000');
    // The canvas as it is when the address changes (its drawing buffer is preserved).
    await page.evaluate(() => {
      const w = window as unknown as { atUrl: { query: string; canvas: string }[] };
      w.atUrl = [];
      const replace = history.replaceState.bind(history);
      history.replaceState = (data: unknown, unused: string, url?: string | URL | null) => {
        w.atUrl.push({ query: String(url), canvas: document.querySelector<HTMLCanvasElement>('.stage canvas')!.toDataURL() });
        replace(data, unused, url);
      };
    });
    await page.getByRole('button', { name: 'Istio', exact: true }).click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mesh') === 'istio');
    await frames(page);
    const { atUrl, now } = await page.evaluate(() => ({
      atUrl: (window as unknown as { atUrl: { query: string; canvas: string }[] }).atUrl,
      now: document.querySelector<HTMLCanvasElement>('.stage canvas')!.toDataURL(),
    }));
    expect(atUrl.map((u) => new URLSearchParams(u.query).get('mesh'))).toEqual(['istio']);
    expect(atUrl[0]!.canvas === now, "the canvas showed Istio's picture when the address said istio").toBe(true);
    expect(new URL(page.url()).searchParams.get('t')).toBe('1000');
    expect(problems).toEqual([]);
    await page.close();
  });
});
