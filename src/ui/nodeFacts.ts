/**
 * What the inspector says about a node of the picture (inspector.ts): its title, the facts about
 * it and the nodes whose machines it lists — loaded the first time a node is selected (a first
 * play selects nothing; browser.firstPlayKB).
 */
import { formatClock, statePhrase, type FlightEvent, type NodeId, type Trace, type TraceEvent } from '../player/index.ts';
import type { ProxyKind, TopologyProxy } from '../sim/index.ts';

/** How the inspector names each kind of proxy. */
const PROXY_WORDS: Record<ProxyKind, string> = { sidecar: 'Sidecar', node: 'Node proxy', waypoint: 'Waypoint', gateway: 'Gateway' };

/** What the inspector says about a node of the picture: a title, facts, and the nodes whose machines it lists. */
export interface NodeFacts {
  title: string;
  rows: [string, string][];
  machineNodes: NodeId[];
}

/**
 * The facts about `nodeId` at `timeMs`: a pod (its app, or its sidecar) with the proxy that
 * handles its traffic, or a proxy of any kind with the pods it serves and, per identity it
 * holds, its certificate's state and expiry.
 */
export function nodeFacts(
  trace: Trace,
  nodeId: NodeId,
  timeMs: number,
  delivered: ReadonlyMap<NodeId, FlightEvent[]>,
  components: readonly { entity: string; state: string; sinceMs: number }[],
): NodeFacts {
  const { topology } = trace;
  const node = topology.nodes.find((n) => n.id === nodeId);
  const proxy = topology.proxies.find((p) => p.id === nodeId);
  const pod = topology.pods.find((p) => p.app === nodeId || p.proxy === nodeId);
  const word = proxy
    ? PROXY_WORDS[proxy.kind]
    : node?.kind === 'app'
      ? 'App'
      : node?.kind === 'control-plane'
        ? 'Control plane'
        : node?.kind === 'proxy'
          ? 'Proxy'
          : 'Host';
  const title = node ? `${word}: ${node.label}` : nodeId;
  const rows: [string, string][] = [];
  const certificateRows = (p: TopologyProxy): void => {
    for (const { identity, certificate } of p.identities) {
      if (p.identities.length > 1) rows.push(['holds', identity]);
      const state = components.find((c) => c.entity === certificate);
      if (state) rows.push(['certificate', `${statePhrase('certificate', state.state).long} (since ${formatClock(state.sinceMs)})`]);
      // One identity: every certificate sent to the proxy is its (even one naming another identity, a scenario fault).
      const mine = p.identities.length > 1 ? delivered.get(p.id)?.filter((f) => f.detail?.identity === identity) : delivered.get(p.id);
      const held = certificateAt(mine, timeMs);
      if (held?.detail?.expiresAtMs !== undefined) rows.push(['expires', formatClock(Number(held.detail.expiresAtMs))]);
    }
  };
  if (pod) {
    rows.push(['pod', pod.name], ['service', pod.service], ['namespace', pod.namespace], ['service account', pod.serviceAccount]);
    if (pod.version) rows.push(['version', pod.version]);
    if (pod.nodeName) rows.push(['Kubernetes node', pod.nodeName]);
    const serving = topology.proxies.filter((p) => p.pods.includes(pod.name));
    const sidecar = serving.find((p) => p.kind === 'sidecar' && p.pod === pod.name);
    const own = serving.find((p) => p.pod === pod.name);
    rows.push([
      'sidecar',
      sidecar
        ? 'yes'
        : own
          ? `no: the pod is the ${PROXY_WORDS[own.kind].toLowerCase()} itself`
          : serving[0]
            ? `no: ${PROXY_WORDS[serving[0].kind].toLowerCase()} ${serving[0].name} on ${serving[0].nodeName} handles its traffic`
            : 'no (not in the mesh)',
    ]);
    if (pod.identity) rows.push(['identity', pod.identity]);
    if (own) certificateRows(own);
    return { title, rows, machineNodes: [pod.app, ...(pod.proxy ? [pod.proxy] : [])] };
  }
  if (proxy) {
    rows.push(['proxy', proxy.name], ['kind', proxy.kind], ['namespace', proxy.namespace], ['Kubernetes node', proxy.nodeName]);
    if (proxy.pods.length) rows.push(['serves pods', proxy.pods.join(', ')]);
    if (proxy.services.length) rows.push(['serves services', proxy.services.join(', ')]);
    certificateRows(proxy);
  }
  return { title, rows, machineNodes: [nodeId] };
}

/** The certificates each proxy is sent (flights to it), in the order they arrive. */
export function deliveredCertificates(events: readonly TraceEvent[]): Map<NodeId, FlightEvent[]> {
  const out = new Map<NodeId, FlightEvent[]>();
  for (const e of events) if (e.type === 'flight' && e.kind === 'certificate') (out.get(e.to) ?? out.set(e.to, []).get(e.to)!).push(e);
  for (const list of out.values()) list.sort((a, b) => a.arriveMs - b.arriveMs);
  return out;
}

/** The certificate a proxy holds at `timeMs`: the latest delivered by then (one still on its way does not count). */
export function certificateAt(delivered: readonly FlightEvent[] | undefined, timeMs: number): FlightEvent | undefined {
  if (!delivered) return undefined;
  for (let i = delivered.length - 1; i >= 0; i--) if (delivered[i]!.arriveMs <= timeMs) return delivered[i];
  return undefined;
}

/** A link's traffic over the last simulated second, as the inspector's rows (`e`: the view's edge, if it had any). */
export function linkRows(e: { rate: number; share: number | null; responses: number; errorShare: number } | undefined): [string, string][] {
  if (!e) return [['requests', 'none in the last simulated second']];
  return [
    ['requests', `${Math.round(e.rate * 10) / 10} per second (the last simulated second)`],
    ['share', e.share === null ? "all of the caller's requests to this service" : `${Math.round(e.share * 100)}% of the caller's requests to this service`],
    ['errors', e.responses ? `${Math.round(e.errorShare * 100)}% of ${e.responses} responses` : 'no response in that second'],
  ];
}
