/**
 * What a learner changed about a scenario, as data a run can carry (to a Web Worker, too): the
 * mesh-neutral `policies` set by the knobs, native settings edited in place (each mesh's own
 * resources in the file), and the faults injected at the playhead as recorded commands
 * (`{ type: 'pod.crash', pod, at }`). {@link applyLearnerEdits} applies the knobs and the faults to
 * a loaded scenario; native edits change the text, so parse.ts applies those (and then these):
 * nothing else changes, so the same seed replays everything the edits do not touch. This module
 * reads no text: a run of a library scenario (compiled when the site is built) needs no parser.
 */
import { podNames, type LoadedScenario, type Policies, type ScenarioProblem } from '../scenario/index.ts';

/** A fault the learner injects at the playhead; `at` is simulated ms. */
export type LearnerCommand =
  | { type: 'pod.crash'; pod: string; at: number; restartAfter?: number }
  | { type: 'pod.slow'; pod: string; at: number; delay: number; rate: number }
  | { type: 'pod.fail'; pod: string; at: number; status: number; rate: number }
  | { type: 'link.cut'; pod: string; to: string; at: number }
  | { type: 'controlPlane.stop'; at: number }
  | { type: 'certificate.expire'; pod: string; at: number };

export type LearnerCommandType = LearnerCommand['type'];

/** A native setting's new value, by its path in the file (`istio[0].spec.action`). */
export interface NativeEdit {
  path: string;
  value: string | number | boolean;
}

/** Policies as the knobs set them: a key set to null goes back to the mesh's default. */
export type PolicyEdits = { [K in keyof Policies]?: Policies[K] | null };

/** Everything a learner changed. Plain data (JSON-safe). */
export interface ScenarioEdits {
  policies?: PolicyEdits;
  native?: NativeEdit[];
  commands?: LearnerCommand[];
}

/** Every pod of a scenario (workloads; not outside clients). */
export function scenarioPods(scenario: LoadedScenario): string[] {
  return scenario.services.flatMap((s) => podNames(s.name, s.replicas, s.versions));
}

/**
 * What turns commands into faults (commands.ts), once loaded: a first play injects none, so the
 * page loads it with the first command (loadCommands), as it loads a mesh's profile with its first
 * run; runScenario.ts, the synchronous API, keeps it loaded.
 */
let commands: typeof import('./commands.ts') | null = null;

/** Keeps commands.ts loaded (runScenario.ts imports it). */
export function keepCommands(code: typeof import('./commands.ts')): void {
  commands = code;
}

/** Loads commands.ts (once): before a run with commands, or a command's words. */
export async function loadCommands(): Promise<typeof import('./commands.ts')> {
  return (commands ??= await import('./commands.ts'));
}

/** commands.ts, loaded already (a command exists only once {@link loadCommands} has been awaited). */
export function commandCode(): typeof import('./commands.ts') {
  if (!commands) throw new Error('commands.ts is not loaded: await loadCommands() before a command is run or described');
  return commands;
}

/** A problem with an edit, in the form the page shows scenario problems. */
export function editProblem(file: string, message: string): ScenarioProblem {
  return { file, line: 0, column: 0, path: '', message };
}

/** Policies after the knobs: each key set replaces the file's, null removes it. */
export function policiesAfter(base: Policies, edits: PolicyEdits | undefined): Policies {
  if (!edits) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(edits)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out as Policies;
}

/**
 * The knobs' policies and the commands' faults applied to `scenario` (loaded from `file`, native
 * edits already in it): the scenario that is simulated, or what is wrong with a command.
 */
export function applyLearnerEdits(
  scenario: LoadedScenario,
  file: string,
  edits: ScenarioEdits | undefined,
): { ok: true; scenario: LoadedScenario } | { ok: false; problems: ScenarioProblem[] } {
  if (!edits) return { ok: true, scenario };
  let out = scenario;
  if (edits.policies) out = { ...out, policies: policiesAfter(out.policies, edits.policies) };
  const commands = edits.commands ?? [];
  if (commands.length) {
    const code = commandCode();
    const problems = commands.map((c) => code.commandProblem(c, out)).filter((p): p is string => p !== null);
    if (problems.length) return { ok: false, problems: problems.map((m) => editProblem(file, m)) };
    out = { ...out, faults: [...out.faults, ...commands.map(code.faultOf)] };
  }
  return { ok: true, scenario: out };
}
