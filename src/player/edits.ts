/**
 * What a learner changed about a scenario, as data a run can carry (to a Web Worker, too): the
 * mesh-neutral `policies` set by the knobs, native settings edited in place (each mesh's own
 * resources in the file), and the faults injected at the playhead as recorded commands
 * (`{ type: 'pod.crash', pod, at }`). {@link applyLearnerEdits} applies the knobs and the faults to
 * a loaded scenario; native edits change the text, so parse.ts applies those (and then these):
 * nothing else changes, so the same seed replays everything the edits do not touch. This module
 * reads no text: a run of a library scenario (compiled when the site is built) needs no parser.
 */
import { podNames, type FaultSpec, type LoadedScenario, type Policies, type ScenarioProblem } from '../scenario/index.ts';
import { formatClock, formatDuration } from './format.ts';

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

/** The fault a command adds to the scenario's `faults`. */
export function faultOf(c: LearnerCommand): FaultSpec {
  switch (c.type) {
    case 'pod.crash':
      return { pod: c.pod, crash: c.restartAfter === undefined ? { at: c.at } : { at: c.at, restartAfter: c.restartAfter } };
    case 'pod.slow':
      return { pod: c.pod, delay: { time: c.delay, rate: c.rate }, from: c.at };
    case 'pod.fail':
      return { pod: c.pod, errors: { status: c.status, rate: c.rate }, from: c.at };
    case 'link.cut':
      return { pod: c.pod, link: { to: c.to }, from: c.at };
    case 'controlPlane.stop':
      return { controlPlane: 'down', from: c.at };
    case 'certificate.expire':
      return { pod: c.pod, certificate: { expireAt: c.at } };
  }
}

/** A command in words, its time as the clock reads it: `crash reviews-0 at 4.200 s, restart after 2 s`. */
export function describeCommand(c: LearnerCommand): string {
  switch (c.type) {
    case 'pod.crash':
      return `crash ${c.pod} at ${formatClock(c.at)}${c.restartAfter === undefined ? '' : `, restart after ${formatDuration(c.restartAfter)}`}`;
    case 'pod.slow':
      return `slow ${c.pod} by ${c.delay} ms (${Math.round(c.rate * 100)}% of requests) from ${formatClock(c.at)}`;
    case 'pod.fail':
      return `make ${c.pod} answer ${c.status} to ${Math.round(c.rate * 100)}% from ${formatClock(c.at)}`;
    case 'link.cut':
      return `cut the link ${c.pod} ↔ ${c.to} at ${formatClock(c.at)}`;
    case 'controlPlane.stop':
      return `stop the control plane at ${formatClock(c.at)}`;
    case 'certificate.expire':
      return `expire ${c.pod}'s certificate at ${formatClock(c.at)}`;
  }
}

/** Every pod of a scenario (workloads; not outside clients). */
export function scenarioPods(scenario: LoadedScenario): string[] {
  return scenario.services.flatMap((s) => podNames(s.name, s.replicas, s.versions));
}

/** Why a command cannot apply to `scenario`, or null. */
function commandProblem(c: LearnerCommand, scenario: LoadedScenario): string | null {
  const pods = scenarioPods(scenario);
  if (!(c.at >= 0 && c.at <= scenario.duration)) return `${describeCommand(c)}: the time must be within the run (0 to ${formatClock(scenario.duration)})`;
  if ('pod' in c && !pods.includes(c.pod)) return `${describeCommand(c)}: there is no pod ${c.pod} (pods: ${pods.join(', ')})`;
  if (c.type === 'link.cut' && c.to !== 'control-plane' && !pods.includes(c.to)) return `${describeCommand(c)}: there is no pod ${c.to}`;
  if ((c.type === 'pod.slow' || c.type === 'pod.fail') && !(c.rate > 0 && c.rate <= 1))
    return `${describeCommand(c)}: the share must be above 0% and at most 100%`;
  if (c.type === 'pod.slow' && !(c.delay > 0)) return `${describeCommand(c)}: the delay must be longer than 0 ms`;
  if (c.type === 'pod.fail' && !(Number.isInteger(c.status) && c.status >= 100 && c.status <= 599))
    return `${describeCommand(c)}: the status must be 100 to 599`;
  return null;
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
    const problems = commands.map((c) => commandProblem(c, out)).filter((p): p is string => p !== null);
    if (problems.length) return { ok: false, problems: problems.map((m) => editProblem(file, m)) };
    out = { ...out, faults: [...out.faults, ...commands.map(faultOf)] };
  }
  return { ok: true, scenario: out };
}
