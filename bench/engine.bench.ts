/**
 * Engine benchmark: the simulation's event rate on the generated load scenario, next to a plain
 * binary-heap event loop measured in the same process (the baseline), plus the load scenario's
 * wall time and heap.
 */
import { parseScenario } from '../src/scenario/index.ts';
import { simulate, istioProfile, linkerdProfile, type MeshProfile } from '../src/mesh/index.ts';
import { loadScenarioYaml } from './loadScenario.ts';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface BareEvent {
  t: number;
  seq: number;
  fn: () => void;
}

/** A plain binary-heap event loop: each event schedules the next one a pseudo-random 0–9 ms later. */
function bareEventsPerSec(total: number, pending: number): number {
  const heap: BareEvent[] = [];
  let seq = 0;
  let now = 0;
  let x = 12345;
  let processed = 0;
  const less = (a: BareEvent, b: BareEvent): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  const push = (e: BareEvent): void => {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): BareEvent => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const tick = (): void => {
    processed++;
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    if (processed + heap.length < total) push({ t: now + (x % 10), seq: seq++, fn: tick });
  };
  for (let i = 0; i < pending; i++) push({ t: i % 10, seq: seq++, fn: tick });
  const start = performance.now();
  while (heap.length > 0) {
    const e = pop();
    now = e.t;
    e.fn();
  }
  return processed / ((performance.now() - start) / 1000);
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

interface LoadRun {
  ms: number;
  events: number;
  engineEventsPerSec: number;
  /** Heap V8 had committed by the end of the run: an upper bound of the peak in use. */
  peakHeapMB: number;
  /** Heap still in use after a collection, with the trace held. */
  retainedHeapMB: number;
  requests: number;
}

function runLoad(profile: MeshProfile, seconds = 60): LoadRun {
  const parsed = parseScenario(loadScenarioYaml(20, 3, 1000, seconds), 'bench-load.yaml');
  if (!parsed.ok) throw new Error('load scenario invalid');
  heapMB();
  const start = performance.now();
  const result = simulate(parsed.scenario, profile);
  const ms = performance.now() - start;
  const peakHeapMB = process.memoryUsage().heapTotal / 1024 / 1024;
  return {
    ms,
    events: result.trace.events.length,
    engineEventsPerSec: result.engineEvents / (ms / 1000),
    peakHeapMB,
    retainedHeapMB: heapMB(),
    requests: result.report.summary.total,
  };
}

/** Runs one mesh's load measurement in a fresh process, so each heap figure is its own. */
function measureInChild(mesh: string): LoadRun {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', mesh], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`load benchmark for ${mesh} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as LoadRun;
}

export async function run(): Promise<Record<string, number | string>> {
  bareEventsPerSec(200_000, 64);
  const bare = bareEventsPerSec(3_000_000, 64);
  const istio = measureInChild('istio');
  const linkerd = measureInChild('linkerd');
  return {
    engineEventsPerSec: Math.round(istio.engineEventsPerSec),
    bareEventsPerSec: Math.round(bare),
    ratio: +(istio.engineEventsPerSec / bare).toFixed(3),
    loadScenarioMs: Math.round(istio.ms),
    loadScenarioLinkerdMs: Math.round(linkerd.ms),
    peakHeapMB: Math.round(Math.max(istio.peakHeapMB, linkerd.peakHeapMB)),
    retainedHeapMB: Math.round(Math.max(istio.retainedHeapMB, linkerd.retainedHeapMB)),
    loadRequests: istio.requests,
    loadTraceEvents: istio.events,
  };
}

// Child mode: warm the JIT on a 2-second version, then measure the full 60 seconds once.
const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const profile = process.argv[childAt + 1] === 'linkerd' ? linkerdProfile : istioProfile;
  runLoad(profile, 2);
  console.log(JSON.stringify(runLoad(profile)));
}
