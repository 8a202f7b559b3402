/**
 * Simulating a loaded scenario for the player, with the learner's knobs and faults: the trace or
 * every located problem. Pure and synchronous; {@link createRunner} decides whether it runs here
 * or in a Web Worker (and loads this module, the engine with it, only when a run must be
 * simulated), and parse.ts reads a scenario's text first when it is not loaded yet.
 */
import { checkReleases, pathString, type LoadedScenario, type MeshVersions } from '../scenario/index.ts';
import { simulate, loadedProfile, meshTraits, dataPlaneProblems, type AnyMeshProfile } from '../mesh/index.ts';
import { MESHES } from './meshes.ts';
import { applyLearnerEdits } from './edits.ts';
import { comparePanes, offeredMeshes, planeMismatch, problemsOf, type RunOutcome, type RunProblem, type RunRequest } from './run.ts';

/**
 * The profile of `mesh`, or the problem of naming one that does not exist. The profile must be
 * loaded (`loadProfile` from src/mesh: the runner does it; `runScenario` has them all).
 */
export function profileFor(req: RunRequest): AnyMeshProfile | RunProblem[] {
  const profile = loadedProfile(req.mesh);
  if (profile) return profile;
  const text = meshTraits(req.mesh)
    ? `mesh "${req.mesh}" is not loaded yet (await loadProfile("${req.mesh}") before running it)`
    : `unknown mesh "${req.mesh}" (choose ${MESHES.map((m) => m.id).join(' or ')})`;
  return [{ file: req.file, line: 0, column: 0, text }];
}

/**
 * Simulates `scenario` (the file as loaded, native edits already in it) with the request's knobs
 * and faults. Never throws for a bad command or mesh: those come back as problems.
 */
export function runLoaded(scenario: LoadedScenario, req: RunRequest, until: { untilMs?: number } = {}): RunOutcome {
  const profile = profileFor(req);
  if (Array.isArray(profile)) return { ok: false, problems: profile };
  const offered = offeredMeshes(scenario);
  const meshes = { offered, compare: comparePanes(scenario, offered) };
  const refused = planeMismatch(scenario, profile);
  if (refused)
    return { ok: false, ...meshes, problems: [{ file: req.file, line: scenario.source.lines.meshes ?? 0, column: 1, text: `${req.file}: ${refused}` }] };
  // The run refused, with the scenario's problems in the file's terms.
  const refuse = (problems: Parameters<typeof problemsOf>[1]): RunOutcome => ({ ok: false, ...meshes, problems: problemsOf(req.file, problems) });
  const edited = applyLearnerEdits(scenario, req.file, req.edits);
  if (!edited.ok) return refuse(edited.problems);
  const versions = req.versions ?? {};
  if (Object.keys(versions).length > 0) {
    // A release picked in the URL must still accept what the file asks of it (FIDELITY B1: retryBudget, compatibilityVersion).
    const clash = checkReleases(edited.scenario, versions);
    if (clash.length > 0) return refuse(clash.map((p) => releaseProblem(edited.scenario, req.file, p, versions)));
  }
  // FIDELITY-MORE H8: services[].dataPlane: ambient needs Istio ambient; the message names the line.
  const planes = dataPlaneProblems(edited.scenario, profile);
  if (planes.length > 0) return refuse(planes.map((p) => ({ file: req.file, line: p.line, column: 1, path: p.path, message: p.message })));
  try {
    const { trace, report } = simulate(edited.scenario, profile, { ...(req.seed === undefined ? {} : { seed: req.seed }), ...until, versions });
    return { ok: true, trace, report, scenario: edited.scenario, ...meshes };
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

/** A release clash, at the file's line for the path when the file has it. */
function releaseProblem(
  scenario: LoadedScenario,
  file: string,
  p: { path: (string | number)[]; message: string },
  versions: MeshVersions,
): { file: string; line: number; column: number; path: string; message: string } {
  const path = pathString(p.path);
  const picked = Object.entries(versions)
    .map(([m, v]) => `${m}=${v}`)
    .join(', ');
  return { file, line: scenario.source.lines[path] ?? 0, column: 1, path, message: `${p.message} (URL parameter ${picked})` };
}
