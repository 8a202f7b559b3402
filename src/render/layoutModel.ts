/**
 * What the layout places, read once from a trace: services by call depth (callers left), the
 * bands pods sit in (namespaces, or Kubernetes nodes when the mesh has per-node proxies), the
 * proxies that stand alone (gateways, waypoints, node proxies), what lies outside the cluster,
 * and which pods a lesson singles out (so they are never folded into a "×N" group).
 */
import type { NodeId, Trace, TopologyNode, TopologyPod } from '../player/index.ts';
import { COL_DECISION, COL_FLIGHT, COL_NONE, COL_REQUEST_START, COL_TRANSITION, storeOf, stringId } from '../player/columns.ts';

/** A pod or standalone proxy as the layout sees it. */
export interface ModelPod {
  pod: TopologyPod;
  app: TopologyNode | undefined;
  proxy: TopologyNode | undefined;
  band: string;
}

export interface ModelService {
  name: string;
  namespace: string;
  depth: number;
  pods: ModelPod[];
}

/** A band: a namespace, or a Kubernetes node with its node proxy. */
export interface ModelBand {
  name: string;
  kind: 'namespace' | 'k8s-node';
  /** The node proxy drawn as a strip along a Kubernetes node. */
  nodeProxy?: TopologyNode;
}

export interface LayoutModel {
  trace: Trace;
  services: ModelService[];
  bands: ModelBand[];
  columns: number;
  gateways: TopologyNode[];
  /** Gateways traffic leaves the cluster through (drawn at its right edge; ingress at its left). */
  egress: Set<NodeId>;
  /** Waypoints, and the band each sits in: its Kubernetes node's, when the pods are banded by node (a waypoint is a pod too). */
  waypoints: { node: TopologyNode; serves: string[]; band?: string }[];
  controlPlane: TopologyNode[];
  externals: TopologyNode[];
  clients: TopologyNode[];
  /** Pods a lesson is about (faults, crashes, ejections, errors): never folded into a group. */
  notable: Set<string>;
  /** Requests named to each service (its counter's largest figure). */
  requests: Map<string, number>;
  /** The http requests sent from node to node, by distinct pair (what a card's sidecar faces). */
  links: { from: NodeId; to: NodeId; requests: number }[];
}

/**
 * What the layout reads of a trace's events, in one pass over its columns (src/player/columns.ts)
 * instead of four passes through the events' views: who sends http requests to whom (by node),
 * the pods a lesson singles out, and the requests named to each service.
 */
interface EventFacts {
  /** Distinct (from, to) nodes of http-request flights, in order of first appearance. */
  calls: [NodeId, NodeId][];
  /** How many requests each of {@link calls} carried. */
  counts: number[];
  notable: Set<string>;
  requests: Map<string, number>;
}

function eventFacts(trace: Trace): EventFacts {
  const s = storeOf(trace.events);
  const strings = s.strings;
  const width = strings.length;
  const httpRequest = stringId(s, 'http-request');
  const httpResponse = stringId(s, 'http-response');
  const crashed = stringId(s, 'crashed');
  const endpointHealth = stringId(s, 'endpointHealth');
  const pairs = new Map<number, number>();
  const calls: [NodeId, NodeId][] = [];
  const counts: number[] = [];
  // Pods the trace singles out: where a fault, a crash, an ejection or an error happened.
  const podOf = new Map<NodeId, string>();
  for (const n of trace.topology.nodes) if (n.pod) podOf.set(n.id, n.pod);
  const notable = new Set<string>();
  const mark = (sid: number): void => {
    const p = sid === COL_NONE ? undefined : podOf.get(strings[sid]!);
    if (p) notable.add(p);
  };
  const faultKinds = new Map<number, boolean>();
  const isFault = (sid: number): boolean => {
    let f = faultKinds.get(sid);
    if (f === undefined) faultKinds.set(sid, (f = strings[sid] === 'fault' || strings[sid]!.startsWith('fault-')));
    return f;
  };
  const requestsTo = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    switch (s.type[i]) {
      case COL_FLIGHT:
        if (s.c[i] === httpRequest) {
          const key = s.node[i]! * width + s.a[i]!;
          const at = pairs.get(key);
          if (at === undefined) {
            pairs.set(key, calls.length);
            calls.push([strings[s.node[i]!]!, strings[s.a[i]!]!]);
            counts.push(1);
          } else counts[at] = counts[at]! + 1;
        } else if (s.c[i] === httpResponse && s.e[i] !== COL_NONE && s.e[i]! >= 500) mark(s.node[i]!);
        break;
      case COL_DECISION:
        if (isFault(s.c[i]!)) mark(s.node[i]!);
        break;
      case COL_TRANSITION:
        if (s.c[i] === endpointHealth) mark(s.b[i]!);
        else if (s.e[i] === crashed) mark(s.node[i]!);
        break;
      case COL_REQUEST_START:
        requestsTo.set(s.b[i]!, (requestsTo.get(s.b[i]!) ?? 0) + 1);
        break;
      default:
        break;
    }
  }
  const requests = new Map<string, number>();
  for (const [sid, count] of requestsTo) {
    const name = strings[sid]!.split('.')[0]!;
    requests.set(name, (requests.get(name) ?? 0) + count);
  }
  return { calls, counts, notable, requests };
}

/** Call depth of each service: 0 for services nobody in the mesh calls, else 1 + the deepest caller. */
function serviceDepths(trace: Trace, calls: readonly [NodeId, NodeId][], serviceOf: Map<NodeId, string>, names: readonly string[]): Map<string, number> {
  const callers = new Map<string, Set<string>>();
  const add = (from: string | undefined, to: string | undefined): void => {
    if (from && to && from !== to) (callers.get(to) ?? callers.set(to, new Set()).get(to)!).add(from);
  };
  for (const [from, to] of calls) add(serviceOf.get(from), serviceOf.get(to));
  // Who calls whom as the scenario says, for services no request reached in this run.
  const known = new Set(names);
  for (const e of trace.topology.edges) if (known.has(e.from) && known.has(e.to)) add(e.from, e.to);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (s: string): number => {
    const done = depth.get(s);
    if (done !== undefined) return done;
    if (visiting.has(s)) return 0; // a cycle: break it here
    visiting.add(s);
    let d = 0;
    for (const c of callers.get(s) ?? []) d = Math.max(d, depthOf(c) + 1);
    visiting.delete(s);
    depth.set(s, d);
    return d;
  };
  for (const s of names) depthOf(s);
  return depth;
}

/**
 * A service that neither calls nor is called goes to the deepest column its namespace uses, so
 * that it sits with its neighbours instead of opening a column of its own on the left.
 */
function placeIsolated(
  trace: Trace,
  calls: readonly [NodeId, NodeId][],
  serviceOf: Map<NodeId, string>,
  services: readonly { name: string; namespace: string }[],
  depth: Map<string, number>,
): void {
  const linked = new Set<string>();
  for (const [fromNode, toNode] of calls) {
    const from = serviceOf.get(fromNode);
    const to = serviceOf.get(toNode);
    if (from && to && from !== to) linked.add(from).add(to);
  }
  for (const e of trace.topology.edges) linked.add(e.from).add(e.to);
  for (const s of services) {
    if (linked.has(s.name)) continue;
    const mates = services.filter((m) => m.namespace === s.namespace && linked.has(m.name));
    if (mates.length) depth.set(s.name, Math.max(...mates.map((m) => depth.get(m.name) ?? 0)));
  }
}

/**
 * Reads what the layout needs from a trace. `requestsScale`: for a run's preview (its start only,
 * player/parse.ts runTextPreviewed), how many times longer the run is — each service's requests
 * are counted as that many times the preview's, so its counter is laid out as wide as the run's.
 */
export function modelOf(trace: Trace, { requestsScale = 1 }: { requestsScale?: number } = {}): LayoutModel {
  const { topology } = trace;
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  const proxyInfo = new Map(topology.proxies.map((p) => [p.id, p]));
  const nodeProxies = topology.nodes.filter((n) => proxyInfo.get(n.id)?.kind === 'node');
  const k8sNodes = topology.clusterNodes.map((c) => c.name);
  // Pods are grouped by Kubernetes node only where a node proxy serves them (Istio ambient):
  // with sidecars the node a pod runs on changes nothing a lesson shows.
  const byNode = nodeProxies.length > 0 && k8sNodes.length > 0;

  // Gateways stand alone at the cluster's edge; clients outside it; neither is a pod card.
  const standalone = new Set(
    topology.pods.filter((p) => byId.get(p.app)?.kind === 'gateway' || byId.get(p.app)?.kind === 'client' || p.role === 'client').map((p) => p.name),
  );
  const serviceOf = new Map<NodeId, string>();
  for (const n of topology.nodes) if (n.service) serviceOf.set(n.id, n.service);
  const drawn = topology.services.filter((s) => s.pods.some((p) => !standalone.has(p)));
  const facts = eventFacts(trace);
  const depth = serviceDepths(
    trace,
    facts.calls,
    serviceOf,
    drawn.map((s) => s.name),
  );
  placeIsolated(trace, facts.calls, serviceOf, drawn, depth);
  const podByName = new Map(topology.pods.map((p) => [p.name, p]));
  const services: ModelService[] = drawn.map((s) => ({
    name: s.name,
    namespace: s.namespace,
    depth: depth.get(s.name) ?? 0,
    pods: s.pods
      .filter((name) => !standalone.has(name) && podByName.has(name))
      .map((name) => {
        const pod = podByName.get(name)!;
        return {
          pod,
          app: byId.get(pod.app),
          proxy: pod.proxy ? byId.get(pod.proxy) : undefined,
          band: byNode ? (pod.nodeName ?? k8sNodes[0]!) : pod.namespace,
        };
      }),
  }));
  const used = new Set(services.flatMap((s) => s.pods.map((p) => p.band)));
  const bands: ModelBand[] = byNode
    ? k8sNodes.map((name) => {
        const np = nodeProxies.find((n) => proxyInfo.get(n.id)?.nodeName === name);
        return np ? { name, kind: 'k8s-node' as const, nodeProxy: np } : { name, kind: 'k8s-node' as const };
      })
    : topology.namespaces.filter((n) => used.has(n)).map((name) => ({ name, kind: 'namespace' as const }));
  const waypoints = topology.nodes
    .filter((n) => proxyInfo.get(n.id)?.kind === 'waypoint')
    .map((node) => {
      const info = proxyInfo.get(node.id)!;
      return byNode && bands.some((b) => b.name === info.nodeName) ? { node, serves: info.services, band: info.nodeName } : { node, serves: info.services };
    });
  return {
    trace,
    services,
    bands,
    columns: Math.max(1, ...services.map((s) => s.depth + 1)),
    // A waypoint is a Gateway too (class istio-waypoint), but drawn in the waypoint column only.
    gateways: topology.nodes.filter((n) => n.kind === 'gateway' && proxyInfo.get(n.id)?.kind !== 'waypoint'),
    egress: new Set(topology.proxies.filter((p) => p.edge === 'egress').map((p) => p.id)),
    waypoints,
    controlPlane: topology.nodes.filter((n) => n.kind === 'control-plane'),
    externals: topology.nodes.filter((n) => n.kind === 'external'),
    clients: topology.nodes.filter((n) => n.kind === 'client'),
    notable: facts.notable,
    requests: requestsScale === 1 ? facts.requests : new Map([...facts.requests].map(([name, n]) => [name, Math.round(n * requestsScale)])),
    links: facts.calls.map(([from, to], i) => ({ from, to, requests: facts.counts[i]! })),
  };
}
