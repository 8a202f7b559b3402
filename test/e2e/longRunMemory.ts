/**
 * A tool, not a test: opens the generated load (test/bench/loadScenario.ts) for `seconds`
 * simulated seconds in the built page and follows the page's processes until the run is ready
 * (`mesh-sim:ready`: simulated, sent and indexed — a long run's first frame is its preview, drawn
 * before the run arrives): peak resident MB of the renderer (and of every Chromium process of this
 * browser), the first frame's and the ready time, and whether the page got there or failed (a
 * page error, a crash, the time limit).
 *
 *   npx tsx test/e2e/longRunMemory.ts [seconds=600] [rate=1000] [limit-s=600]
 */
import { buildSite, launch, serve } from './site.ts';
import { browserRss, probeArg } from './processMemory.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

const seconds = Number(process.argv[2] ?? 600);
const rate = Number(process.argv[3] ?? 1000);
const limitMs = Number(process.argv[4] ?? 600) * 1000;
const tag = probeArg(process.pid);

const site = await serve(buildSite());
site.fixtures.set('load.yaml', loadScenarioYaml(20, 3, rate, seconds));
const browser = await launch([tag]);
const peak: Record<string, number> = {};
let outcome = 'time limit';
const t0 = Date.now();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('crash', () => errors.push('renderer crashed'));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // Sampled on a timer of its own: `page.evaluate` below waits while the page's main thread is
  // busy — indexing the trace, when the renderer's memory peaks — and sampling between two of
  // them missed that peak (654 MB read where a timer read 1,187 MB).
  const sampler = setInterval(() => {
    for (const [k, v] of Object.entries(browserRss(tag))) peak[k] = Math.max(peak[k] ?? 0, Math.round(v));
  }, 200);
  await page.goto(`${site.url}?scenarioUrl=${encodeURIComponent(new URL('/fixtures/load.yaml', site.url).href)}`);
  while (Date.now() - t0 < limitMs) {
    if (errors.length) {
      outcome = `failed: ${errors.join('; ')}`;
      break;
    }
    let at: { first: number | null; ready: number | null } = { first: null, ready: null };
    try {
      at = await page.evaluate(() => ({
        first: performance.getEntriesByName('mesh-sim:first-frame')[0]?.startTime ?? null,
        ready: performance.getEntriesByName('mesh-sim:ready')[0]?.startTime ?? null,
      }));
    } catch (e) {
      outcome = `failed: ${String(e)}`;
      break;
    }
    if (at.first !== null && at.ready !== null) {
      outcome = `first frame at ${Math.round(at.first)} ms, ready at ${Math.round(at.ready)} ms`;
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  clearInterval(sampler);
  for (const [k, v] of Object.entries(browserRss(tag))) peak[k] = Math.max(peak[k] ?? 0, Math.round(v));
} finally {
  await browser.close();
  await site.close();
}
console.log(`${seconds} s at ${rate} req/s: ${outcome}; peak resident MB by process type ${JSON.stringify(peak)}`);
