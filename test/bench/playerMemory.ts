/**
 * A tool, not a test: what the player's index of a long run holds, as the page's main thread
 * builds it — the run arrives packed (as the simulation worker sends it), is unpacked, and
 * `new Player(trace)` indexes it. Run with `--expose-gc`:
 *
 *   node --expose-gc --import tsx test/bench/playerMemory.ts write [seconds=600] [file]   simulates the load once, packed to `file`
 *   node --expose-gc --import tsx test/bench/playerMemory.ts index [file] [times=1]       indexes it: retained MB per structure, peak RSS, wall ms
 *   node --expose-gc --import tsx test/bench/playerMemory.ts show [file]                  makes its show map only: retained MB, peak RSS
 *
 * `index` prints the heap plus ArrayBuffers in use after a collection with the trace alone and
 * with the player (after `new Player`, then after its first view and metrics, which build the
 * links' traffic index), the wall and CPU ms of `new Player`, the process's peak resident MB above
 * the trace's (the transient peak while indexing: the columns stay views into the file's buffer,
 * so loading them peaks no higher than holding them); then each of the player's structures' own
 * share (dropped one at a time, collected, the fall measured).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { parseScenario } from '../../src/scenario/index.ts';
import { istioProfile, packReport, simulate, unpackReport } from '../../src/mesh/index.ts';
import { packTrace, unpackTrace, type PackedTrace } from '../../src/sim/index.ts';
import { Player } from '../../src/player/Player.ts';
import { showMapOf } from '../../src/player/builtShow.ts';
import { loadScenarioYaml } from './loadScenario.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** Heap in use plus ArrayBuffers after two collections, MB. */
function usedMB(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
}

/** Collects, then lets the freed buffers go back to the system (freeing them can wait for a task). */
async function settle(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    usedMB();
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rssMB = (): number => process.memoryUsage().rss / 1024 / 1024;
const peakMB = (): number => process.resourceUsage().maxRSS / 1024;
const mb = (x: number): string => x.toFixed(1);

const [mode = 'index', a, b] = process.argv.slice(2);
if (mode === 'write') {
  const seconds = Number(a ?? 600);
  const file = b ?? `/tmp/mesh-sim-load-${seconds}s.bin`;
  const parsed = parseScenario(loadScenarioYaml(20, 3, 1000, seconds), 'bench-load.yaml');
  if (!parsed.ok) throw new Error('load scenario invalid');
  const { trace, report } = simulate(parsed.scenario, istioProfile);
  writeFileSync(file, serialize({ trace: packTrace(trace).packed, report: packReport(report).packed }));
  console.log(`${file}: ${trace.events.length} events, ${report.summary.total} requests`);
} else {
  const file = a ?? '/tmp/mesh-sim-load-600s.bin';
  const times = Number(b ?? 1);
  // The columns stay views into the file's buffer (deserialize makes them so): loading peaks no higher than the trace held.
  const packed = deserialize(readFileSync(file)) as { trace: PackedTrace; report: Parameters<typeof unpackReport>[0] };
  const trace = unpackTrace(packed.trace);
  const report = unpackReport(packed.report);
  await settle();
  const base = usedMB();
  const rss0 = rssMB();
  const peak0 = peakMB();
  console.log(
    `trace ${trace.events.length} events + report ${report.requests.length} requests: ${mb(base)} MB in use, rss ${mb(rss0)}, peak rss so far ${mb(peak0)}`,
  );
  if (mode === 'show') {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const show = showMapOf(trace);
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const peak = peakMB();
    console.log(
      `show map: ${Math.round(ms)} ms (CPU ${Math.round((used.user + used.system) / 1000)} ms); retains ${mb(usedMB() - base)} MB; peak rss ${mb(peak)} (${mb(peak - rss0)} above the trace's rss), ${show.eventShow.length} events`,
    );
    process.exit(0);
  }
  const walls: number[] = [];
  const cpus: number[] = [];
  // One player held at a time (the one before dropped and collected first).
  const held: Player[] = [];
  for (let k = 0; k < times; k++) {
    if (held.length) {
      held.length = 0;
      usedMB();
    }
    const start = performance.now();
    const cpu = process.cpuUsage();
    held.push(new Player(trace));
    walls.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  const player = held[0]!;
  const peak1 = peakMB();
  const indexed = usedMB();
  // What the page's first frame and panels read next: the view (links' traffic, narration spans), the metrics.
  const viewStart = performance.now();
  player.view();
  player.metrics();
  const viewMs = performance.now() - viewStart;
  const peak2 = peakMB();
  const all = usedMB();
  console.log(
    `new Player: ${walls.map((w) => Math.round(w)).join(', ')} ms (CPU ${cpus.map((w) => Math.round(w)).join(', ')} ms); player retains ${mb(indexed - base)} MB; peak rss ${mb(peak1)} (${mb(peak1 - rss0)} above the trace's rss)`,
  );
  console.log(`first view and metrics: ${Math.round(viewMs)} ms; player retains ${mb(all - base)} MB; peak rss ${mb(peak2)}`);
  // Each structure's own share: dropped one at a time (the show map last), the fall measured.
  const tl = player.timeline as unknown as Record<string, unknown>;
  const show = tl.show as Record<string, unknown>;
  const shares: [string, number][] = [];
  let before = all;
  const drop = (name: string, holder: Record<string, unknown>, key: string): void => {
    holder[key] = null;
    const now = usedMB();
    shares.push([name, before - now]);
    before = now;
  };
  for (const key of Object.keys(tl)) if (key !== 'show' && key !== 'trace' && key !== 'writer') drop(`timeline.${key}`, tl, key);
  drop('timeline.writer', tl, 'writer');
  for (const key of Object.keys(show)) drop(`show.${key}`, show, key);
  held.length = 0;
  const rest = usedMB();
  shares.push(['the rest (player, timeline shells)', before - rest]);
  for (const [name, x] of shares.filter(([, x]) => Math.abs(x) >= 0.05).sort((p, q) => q[1] - p[1]))
    console.log(`  ${name.padEnd(40)} ${mb(x).padStart(7)} MB  ${((x * 1024 * 1024) / trace.events.length).toFixed(1)} B/event`);
  console.log(`after dropping the player: ${mb(rest)} MB in use (trace + report ${mb(base)})`);
  void report;
}
