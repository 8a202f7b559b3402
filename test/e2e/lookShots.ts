/**
 * A tool, not a test (vitest runs `*.test.ts` only): screenshots every library scenario under
 * every mesh the app offers it under, at its most telling moment, plus compare mode with its
 * default meshes, at 1280×800 — for a person to look at every picture quickly (issue 12's "look at
 * every library scenario under each mesh and in compare mode").
 *
 *   npx tsx test/e2e/lookShots.ts [out-dir] [scenario-filter]
 *
 * Files are `<scenario>__<mesh>.png` (and `<scenario>__compare.png`); `index.txt` lists each shot
 * with its URL and moment. The moment is the first checkpoint's time (after 0 s) when the scenario has one,
 * else just after its first change reaches the proxies, else mid-run.
 */
import { resolve } from 'node:path';
import { frames } from './harness.ts';
import { shootLibrary } from './libraryShots.ts';
import { tellingMomentMs } from '../helpers/moments.ts';

const out = resolve(process.argv[2] ?? '/work/plan/shots5');
const filter = process.argv[3] ? new RegExp(process.argv[3]) : null;

await shootLibrary(out, filter, async ({ page, url, id, scenario, mesh }) => {
  const t = tellingMomentMs(scenario);
  const query = `?scenario=${id}&mesh=${mesh}&t=${t}`;
  await page.goto(url + query);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 180_000 });
  await page.waitForFunction(() => (window.meshSim?.state()?.timeMs ?? -1) >= 0);
  await frames(page);
  const name = `${id}__${mesh}.png`;
  await page.screenshot({ path: `${out}/${name}` });
  return [`${name}  t=${t} ms  ${query}`];
});
