/**
 * Screenshots for looking at views: `npx tsx test/tools/shots.ts <outdir> [query...]`, each at
 * 1280x800 and 390x844 (the viewport and the full page). `SHOTS_EXTENSIONS=test/extensions/linkerdCopy.ts`
 * builds with extra meshes. Not a test.
 */
import { buildSite, launch, serve } from '../e2e/site.ts';

const [out = '/tmp/shots', ...queries] = process.argv.slice(2);
const extensions = (process.env.SHOTS_EXTENSIONS ?? '').split(',').filter(Boolean);
const site = await serve(buildSite(extensions));
const browser = await launch();
const sizes: [string, number, number][] = [
  ['wide', 1280, 800],
  ['narrow', 390, 844],
];
try {
  for (const q of queries) {
    for (const [name, width, height] of sizes) {
      const page = await browser.newPage({ viewport: { width, height } });
      page.on('pageerror', (e) => console.error(`pageerror ${q}: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && console.error(`console ${q}: ${m.text()}`));
      await page.goto(site.url + q);
      await page.waitForSelector('body[data-ready]');
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
      const file = `${out}/${q.replace(/[^\w]+/g, '_').slice(1, 80)}-${name}.png`;
      await page.screenshot({ path: file });
      await page.screenshot({ path: file.replace(/\.png$/, '-full.png'), fullPage: true });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      console.log(file, scrollWidth > width ? `overflows: ${scrollWidth}px wide` : '');
      await page.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
