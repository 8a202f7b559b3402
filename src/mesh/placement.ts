/**
 * Where pods run: the cluster's Kubernetes nodes and the node of each pod. A scenario may name
 * the nodes and pin pods to them (`nodes:`); the pods nobody pinned are spread over every node in
 * turn, in scenario order, as a scheduler spreading replicas would. Unset, the cluster has two
 * nodes (one when there is a single pod), so the picture stays readable.
 */
import type { LoadedScenario } from '../scenario/index.ts';

export interface Placement {
  /** The nodes, in order. */
  nodes: string[];
  /** The node of each pod, by pod name. */
  nodeOf: Map<string, string>;
}

/** Places `pods` (names, in scenario order) on the scenario's nodes. */
export function placePods(scenario: LoadedScenario, pods: readonly string[]): Placement {
  const spec = scenario.nodes;
  const listed = Array.isArray(spec) ? spec : undefined;
  const count = typeof spec === 'number' ? spec : pods.length > 1 ? 2 : 1;
  const nodes = listed ? listed.map((n) => n.name) : Array.from({ length: count }, (_, i) => `node-${i + 1}`);
  const nodeOf = new Map<string, string>();
  for (const n of listed ?? []) for (const pod of n.pods) nodeOf.set(pod, n.name);
  let turn = 0;
  for (const pod of pods) {
    if (nodeOf.has(pod)) continue;
    nodeOf.set(pod, nodes[turn++ % nodes.length]!);
  }
  return { nodes, nodeOf };
}
