/**
 * A tool, not a test: opens the generated load (test/bench/loadScenario.ts) for `seconds`
 * simulated seconds in the built page and follows the page's processes until its first frame:
 * peak resident MB of the renderer (and of every Chromium process of this browser), and whether
 * the page got there or failed (a page error, a crash, the time limit).
 *
 *   npx tsx test/e2e/longRunMemory.ts [seconds=600] [rate=1000] [limit-s=600]
 */
import { execFileSync } from 'node:child_process';
import { buildSite, launch, serve } from './site.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

const seconds = Number(process.argv[2] ?? 600);
const rate = Number(process.argv[3] ?? 1000);
const limitMs = Number(process.argv[4] ?? 600) * 1000;
const tag = `--mesh-sim-probe=${process.pid}`;

/** Resident MB of this browser's processes, by type (browser, renderer, gpu-process, utility…). */
function rss(): Record<string, number> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
      return { pid: Number(m[1]), ppid: Number(m[2]), kb: Number(m[3]), args: m[4]! };
    });
  const root = rows.find((r) => r.args.includes(tag) && !r.args.includes('--type='));
  if (!root) return {};
  const mine = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (!mine.has(r.pid) && mine.has(r.ppid)) {
        mine.add(r.pid);
        grew = true;
      }
  }
  const out: Record<string, number> = {};
  for (const r of rows)
    if (mine.has(r.pid)) {
      const type = /--type=([\w-]+)/.exec(r.args)?.[1] ?? 'browser';
      out[type] = Math.max(out[type] ?? 0, r.kb / 1024);
    }
  return out;
}

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
    for (const [k, v] of Object.entries(rss())) peak[k] = Math.max(peak[k] ?? 0, Math.round(v));
  }, 200);
  await page.goto(`${site.url}?scenarioUrl=${encodeURIComponent(new URL('/fixtures/load.yaml', site.url).href)}`);
  while (Date.now() - t0 < limitMs) {
    if (errors.length) {
      outcome = `failed: ${errors.join('; ')}`;
      break;
    }
    let at: number | null = null;
    try {
      at = await page.evaluate(() => performance.getEntriesByName('mesh-sim:first-frame')[0]?.startTime ?? null);
    } catch (e) {
      outcome = `failed: ${String(e)}`;
      break;
    }
    if (at !== null) {
      outcome = `first frame at ${Math.round(at)} ms`;
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  clearInterval(sampler);
  for (const [k, v] of Object.entries(rss())) peak[k] = Math.max(peak[k] ?? 0, Math.round(v));
} finally {
  await browser.close();
  await site.close();
}
console.log(`${seconds} s at ${rate} req/s: ${outcome}; peak resident MB by process type ${JSON.stringify(peak)}`);
