/**
 * The engine benchmark's child process: simulates the generated load scenario once and prints one
 * JSON line. The parent bundles this file with vite first and runs the bundle with plain Node, so
 * the engine is measured as the browser's Worker runs it — bundled, not through a development
 * loader (tsx adds a `__name` call to every named closure it compiles).
 *
 * `node engineChild.mjs <istio|linkerd> <seconds> <replicas> [--bare] [--warm] [--alloc] [--again N]`
 *
 * With `--again N` the same load is simulated N more times after the measured run, with no forced
 * collection around them, and their wall and CPU times are printed too (`againMs`, `againCpuMs`).
 * The measured run pays for much of the JIT's work, as a page's one run does: `--warm`'s 2-second
 * version is not enough, and the forced collection that measures memory undoes much of it (session
 * 22: at 3 replicas 396–579 ms CPU for the measured run, 112–183 ms for the third to fifth after
 * it; with a collection before each, all five cost as much as the first). The later runs are the
 * engine's steady cost.
 *
 * With `--alloc` the run is made under V8's sampling heap profiler and its figure is the bytes
 * allocated per simulated request (garbage included): a count other processes on a shared machine
 * do not change, unlike its times, which the profiler slows.
 */
import { Session } from 'node:inspector/promises';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate, istioProfile, linkerdProfile } from '../../src/mesh/index.ts';
import { loadScenarioYaml } from './loadScenario.ts';

interface BareEvent {
  t: number;
  seq: number;
}

/**
 * The baseline: microseconds per push and pop on a plain binary heap of `pending` events ordered
 * by (time, seq), the engine's own ordering. Each pop pushes the next event a pseudo-random 0–9 ms
 * later, so the heap stays at `pending` entries like a scheduler's queue under steady load.
 */
export function bareUsPerPushPop(total: number, pending: number): number {
  const heap: BareEvent[] = [];
  let seq = 0;
  let x = 12345;
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
  for (let i = 0; i < pending; i++) push({ t: i % 10, seq: seq++ });
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const e = pop();
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    push({ t: e.t + (x % 10), seq: seq++ });
  }
  return ((performance.now() - start) * 1000) / total;
}

/** One load run's figures. */
export interface LoadRun {
  mesh: string;
  seconds: number;
  replicas: number;
  ms: number;
  /** CPU time of the process for the same run (user + system, GC threads included): the wall time on an idle machine, about. */
  cpuMs: number;
  requests: number;
  traceEvents: number;
  /** Heap V8 had committed by the end of the run, plus ArrayBuffers (the trace only grows, so about its peak). */
  committedMB: number;
  /** Heap (and ArrayBuffers) still in use after a collection, with the trace held. */
  retainedMB: number;
  /** The process's peak resident memory (everything: heap, code, buffers). */
  maxRssMB: number;
  /** Microseconds per bare binary-heap push + pop, measured in this process before the run. */
  bareUsPerOp?: number;
  /** With `--again N`: the wall and CPU ms of the N runs of the same load after this one. */
  againMs?: number[];
  againCpuMs?: number[];
  /** Bytes allocated per simulated request (`--alloc` runs only). */
  allocBytesPerRequest?: number;
}

/**
 * Heap in use after a collection, plus ArrayBuffer memory: the trace's columns live in typed
 * arrays, outside the JS heap (heapUsed alone would leave them out).
 */
function heapUsedMB(): number {
  // Twice: the first collection finds the garbage, freeing ArrayBuffers' memory can take a second.
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
}

function runLoad(mesh: string, seconds: number, replicas: number, measureMemory = true): Omit<LoadRun, 'bareUsPerOp'> {
  const parsed = parseScenario(loadScenarioYaml(20, replicas, 1000, seconds), 'bench-load.yaml');
  if (!parsed.ok) throw new Error('load scenario invalid');
  if (measureMemory) heapUsedMB();
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const result = simulate(parsed.scenario, mesh === 'linkerd' ? linkerdProfile : istioProfile);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const memory = process.memoryUsage();
  const committedMB = (memory.heapTotal + memory.arrayBuffers) / 1024 / 1024;
  return {
    mesh,
    seconds,
    replicas,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: result.report.summary.total,
    traceEvents: result.trace.events.length,
    committedMB,
    // Measured after a forced collection, which also undoes much of the JIT's work (a run after
    // one costs as much as the first run; without, the third run costs a third of the first).
    retainedMB: measureMemory ? heapUsedMB() : NaN,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

/**
 * `run()` under the sampling heap profiler, objects that either collection freed kept in the
 * profile: the sum of its sizes is about every byte allocated (V8 scales each sample by its odds).
 */
async function allocatedBytes<T>(run: () => T): Promise<{ result: T; bytes: number }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const result = run();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
  session.disconnect();
  let bytes = 0;
  const walk = (n: ProfileNode): void => {
    bytes += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  return { result, bytes };
}

const [mesh, seconds, replicas] = process.argv.slice(2);
if (mesh === 'istio' || mesh === 'linkerd') {
  const s = Number(seconds ?? 60);
  const r = Number(replicas ?? 3);
  // Warm the JIT on a 2-second version first (the long run skips it: its peak memory is its own).
  if (process.argv.includes('--warm')) runLoad(mesh, 2, r);
  let bare: number | undefined;
  if (process.argv.includes('--bare')) {
    bareUsPerPushPop(200_000, 1024);
    bare = Math.min(...[0, 1, 2].map(() => bareUsPerPushPop(2_000_000, 1024)));
  }
  if (process.argv.includes('--alloc')) {
    const { result, bytes } = await allocatedBytes(() => runLoad(mesh, s, r));
    console.log(JSON.stringify({ ...result, allocBytesPerRequest: bytes / result.requests }));
  } else {
    const run: LoadRun = { ...runLoad(mesh, s, r), ...(bare === undefined ? {} : { bareUsPerOp: bare }) };
    const at = process.argv.indexOf('--again');
    if (at > 0) {
      const again = Array.from({ length: Number(process.argv[at + 1]) }, () => runLoad(mesh, s, r, false));
      run.againMs = again.map((a) => a.ms);
      run.againCpuMs = again.map((a) => a.cpuMs);
    }
    console.log(JSON.stringify(run));
  }
}
