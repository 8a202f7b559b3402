/**
 * The simulator in the browser, measured:
 * - `browser.meshSwitchWorstMs`: re-simulation after a mesh switch, per library scenario — what a
 *   toggle costs: simulate, the effective resources for the YAML pane, and indexing for the
 *   player; the parsed file is cached, as in the page (median of 7) — in Node, target ≤ 50 ms;
 * - `browser.frameRatio`: main-thread ms per frame with 2,000 packets in flight
 *   (`browser.frameMs`), next to a bare pixi.js page moving 2,000 sprites in the same Chromium
 *   (`browser.bareFrameMs`) — targets ≤ 1.5× and ≤ 4 ms;
 * - `browser.firstPlayKB`: gzip size of the JavaScript the page loads up to its first play, file
 *   by file in `browser.firstPlayFiles` (target ≤ 250 KB, aim 200);
 * - `browser.firstFrameMs`: navigation to first frame (target ≤ 500 ms), next to the bare pixi.js
 *   page's navigation to its first frame (`browser.bareFirstFrameMs`);
 * - `browser.longRunFirstFrameMs`: the engine benchmark's 60 s, 1,000 requests/s load opened in
 *   the page by `scenarioUrl` — navigation to first frame (target ≤ 2 s). The page simulates it
 *   in the worker while its renderer starts (src/ui/headStart.ts) and draws the run's picture at
 *   0 s — its layout and static scene, the picture the learner starts from — before the player
 *   indexes the run (App.open), so this is the time until that picture is on screen; the time
 *   until the page is ready to play (`mesh-sim:ready`, the player built and the panels filled) is
 *   `browser.longRunReadyMs`.
 * - `browser.tenMinute`: the same load for 10 minutes (600,000 requests) opened in a browser of
 *   its own — the first frame (a run that long draws its preview first), ready, and the peak
 *   resident MB of the renderer (the page and its workers; sampled every 200 ms from `ps`) from
 *   the page's opening to 3 s after ready (the first view and the panels are made after ready),
 *   target ≤ 600 MB, and the renderer's MB at the end of those 3 s; or why it did not get there.
 * - `browser.stillRedrawRatio`: what a step that changes a state chip or a counter costs — the
 *   still scene's cached texture drawn again (sceneCache.ts), then the frame — against the same
 *   frame without it (`browser.stillRedrawMs`, `browser.stillFrameMs`: retries-flaky-pod under
 *   Istio at 5.2 s, 1280×720), both timed until the GPU process has done the work (a one-pixel
 *   read of the picture), which the figures above do not wait for. No target: it shows what
 *   software WebGL spends where the main thread's figures cannot see.
 * Browser figures use headless Chromium with SwiftShader (software WebGL), so absolute frame
 * times are pessimistic; the ratios against the bare page are the figures to watch.
 */
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Player, runScenario, MESHES } from '../../src/player/index.ts';
import type { Browser, Page } from 'playwright-core';
import { buildSite, launch, serve, type Site } from '../e2e/site.ts';
import { browserRss, probeArg } from '../e2e/processMemory.ts';
import { loadScenarioYaml } from './loadScenario.ts';
import { firstPlay, firstPlayKB } from './firstPlay.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** Mesh switch: what the page does on a toggle (simulate, then index the trace for the player). */
function resimulation(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let worst = 0;
  for (const name of readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const file = `scenarios/${name}`;
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const mesh of MESHES) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const outcome = runScenario({ text, file, mesh: mesh.id });
        if (outcome.ok) new Player(outcome.trace).view();
        times.push(performance.now() - t0);
        if (!outcome.ok) break;
      }
      const ms = round(median(times));
      worst = Math.max(worst, ms);
      out[`browser.meshSwitch.${name.replace('.yaml', '')}.${mesh.id}Ms`] = ms;
    }
  }
  out['browser.meshSwitchWorstMs'] = worst;
  return out;
}

/** Three small pages built with vite next to the app: the real renderer (2,000 packets; the still scene redrawn), and bare pixi.js. */
export function buildFramePages(): string {
  const dir = join(ROOT, 'node_modules/.cache/mesh-sim-bench');
  mkdirSync(dir, { recursive: true });
  const src = join(ROOT, 'src');
  // Each page: a 1280×720 host and its script, name.ts.
  for (const name of ['mesh', 'bare', 'still'])
    writeFileSync(
      join(dir, `${name}.html`),
      `<!doctype html><body style="margin:0"><div id="host" style="width:1280px;height:720px"></div><script type="module" src="./${name}.ts"></script>`,
    );
  // The mesh pages' scenario, simulated in the page: retries-flaky-pod under Istio.
  const retriesFlakyPod = `import { MeshView } from '${src}/render/index.ts';
import { Player, runScenario } from '${src}/player/index.ts';
import text from '${ROOT}/scenarios/retries-flaky-pod.yaml?raw';
const outcome = runScenario({ text, file: 'retries-flaky-pod.yaml', mesh: 'istio' });
if (!outcome.ok) throw new Error('scenario');`;
  writeFileSync(
    join(dir, 'mesh.ts'),
    `${retriesFlakyPod}
const base = outcome.trace;
// 2,000 packets in flight between the pods' sidecars and apps, all crossing the screen at once:
// each its own request, so the player's pacing (pace.ts: a packet waits for the one before it in
// its conversation) plays them side by side as it does concurrent requests.
const nodes = base.topology.nodes.filter((n) => n.kind !== 'control-plane').map((n) => n.id);
const kinds = ['http-request', 'http-response', 'tls', 'tcp', 'config', 'csr'] as const;
const events = Array.from({ length: 2000 }, (_, i) => ({ type: 'flight' as const, t: i * 0.001, seq: i, id: 'f-' + i, kind: kinds[i % kinds.length]!, from: nodes[i % nodes.length]!, to: nodes[(i * 7 + 3) % nodes.length]!, departMs: i * 0.001, arriveMs: 1000 + i * 0.001, requestId: 'r-' + i, label: 'GET /', mtls: i % 2 === 0, status: 200 })).filter((e) => e.from !== e.to);
const player = new Player({ ...base, durationMs: 1002, events });
const view = await MeshView.create(document.getElementById('host')!);
view.setTrace(player.trace);
player.seekTime(10);
player.play();
(window as any).frame = () => {
  // Keep every packet in flight: back to the start of their crossing before they arrive.
  if (player.view().packets.length < 2000) { player.seekTime(10); player.play(); }
  const t0 = performance.now();
  player.advance(16);
  view.draw(player.view(), { motion: true, selection: null });
  view.renderNow();
  return { ms: performance.now() - t0, packets: player.view().packets.length };
};`,
  );
  writeFileSync(
    join(dir, 'bare.ts'),
    `import 'pixi.js/unsafe-eval';
import { Application, Graphics, Sprite } from 'pixi.js';
const app = new Application();
await app.init({ width: 1280, height: 720, antialias: true, autoStart: false, preference: 'webgl' });
document.getElementById('host')!.append(app.canvas);
const texture = app.renderer.generateTexture(new Graphics().circle(8, 8, 7).fill(0x0072b2).stroke({ width: 1.5, color: 0 }));
const sprites = Array.from({ length: 2000 }, (_, i) => {
  const s = new Sprite(texture);
  s.position.set((i * 37) % 1280, (i * 53) % 720);
  app.stage.addChild(s);
  return s;
});
app.render();
performance.mark('bare:first-frame');
let k = 0;
(window as any).frame = () => {
  const t0 = performance.now();
  k++;
  for (let i = 0; i < sprites.length; i++) sprites[i]!.position.set((i * 37 + k * 3) % 1280, (i * 53 + k) % 720);
  app.render();
  return { ms: performance.now() - t0, packets: sprites.length };
};`,
  );
  writeFileSync(
    join(dir, 'still.ts'),
    `${retriesFlakyPod}
const player = new Player(outcome.trace);
const view = await MeshView.create(document.getElementById('host')!);
view.setTrace(player.trace);
player.seekTime(5200);
// The view's context and its still scene's cache (private to MeshView: this page measures them).
const inner = view as unknown as { renderer: { gl: WebGL2RenderingContext }; layers: { cache: { changed(): void } } };
const gl = inner.renderer.gl;
const pixel = new Uint8Array(4);
// Reading a pixel of the picture waits until the GPU process has run every command before it.
const finish = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
const frame = (still: boolean): number => {
  finish();
  const t0 = performance.now();
  if (still) inner.layers.cache.changed();
  view.draw(player.view(), { motion: false, selection: null });
  view.renderNow();
  finish();
  return performance.now() - t0;
};
frame(true);
(window as any).frame = frame;`,
  );
  const out = join(dir, 'dist');
  writeFileSync(
    join(dir, 'vite.config.mjs'),
    `export default { base: './', logLevel: 'error', build: { outDir: ${JSON.stringify(out)}, emptyOutDir: true, target: 'es2022', rollupOptions: { input: { mesh: ${JSON.stringify(join(dir, 'mesh.html'))}, bare: ${JSON.stringify(join(dir, 'bare.html'))}, still: ${JSON.stringify(join(dir, 'still.html'))} } } } };`,
  );
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', dir, '--config', join(dir, 'vite.config.mjs')], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`building the frame pages failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`, { cause: e });
  }
  return out;
}

const FIRST_FRAME = 'mesh-sim:first-frame';
const READY = 'mesh-sim:ready';

export async function run(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = resimulation();
  const browser = await launch();
  try {
    // Frames: the renderer with 2,000 packets against bare pixi.js with 2,000 sprites.
    const pages = await serve(buildFramePages());
    // Both pages open at once, sampled in turns, so that a busy machine slows both alike; a sample
    // is the mean of 5 frames run back to back (the page's clock is coarse), one sample per frame
    // the browser shows.
    const framePages: Record<string, Page> = {};
    for (const name of ['bare', 'mesh']) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(`${pages.url}${name}.html`);
      await page.waitForFunction(() => typeof (window as { frame?: unknown }).frame === 'function');
      framePages[name] = page;
    }
    const sample = (page: Page): Promise<{ ms: number; packets: number }> =>
      page.evaluate(async () => {
        const f = (window as unknown as { frame: () => { ms: number; packets: number } }).frame;
        await new Promise((r) => requestAnimationFrame(r));
        let ms = 0;
        let packets = Infinity;
        for (let i = 0; i < 5; i++) {
          const r = f();
          ms += r.ms;
          packets = Math.min(packets, r.packets);
        }
        return { ms: ms / 5, packets };
      });
    const rounds: { bare: number; mesh: number }[] = [];
    for (let r = 0; r < 60; r++) {
      const bare = await sample(framePages.bare!);
      const mesh = await sample(framePages.mesh!);
      for (const [name, s] of [
        ['bare', bare],
        ['mesh', mesh],
      ] as const)
        if (s.packets !== 2000) throw new Error(`${name}: ${s.packets} packets in flight, not 2,000`);
      // The first rounds warm the JIT and the GPU caches.
      if (r >= 10) rounds.push({ bare: bare.ms, mesh: mesh.ms });
    }
    for (const page of Object.values(framePages)) await page.close();
    Object.assign(figures, await stillRedraw(browser, pages.url));
    const bareLoads: number[] = [];
    // The bare page's navigation to its first frame: what Chromium and pixi.js alone cost.
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(`${pages.url}bare.html`);
      const handle = await page.waitForFunction(() => performance.getEntriesByName('bare:first-frame')[0]?.startTime);
      bareLoads.push((await handle.jsonValue()) as number);
      await page.close();
    }
    await pages.close();
    figures['browser.frameMs'] = round(median(rounds.map((r) => r.mesh)), 3);
    figures['browser.bareFrameMs'] = round(median(rounds.map((r) => r.bare)), 3);
    figures['browser.frameRatio'] = round(median(rounds.map((r) => r.mesh / r.bare)));

    // The app itself: JavaScript loaded for first play, and navigation to first frame.
    const site = await serve(buildSite());
    const loads: number[] = [];
    let files: Record<string, number> = {};
    for (let i = 0; i < 5; i++) {
      const played = await firstPlay(browser, site.url, (page) =>
        page.evaluate((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? NaN, FIRST_FRAME),
      );
      loads.push(played.measured);
      if (i === 0) files = played.files;
    }
    figures['browser.firstPlayKB'] = firstPlayKB(files);
    figures['browser.firstPlayFiles'] = files;
    figures['browser.firstFrameMs'] = round(median(loads), 0);
    figures['browser.bareFirstFrameMs'] = round(median(bareLoads), 0);

    // The 60 s, 1,000 requests/s load, opened by URL: simulate (in the worker), hand the trace
    // over, index it, fill the panels, draw.
    site.fixtures.set('bench-load.yaml', loadScenarioYaml(20, 3, 1000, 60));
    const longLoads: number[] = [];
    const longReady: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(`${site.url}?scenarioUrl=${encodeURIComponent(new URL('/fixtures/bench-load.yaml', site.url).href)}`);
      const handle = await page.waitForFunction(
        (marks) => {
          const [first, ready] = marks.map((m) => performance.getEntriesByName(m)[0]?.startTime);
          return first !== undefined && ready !== undefined && [first, ready];
        },
        [FIRST_FRAME, READY],
        { timeout: 120_000 },
      );
      const [first, ready] = (await handle.jsonValue()) as [number, number];
      longLoads.push(first);
      longReady.push(ready);
      await page.close();
    }
    figures['browser.tenMinute'] = await tenMinuteRun(site);
    await site.close();
    figures['browser.longRunFirstFrameMs'] = round(median(longLoads), 0);
    figures['browser.longRunReadyMs'] = round(median(longReady), 0);
  } finally {
    await browser.close();
  }
  return figures;
}

/** A frame that draws the still scene's texture again against the same frame without, both until the GPU is done (`browser.stillRedrawRatio`). */
export async function stillRedraw(browser: Browser, url: string): Promise<Record<string, number>> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${url}still.html`);
  await page.waitForFunction(() => typeof (window as { frame?: unknown }).frame === 'function');
  const rounds: { frame: number; still: number }[] = [];
  // In turns, so that a busy machine slows both alike; the first rounds warm the JIT and the caches.
  for (let r = 0; r < 25; r++) {
    const [frame, still] = await page.evaluate(() => {
      const f = (window as unknown as { frame: (still: boolean) => number }).frame;
      return [f(false), f(true)];
    });
    if (r >= 5) rounds.push({ frame: frame!, still: still! });
  }
  await page.close();
  return {
    'browser.stillFrameMs': round(median(rounds.map((r) => r.frame)), 1),
    'browser.stillRedrawMs': round(median(rounds.map((r) => r.still)), 1),
    'browser.stillRedrawRatio': round(median(rounds.map((r) => r.still / r.frame))),
  };
}

/** The 10-minute load in a browser of its own (its processes only are counted): first frame, ready, the renderer's peak resident MB. */
export async function tenMinuteRun(site: Site): Promise<Record<string, number> | string> {
  site.fixtures.set('bench-load-600.yaml', loadScenarioYaml(20, 3, 1000, 600));
  const tag = probeArg(`bench-${process.pid}`);
  const browser = await launch([tag]);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, browserRss(tag)['renderer'] ?? 0)), 200);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${site.url}?scenarioUrl=${encodeURIComponent(new URL('/fixtures/bench-load-600.yaml', site.url).href)}`);
    const handle = await page.waitForFunction(
      (marks) => {
        const [first, ready] = marks.map((m) => performance.getEntriesByName(m)[0]?.startTime);
        return first !== undefined && ready !== undefined && [first, ready];
      },
      [FIRST_FRAME, READY],
      { timeout: 300_000, polling: 500 },
    );
    const [first, ready] = (await handle.jsonValue()) as [number, number];
    // What the page makes once ready (the first view's indexes, the panels) counts too.
    await new Promise((r) => setTimeout(r, 3000));
    const settled = browserRss(tag)['renderer'] ?? 0;
    peak = Math.max(peak, settled);
    return { firstFrameMs: round(first, 0), readyMs: round(ready, 0), rendererPeakMB: Math.round(peak), rendererAfterReadyMB: Math.round(settled) };
  } catch (e) {
    return `did not complete: ${String(e).slice(0, 200)}`;
  } finally {
    clearInterval(sampler);
    await browser.close();
  }
}
