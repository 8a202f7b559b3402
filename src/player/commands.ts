/**
 * Commands as faults and in words: the fault each adds to the scenario, the command read out, and
 * why one cannot apply. Loaded with the first command (edits.ts loadCommands): a first play has none.
 */
import type { FaultSpec, LoadedScenario } from '../scenario/index.ts';
import { scenarioPods, type LearnerCommand } from './edits.ts';
import { formatClock, formatDuration } from './format.ts';

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

/** Why a command cannot apply to `scenario`, or null. */
export function commandProblem(c: LearnerCommand, scenario: LoadedScenario): string | null {
  const all = scenarioPods(scenario);
  if (!(c.at >= 0 && c.at <= scenario.duration)) return `${describeCommand(c)}: the time must be within the run (0 to ${formatClock(scenario.duration)})`;
  if ('pod' in c && !all.includes(c.pod)) return `${describeCommand(c)}: there is no pod ${c.pod} (pods: ${all.join(', ')})`;
  if (c.type === 'link.cut' && c.to !== 'control-plane' && !all.includes(c.to)) return `${describeCommand(c)}: there is no pod ${c.to}`;
  if ((c.type === 'pod.slow' || c.type === 'pod.fail') && !(c.rate > 0 && c.rate <= 1))
    return `${describeCommand(c)}: the share must be above 0% and at most 100%`;
  if (c.type === 'pod.slow' && !(c.delay > 0)) return `${describeCommand(c)}: the delay must be longer than 0 ms`;
  if (c.type === 'pod.fail' && !(Number.isInteger(c.status) && c.status >= 100 && c.status <= 599))
    return `${describeCommand(c)}: the status must be 100 to 599`;
  return null;
}
