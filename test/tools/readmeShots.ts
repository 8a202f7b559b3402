/**
 * A tool, not a test: takes the README's pictures of the app again from a fresh build, at
 * 1280×800, at the moments their alt texts describe — so that a change to the picture can refresh
 * them with one command instead of by hand:
 *
 *   npx tsx test/tools/readmeShots.ts
 *
 * writes assets/screenshot.png (retries-flaky-pod under Istio at 5.232 s) and assets/ambient.png
 * (ambient-authz-fail-closed under Istio ambient at 1.6 s). The authoring view's picture
 * (assets/authoring.png: completion open in the editor) is taken by hand.
 */
import { resolve } from 'node:path';
import { buildSite, launch, serve } from '../e2e/site.ts';
import { frames } from '../e2e/harness.ts';

const SHOTS: readonly { file: string; query: string }[] = [
  { file: 'assets/screenshot.png', query: '?scenario=retries-flaky-pod&mesh=istio&t=5232' },
  { file: 'assets/ambient.png', query: '?scenario=ambient-authz-fail-closed&mesh=ambient&t=1600' },
];

const root = resolve(import.meta.dirname, '../..');
const site = await serve(buildSite());
const browser = await launch();
try {
  for (const { file, query } of SHOTS) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(site.url + query);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 120_000 });
    await page.waitForFunction(() => window.meshSim!.layoutOnScreen() !== null);
    // Let the picture settle (fonts, the first frames' placement of labels).
    await page.waitForTimeout(1500);
    await frames(page);
    await page.screenshot({ path: resolve(root, file) });
    console.log(`${file} ← ${query}`);
    await page.close();
  }
} finally {
  await browser.close();
  await site.close();
}
