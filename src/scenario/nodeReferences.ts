/**
 * Checks of the scenario's `nodes` list the schema cannot make: node names are unique, and each
 * pod a node lists is a pod of the scenario, pinned to one node only. Reads the raw data
 * defensively, like the other reference checks, so every problem is reported at once.
 */
import type { PathProblem } from './load.ts';
import { describe } from './units.ts';
import { guessHint, isObj, list, str } from './raw.ts';
import { podNames, serviceKeys } from './names.ts';

export function checkNodes(data: unknown): PathProblem[] {
  if (!isObj(data) || !Array.isArray(data.nodes)) return [];
  const problems: PathProblem[] = [];
  const raw = list(data.services).filter(isObj);
  // A name declared in several namespaces is keyed name.namespace, its pods <name>-<i>.<namespace> (names.ts).
  const keys = serviceKeys(raw.map((s) => ({ name: str(s.name) ?? '', namespace: str(s.namespace) })));
  const services = raw.map((s, i) => ({
    name: keys[i]!,
    versions: Array.isArray(s.versions) ? s.versions.filter((v): v is string => typeof v === 'string') : undefined,
    replicas: typeof s.replicas === 'number' && s.replicas > 0 && s.replicas <= 50 ? Math.floor(s.replicas) : 1,
  }));
  const pods = services.flatMap((s) => podNames(s.name, s.replicas, s.versions));
  const names = new Map<string, number>();
  const pinned = new Map<string, (string | number)[]>();
  data.nodes.forEach((node, i) => {
    if (!isObj(node)) return;
    const name = str(node.name);
    if (name !== undefined) {
      const first = names.get(name);
      if (first === undefined) names.set(name, i);
      else
        problems.push({
          path: ['nodes', i, 'name'],
          message: `declares node ${describe(name)} a second time`,
          first: { path: ['nodes', first, 'name'], text: 'first declared' },
        });
    }
    list(node.pods).forEach((pod, j) => {
      if (typeof pod !== 'string') return;
      const path = ['nodes', i, 'pods', j];
      if (!pods.includes(pod)) {
        problems.push({ path, message: `names pod ${describe(pod)} that the scenario does not declare${guessHint(pod, pods)}` });
        return;
      }
      const before = pinned.get(pod);
      if (before)
        problems.push({ path, message: `puts pod ${describe(pod)} on a second node: a pod runs on one node`, first: { path: before, text: 'first placed' } });
      else pinned.set(pod, path);
    });
  });
  return problems;
}
