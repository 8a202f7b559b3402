/**
 * The scenario's `changes`: the configuration after the first k changes, as an operator would
 * have applied them — policies replaced key by key, native resources added or replacing the one
 * of the same kind, name and namespace (kubectl apply). Each version keeps where its resources
 * sit in the file, so decisions under it still cite the right lines.
 */
import type { LoadedScenario } from '../scenario/index.ts';

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
  let istio = { list: [...scenario.istio] as Named[], paths: scenario.istio.map((_, i) => `istio[${i}]`) };
  let linkerd = { list: [...scenario.linkerd] as Named[], paths: scenario.linkerd.map((_, i) => `linkerd[${i}]`) };
  let policies = scenario.policies;
  scenario.changes.slice(0, k).forEach((c, ci) => {
    if (c.policies) policies = { ...policies, ...c.policies };
    if (c.istio) istio = merge(istio.list, istio.paths, c.istio as Named[], (j) => `changes[${ci}].istio[${j}]`);
    if (c.linkerd) linkerd = merge(linkerd.list, linkerd.paths, c.linkerd as Named[], (j) => `changes[${ci}].linkerd[${j}]`);
  });
  return {
    ...scenario,
    policies,
    istio: istio.list as LoadedScenario['istio'],
    linkerd: linkerd.list as LoadedScenario['linkerd'],
    resourcePaths: { istio: istio.paths, linkerd: linkerd.paths },
  };
}
