/**
 * Re-simulation after a knob change, per library scenario and mesh, as the page does it: apply the
 * edits, simulate with the same seed, list the effective resources for the YAML pane, and index
 * the trace for the player (first view included). Target ≤ 50 ms each. The knob turned is the
 * mTLS mode (to strict, or to permissive where the file says strict) plus retries toward the
 * first called service, so the run and the generated YAML both change; under each mesh the app
 * offers the scenario under (a Network Service Mesh file is not run under Istio). Also compare
 * mode as the app opens it: the first two of those meshes re-simulated and merged under one playhead. Beside each wall time, the process's CPU time
 * for the same work (`…CpuMs`): on a shared machine the wall time also counts the other processes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  MIN_PANES,
  Player,
  applyEdits,
  calledServices,
  loadScenario,
  offeredMeshes,
  runScenario,
  setKnob,
  type ScenarioEdits,
} from '../../src/player/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The knob change the benchmark makes on `text`. */
function knobChange(text: string, file: string): ScenarioEdits | null {
  const base = applyEdits(text, file, {});
  if (!base.ok) return null;
  let edits = setKnob(base.scenario, {}, 'mtls', base.scenario.policies.mtls === 'strict' ? 'permissive' : 'strict');
  const service = calledServices(base.scenario)[0];
  if (service) edits = setKnob(base.scenario, edits, `retries/${service}/attempts`, 1);
  return edits;
}

/**
 * Milliseconds for one knob change under `meshes` (one, or both for compare mode): in all, and
 * the part after simulating (indexing for the player and the first view), which is the player's own.
 */
function once(text: string, file: string, meshes: string[], edits: ScenarioEdits): { ms: number; indexMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const traces = [];
  for (const mesh of meshes) {
    const o = runScenario({ text, file, mesh, edits });
    if (!o.ok) throw new Error(`${file} under ${mesh}: ${o.problems.map((p) => p.text).join('; ')}`);
    traces.push(o.trace);
  }
  const t1 = performance.now();
  const player = new Player(traces);
  for (let i = 0; i < traces.length; i++) player.viewOf(i);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  return { ms: t2 - t0, indexMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let worst = { ms: 0, name: '' };
  let worstCompare = { ms: 0, name: '' };
  let worstIndex = { ms: 0, name: '' };
  let worstCpu = { ms: 0, name: '' };
  let worstCompareCpu = { ms: 0, name: '' };
  for (const name of readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const file = `scenarios/${name}`;
    const text = readFileSync(join(ROOT, file), 'utf8');
    const edits = knobChange(text, file);
    const key = name.replace(/\.yaml$/, '');
    if (!edits) {
      out[`knobs.${key}`] = 'scenario has problems';
      continue;
    }
    // Each mesh the app offers the scenario under, and compare as the app opens it (its first two).
    const loaded = loadScenario(text, file);
    const offered = loaded.ok ? offeredMeshes(loaded.scenario) : [];
    const sets: [string, string[]][] = [
      ...offered.map((m): [string, string[]] => [m, [m]]),
      ...(offered.length >= MIN_PANES ? [['compare', offered.slice(0, MIN_PANES)] as [string, string[]]] : []),
    ];
    for (const [label, meshes] of sets) {
      try {
        once(text, file, meshes, edits); // warm: parse cache, JIT
      } catch (e) {
        out[`knobs.${key}.${label}`] = `failed: ${e instanceof Error ? e.message : String(e)}`;
        continue;
      }
      const runs = Array.from({ length: 7 }, () => once(text, file, meshes, edits));
      const ms = round(median(runs.map((r) => r.ms)));
      const indexMs = round(median(runs.map((r) => r.indexMs)));
      const cpuMs = round(median(runs.map((r) => r.cpuMs)));
      out[`knobs.${key}.${label}Ms`] = ms;
      out[`knobs.${key}.${label}CpuMs`] = cpuMs;
      if (label === 'compare') {
        if (cpuMs > worstCompareCpu.ms) worstCompareCpu = { ms: cpuMs, name: key };
      } else if (cpuMs > worstCpu.ms) worstCpu = { ms: cpuMs, name: `${key} (${label})` };
      if (indexMs > worstIndex.ms) worstIndex = { ms: indexMs, name: `${key} (${label})` };
      if (label === 'compare') {
        if (ms > worstCompare.ms) worstCompare = { ms, name: key };
      } else if (ms > worst.ms) worst = { ms, name: `${key} (${label})` };
    }
  }
  // Targets: ≤ 50 ms each.
  out['knobs.worstMs'] = worst.ms;
  out['knobs.worstScenario'] = worst.name;
  out['knobs.compareWorstMs'] = worstCompare.ms;
  out['knobs.compareWorstScenario'] = worstCompare.name;
  // The same in CPU time of this process (what the wall time would be on an idle machine, GC threads included).
  out['knobs.worstCpuMs'] = worstCpu.ms;
  out['knobs.worstCpuScenario'] = worstCpu.name;
  out['knobs.compareWorstCpuMs'] = worstCompareCpu.ms;
  out['knobs.compareWorstCpuScenario'] = worstCompareCpu.name;
  // The player's share (indexing the trace, the first view) of the above.
  out['knobs.indexWorstMs'] = worstIndex.ms;
  out['knobs.indexWorstScenario'] = worstIndex.name;
  return out;
}
