/**
 * The scenario's `changes`: the configuration after the first k changes, as an operator would
 * have applied them — policies replaced key by key, native resources added or replacing the one
 * of the same kind, name and namespace (kubectl apply). Each version keeps where its resources
 * sit in the file, so decisions under it still cite the right lines.
 */
import { sectionKeys, sectionResources, type LoadedScenario } from '../scenario/index.ts';

interface Named {
  kind: string;
  metadata: { name: string; namespace?: string };
}

const idOf = (r: Named): string => `${r.kind}/${r.metadata.namespace ?? 'default'}/${r.metadata.name}`;

function merge<R extends Named>(base: R[], basePaths: string[], added: R[], addedPath: (j: number) => string): { list: R[]; paths: string[] } {
  const list = [...base];
  const paths = [...basePaths];
  added.forEach((r, j) => {
    const i = list.findIndex((x) => idOf(x) === idOf(r));
    if (i >= 0) {
      list[i] = r;
      paths[i] = addedPath(j);
    } else {
      list.push(r);
      paths.push(addedPath(j));
    }
  });
  return { list, paths };
}

/** The scenario as it stands after its first `k` changes (k = 0: as written). */
export function scenarioAfter(scenario: LoadedScenario, k: number): LoadedScenario {
  if (k === 0) return scenario;
  let policies = scenario.policies;
  const sections = sectionKeys().map((key) => {
    const own = (sectionResources(scenario, key) ?? []) as Named[];
    let version = { list: [...own], paths: own.map((_, i) => `${key}[${i}]`) };
    scenario.changes.slice(0, k).forEach((c, ci) => {
      const added = sectionResources(c, key) as Named[] | undefined;
      if (added) version = merge(version.list, version.paths, added, (j) => `changes[${ci}].${key}[${j}]`);
    });
    return { key, ...version };
  });
  for (const c of scenario.changes.slice(0, k)) if (c.policies) policies = { ...policies, ...c.policies };
  return {
    ...scenario,
    policies,
    ...Object.fromEntries(sections.map((s) => [s.key, s.list])),
    resourcePaths: Object.fromEntries(sections.map((s) => [s.key, s.paths])),
  };
}
