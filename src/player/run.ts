/**
 * Running a scenario for the player: parse its text, simulate it under a mesh, and hand back the
 * trace or every located problem. Pure and synchronous; {@link createRunner} decides whether it
 * runs here or in a Web Worker.
 */
import { formatProblem, type LoadedScenario } from '../scenario/index.ts';
import { simulate, profileById, effectiveResources, type EffectiveResource, type RunReport } from '../mesh/index.ts';
import type { Trace } from '../sim/index.ts';
import { MESHES } from './meshes.ts';
import { applyEdits, parseOnce, type ScenarioEdits } from './edits.ts';

/** What to run. */
export interface RunRequest {
  /** The scenario's YAML or JSON text. */
  text: string;
  /** Its name in messages (`scenarios/retries-flaky-pod.yaml`). */
  file: string;
  mesh: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** What the learner changed: knobs, native settings, injected faults. */
  edits?: ScenarioEdits;
}

/** A located problem, ready to show. */
export interface RunProblem {
  file: string;
  line: number;
  column: number;
  /** `file:line:column: message`. */
  text: string;
}

/**
 * A run: its trace, its report (summary, requests, checkpoint answers measured in the run) and
 * the native resources in effect (authored plus generated from policies), for the YAML pane.
 */
export type RunOutcome = { ok: true; trace: Trace; report: RunReport; resources: EffectiveResource[] } | { ok: false; problems: RunProblem[] };

function problemsOf(file: string, problems: { file: string; line: number; column: number; path: string; message: string }[]): RunProblem[] {
  // Line 0: a problem with a learner's edit (a fault on a pod that does not exist), not a place in the file.
  return problems.map((p) => ({
    file: p.file || file,
    line: p.line,
    column: p.column,
    text: p.line === 0 ? `${p.file || file}: ${p.message}` : formatProblem(p),
  }));
}

/** Parses a scenario (once: simulating the same text next reuses it); the loaded scenario or its problems. */
export function loadScenario(text: string, file: string): { ok: true; scenario: LoadedScenario } | { ok: false; problems: RunProblem[] } {
  const r = parseOnce(text, file);
  return r.ok ? r : { ok: false, problems: problemsOf(file, r.problems) };
}

/** Parses and simulates. Never throws for a bad scenario or mesh: those come back as problems. */
export function runScenario(req: RunRequest): RunOutcome {
  const profile = profileById(req.mesh);
  if (!profile)
    return {
      ok: false,
      problems: [{ file: req.file, line: 0, column: 0, text: `unknown mesh "${req.mesh}" (choose ${MESHES.map((m) => m.id).join(' or ')})` }],
    };
  const loaded = applyEdits(req.text, req.file, req.edits);
  if (!loaded.ok) return { ok: false, problems: problemsOf(req.file, loaded.problems) };
  try {
    const { trace, report } = simulate(loaded.scenario, profile, req.seed === undefined ? {} : { seed: req.seed });
    return { ok: true, trace, report, resources: effectiveResources(loaded.scenario, profile) };
  } catch (e) {
    // A bug in the simulator must not blank the page: report it where the learner looks.
    return {
      ok: false,
      problems: [
        { file: req.file, line: 0, column: 0, text: `${req.file}: the simulation failed under ${profile.name}: ${e instanceof Error ? e.message : String(e)}` },
      ],
    };
  }
}

/** Requests a scenario will make, roughly: what simulating it costs. */
export function estimatedRequests(scenario: LoadedScenario): number {
  let n = 0;
  for (const t of scenario.traffic) {
    if (t.count !== undefined) n += t.count;
    else if (t.rate !== undefined) n += (t.rate * ((t.stop ?? scenario.duration) - t.start)) / 1000;
    else n += 1;
  }
  return n;
}
