/**
 * A run for the player: what is asked (a scenario under a mesh, with the learner's knobs and
 * faults), what comes back (the trace or every located problem), and which meshes a scenario is
 * offered and compared under. The simulation itself is simulateRun.ts, loaded when a run must be
 * simulated: a library run made when the site was built needs no engine (runner.ts).
 */
import { MESH_CATALOG, formatProblem, meshEntry, namedMeshes, type LoadResult, type LoadedScenario, type MeshVersions } from '../scenario/index.ts';
import { meshTraits, dataPlaneProblems, type MeshTraits, type PackedReport, type RunReport } from '../mesh/index.ts';
import type { PackedTrace, Trace } from '../sim/index.ts';
import { MESHES, MIN_PANES } from './meshes.ts';
import type { ScenarioEdits } from './edits.ts';
import type { ShippedShowMap } from './builtShow.ts';

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
  /**
   * What the loader makes of `text`, when known already (a library scenario, compiled when the
   * site is built): then nothing is parsed unless a native setting is edited.
   */
  loaded?: LoadResult;
  /** Releases picked by the learner (`?istio=1.23`), over the scenario's `meshVersions`. */
  versions?: MeshVersions;
  /**
   * This run as made when the site was built (a library scenario under a mesh it is offered under,
   * build/libraryRuns.ts), fetched on demand: taken instead of simulating when the request is
   * exactly that run ({@link asBuilt}). Never sent to the worker.
   */
  prebuilt?: () => Promise<PrebuiltRun>;
}

/**
 * A run made when the site was built, packed as the worker sends one (runner.ts wireOutcome), with
 * its show map (builtShow.ts): the page's first play indexes the run without making one.
 */
export interface PrebuiltRun {
  trace: PackedTrace;
  report: PackedReport<RunReport>;
  show: ShippedShowMap;
}

/**
 * Whether `req` asks for the run as the site's build made it: the scenario as loaded, its own
 * seed, the default releases, no knob, native setting or command.
 */
export function asBuilt(req: RunRequest): boolean {
  const { edits, versions, seed } = req;
  const unedited = !edits || (!edits.commands?.length && !edits.native?.length && Object.values(edits.policies ?? {}).every((v) => v === undefined));
  return req.loaded?.ok === true && seed === undefined && Object.keys(versions ?? {}).length === 0 && unedited;
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
 * the scenario as simulated (knobs and faults applied), from which the YAML pane derives the
 * native resources in effect.
 */
export type RunOutcome =
  | { ok: true; trace: Trace; report: RunReport; scenario: LoadedScenario; offered: string[]; compare: string[] }
  /**
   * `offered`: the meshes the scenario is offered under, when it loaded (see {@link offeredMeshes});
   * `compare`: the meshes compare mode opens it with (see {@link comparePanes}).
   */
  | { ok: false; problems: RunProblem[]; offered?: string[]; compare?: string[] };

/** Problems as the page shows them. */
export function problemsOf(file: string, problems: readonly { file: string; line: number; column: number; path: string; message: string }[]): RunProblem[] {
  // Line 0: a problem with a learner's edit (a fault on a pod that does not exist), not a place in the file.
  return problems.map((p) => ({
    file: p.file || file,
    line: p.line,
    column: p.column,
    text: p.line === 0 ? `${p.file || file}: ${p.message}` : formatProblem(p),
  }));
}

/**
 * Why `scenario` cannot run under `profile` because one is about connections and the other about
 * requests: a scenario written for a connection mesh only (Network Service Mesh, FIDELITY-MORE K1:
 * vWires, no HTTP) has no requests for Istio to proxy, and an HTTP scenario has nothing for NSM to
 * connect. Undefined when it can run.
 */
export function planeMismatch(scenario: Pick<LoadedScenario, 'meshes' | 'expect'>, profile: MeshTraits): string | undefined {
  const named = namedMeshes(scenario);
  if (named.includes(profile.id)) return undefined;
  const connections = named.filter((m) => meshTraits(m)?.plane === 'connections');
  const names = (ids: readonly string[]): string => ids.map((m) => meshEntry(m)?.name ?? m).join(', ');
  if (profile.plane === 'connections')
    return `${profile.name} connects workloads to network services (vWires) and has no HTTP requests to simulate; this scenario is written for ${names(named) || 'the HTTP meshes'}`;
  if (named.length > 0 && connections.length === named.length)
    return `this scenario is written for ${names(named)} only: it sets up network connections (vWires), with no HTTP requests for ${profile.name} to proxy`;
  return undefined;
}

/**
 * Whether mesh `id` connects workloads to network services (vWires) rather than proxying requests
 * (Network Service Mesh, FIDELITY-MORE K1): request knobs and faults mean nothing to it.
 */
export function connectsOnly(id: string): boolean {
  return meshTraits(id)?.plane === 'connections';
}

/**
 * The meshes `scenario` can run under, in the switch's order: every mesh of the same plane
 * (requests or connections) — see {@link planeMismatch}. The meshes it is *written* for are
 * `namedMeshes(scenario)`; the others of its plane run it with their defaults.
 */
export function runnableMeshes(scenario: Pick<LoadedScenario, 'meshes' | 'expect'> & Partial<Pick<LoadedScenario, 'services' | 'source'>>): string[] {
  const { services, source } = scenario;
  return MESHES.filter((m) => {
    const p = meshTraits(m.id);
    if (p === undefined || planeMismatch(scenario, p) !== undefined) return false;
    // FIDELITY-MORE H8: a service asking for ztunnel (dataPlane: ambient) runs only where there is one.
    return !services || !source || dataPlaneProblems({ services, source }, p).length === 0;
  }).map((m) => m.id);
}

/**
 * The meshes the app offers `scenario` under: those it is written for (`meshes`, else the meshes
 * its `expect` names), plus any mesh a build registered at run time (a scenario cannot name a mesh
 * it does not know); a scenario that names none is offered under every mesh that can run it.
 * Always of one plane ({@link runnableMeshes}).
 */
export function offeredMeshes(scenario: Pick<LoadedScenario, 'meshes' | 'expect'>): string[] {
  const runnable = runnableMeshes(scenario);
  const named = namedMeshes(scenario);
  if (named.length === 0) return runnable;
  return runnable.filter((m) => named.includes(m) || !MESH_CATALOG.some((c) => c.id === m));
}

/**
 * The meshes compare mode shows `scenario` with when the learner asks for none: its `compare`
 * list (those offered), else the first two meshes it is offered under (Istio and Istio ambient
 * for a scenario written for those two).
 */
export function comparePanes(scenario: Pick<LoadedScenario, 'compare'>, offered: readonly string[]): string[] {
  const asked = (scenario.compare ?? []).filter((m) => offered.includes(m));
  return asked.length >= MIN_PANES ? asked : offered.slice(0, MIN_PANES);
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
