/**
 * Settings the schema accepts in general but the simulation would not act on in the way they are
 * combined. Checks the raw data, because a default (`concurrency: 1`) leaves no trace in the
 * validated scenario of whether the file wrote it.
 */
import type { PathProblem } from './load.ts';
import { isObj, list } from './raw.ts';

/** Problems with settings that would be silently ignored. */
export function checkIgnoredSettings(data: unknown): PathProblem[] {
  if (!isObj(data)) return [];
  const problems: PathProblem[] = [];
  list(data.traffic).forEach((t, i) => {
    if (!isObj(t) || t.concurrency === undefined || t.count !== undefined) return;
    // Without count, rate or at is the mode (or the schema says one is missing).
    const mode =
      t.rate !== undefined
        ? 'rate: an open-loop source sends at its rate, however many requests are waiting'
        : t.at !== undefined
          ? 'at: the source sends one request'
          : undefined;
    if (mode)
      problems.push({ atKey: true, path: ['traffic', i, 'concurrency'], message: `has no effect with ${mode} (concurrency is for count, a closed loop)` });
  });
  list(data.services).forEach((svc, i) => {
    // A data plane for a service that is not in the mesh: the two say opposite things.
    if (!isObj(svc) || svc.meshed !== false || (svc.dataPlane !== 'sidecar' && svc.dataPlane !== 'ambient')) return;
    problems.push({
      path: ['services', i, 'dataPlane'],
      message: `${svc.dataPlane} contradicts meshed: false (a service outside the mesh has no data plane; write dataPlane: none, or remove meshed: false)`,
    });
  });
  return problems;
}
