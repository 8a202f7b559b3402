/**
 * The engine benchmark's child process: simulates the generated load scenario under one mesh and
 * prints one JSON line. The parent bundles this file with vite first and runs the bundle with
 * plain Node, so the engine is measured as the browser's Worker runs it — bundled, not through a
 * development loader (tsx adds a `__name` call to every named closure it compiles).
 */
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate, istioProfile, linkerdProfile, type MeshProfile } from '../../src/mesh/index.ts';
import { loadScenarioYaml } from './loadScenario.ts';

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

export interface LoadRun {
  /** The baseline: a plain binary-heap event loop in this same process. */
  bareEventsPerSec: number;
  ms: number;
  events: number;
  engineEventsPerSec: number;
  /** Heap V8 had committed by the end of the run: an upper bound of the peak in use. */
  peakHeapMB: number;
  /** Heap still in use after a collection, with the trace held. */
  retainedHeapMB: number;
  requests: number;
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function runLoad(profile: MeshProfile, seconds: number): Omit<LoadRun, 'bareEventsPerSec'> {
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

// Warm the JIT on a 2-second version, then measure the full 60 seconds once.
const mesh = process.argv[2];
if (mesh === 'istio' || mesh === 'linkerd') {
  const profile = mesh === 'linkerd' ? linkerdProfile : istioProfile;
  runLoad(profile, 2);
  bareEventsPerSec(200_000, 64);
  const bare = bareEventsPerSec(3_000_000, 64);
  console.log(JSON.stringify({ bareEventsPerSec: bare, ...runLoad(profile, 60) }));
}
