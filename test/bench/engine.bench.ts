/**
 * Engine benchmark: the simulation's event rate on the generated load scenario, next to a plain
 * binary-heap event loop measured in the same process (the baseline), plus the load scenario's
 * wall time and heap. Each mesh runs in a fresh child process (engineChild.ts, bundled).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { LoadRun } from './engineChild.ts';

/** Bundles the child with vite (as the app's Worker is bundled) into a temporary folder. */
async function bundleChild(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'mesh-sim-bench-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    // Everything in one file, dependencies included, as the browser gets it.
    ssr: { noExternal: true },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      ssr: fileURLToPath(new URL('./engineChild.ts', import.meta.url)),
      rolldownOptions: { output: { entryFileNames: 'engineChild.mjs' } },
    },
  });
  return join(outDir, 'engineChild.mjs');
}

/** Runs one mesh's load measurement in a fresh process, so each heap figure is its own. */
function measureInChild(bundle: string, mesh: string): LoadRun {
  const r = spawnSync(process.execPath, ['--expose-gc', bundle, mesh], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`load benchmark for ${mesh} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as LoadRun;
}

export async function run(): Promise<Record<string, number | string>> {
  const bundle = await bundleChild();
  const istio = measureInChild(bundle, 'istio');
  const linkerd = measureInChild(bundle, 'linkerd');
  rmSync(dirname(bundle), { recursive: true, force: true });
  return {
    engineEventsPerSec: Math.round(istio.engineEventsPerSec),
    bareEventsPerSec: Math.round(istio.bareEventsPerSec),
    ratio: +(istio.engineEventsPerSec / istio.bareEventsPerSec).toFixed(3),
    // Trace events recorded per second: a hop inside a pod (app ↔ its sidecar) is recorded
    // but runs inline, without a scheduler round trip, so it is not in engineEventsPerSec.
    traceEventsPerSec: Math.round(istio.events / (istio.ms / 1000)),
    loadScenarioMs: Math.round(istio.ms),
    loadScenarioLinkerdMs: Math.round(linkerd.ms),
    peakHeapMB: Math.round(Math.max(istio.peakHeapMB, linkerd.peakHeapMB)),
    retainedHeapMB: Math.round(Math.max(istio.retainedHeapMB, linkerd.retainedHeapMB)),
    loadRequests: istio.requests,
    loadTraceEvents: istio.events,
  };
}
