/**
 * A tool, not a test: opens the benchmarks' generated load (test/bench/loadScenario.ts) in the
 * built page and records a CPU profile of the main thread from navigation to the first frame
 * (CDP `Profiler`), then prints where the time went: self time by function, and the page's own
 * `performance` marks and measures.
 *
 *   npx tsx test/e2e/profileLongRun.ts [seconds=60] [rate=1000] [out.cpuprofile]
 *
 * With `PLAIN=1` the site is built unminified into a temporary folder, so that the profile
 * names our functions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSite, launch, serve } from './site.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const seconds = Number(process.argv[2] ?? 60);
const rate = Number(process.argv[3] ?? 1000);
const out = process.argv[4];

function plainBuild(): string {
  const out = mkdtempSync(join(tmpdir(), 'mesh-sim-plain-'));
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error', '--minify', 'false'], { cwd: root });
  return out;
}

async function main(): Promise<void> {
  const site = await serve(process.env.PLAIN ? plainBuild() : buildSite());
  site.fixtures.set('load.yaml', loadScenarioYaml(20, 3, rate, seconds));
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('pageerror', (e) => console.log('pageerror', e.message));
    // A worker's failure (a DataCloneError when the trace cannot cross) reaches the console only.
    page.on('console', (m) => m.type() === 'error' && console.log('console error', m.text()));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    // The simulation worker: profiled too, from its start (it waits for the debugger until then).
    const workerProfiles: Promise<Profile>[] = [];
    const workerSessions: string[] = [];
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
      if (e.targetInfo.type !== 'worker') return;
      workerSessions.push(e.sessionId);
      const send = (method: string, params: object = {}): Promise<unknown> =>
        cdp.send('Target.sendMessageToTarget' as never, { sessionId: e.sessionId, message: JSON.stringify({ id: nextId++, method, params }) } as never);
      void (async () => {
        await send('Profiler.enable');
        await send('Profiler.setSamplingInterval', { interval: 200 });
        await send('Profiler.start');
        await send('Runtime.runIfWaitingForDebugger');
      })();
    });
    let nextId = 1;
    const answers = new Map<number, (v: unknown) => void>();
    cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown };
      if (m.id !== undefined) answers.get(m.id)?.(m.result);
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
    await page.goto(`${site.url}?scenarioUrl=${encodeURIComponent(new URL('/fixtures/load.yaml', site.url).href)}`);
    const handle = await page.waitForFunction(() => performance.getEntriesByName('mesh-sim:first-frame')[0]?.startTime, undefined, {
      timeout: 600_000,
    });
    const firstFrame = (await handle.jsonValue()) as number;
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    for (const sessionId of workerSessions) {
      const id = nextId++;
      workerProfiles.push(new Promise((resolve) => answers.set(id, (r) => resolve((r as { profile: Profile }).profile))));
      await cdp.send('Target.sendMessageToTarget' as never, { sessionId, message: JSON.stringify({ id, method: 'Profiler.stop' }) } as never);
    }
    const workers = await Promise.all(workerProfiles);
    workers.forEach((w, i) => out && writeFileSync(out.replace(/\.cpuprofile$/, `.worker${i}.cpuprofile`), JSON.stringify(w)));
    for (const w of workers)
      console.log(
        `worker profile from ${((w.startTime - profile.startTime) / 1000).toFixed(0)} ms to ${((w.endTime - profile.startTime) / 1000).toFixed(0)} ms after the page's`,
      );
    if (out) writeFileSync(out, JSON.stringify(profile));
    const marks = await page.evaluate(() =>
      performance
        .getEntries()
        .filter((e) => e.entryType === 'mark' || e.entryType === 'measure')
        .map((e) => `${e.entryType} ${e.name} at ${e.startTime.toFixed(0)} for ${e.duration.toFixed(0)}`),
    );
    const heap = await cdp.send('Runtime.getHeapUsage');
    console.log(`first frame ${firstFrame.toFixed(0)} ms; main heap used ${(heap.usedSize / 2 ** 20).toFixed(0)} MB`);
    for (const m of marks) console.log(' ', m);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      total += dt;
      const f = n.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    });
    // Inclusive time per function (counted once per sample even when recursive).
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const incl = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      const seen = new Set<string>();
      for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
        const f = byId.get(k)!.callFrame;
        const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        incl.set(key, (incl.get(key) ?? 0) + dt);
      }
    });
    console.log(`profiled ${total.toFixed(0)} ms`);
    console.log('self:');
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${v.toFixed(1).padStart(8)}  ${k}`);
    console.log('inclusive:');
    for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 70)) console.log(`  ${v.toFixed(1).padStart(8)}  ${k}`);
    await page.close();
  } finally {
    await browser.close();
    await site.close();
  }
}

await main();
