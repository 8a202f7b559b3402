/**
 * The drawable topology of a run, for the trace: the control plane, every pod (its app, and its
 * sidecar when one runs inside it), every proxy of the data plane whatever its kind, the
 * Kubernetes nodes and what runs on each, the outside hosts, and who calls whom.
 */
import type { Topology, TopologyNode, TopologyPod, TopologyProxy } from '../sim/index.ts';
import type { World } from './world.ts';

export function topologyOf(world: World): Topology {
  const nodes: TopologyNode[] = world.profile.controlPlaneNodes.map((n) => ({ id: n.id, kind: 'control-plane', label: n.label }));
  const drawn = new Set<string>();
  // A pod a change deploys (FIDELITY-MORE H6: a waypoint) exists from that change's time on.
  const deployedAt = (p: { deployedBy?: number } | undefined): { deployedAtMs?: number } => {
    const change = p?.deployedBy === undefined ? undefined : world.scenario.changes[p.deployedBy];
    return change ? { deployedAtMs: change.at } : {};
  };
  const pods = [...world.pods.values()].map((p): TopologyPod => {
    const kind = p.role === 'gateway' ? 'gateway' : p.role === 'client' ? 'client' : 'app';
    nodes.push({ id: p.appNode, kind, label: p.name, namespace: p.namespace, service: p.service.name, pod: p.name });
    drawn.add(p.appNode);
    const sidecar = (world.proxiesIn.get(p.name) ?? []).find((x) => x.kind === 'sidecar');
    if (sidecar) {
      nodes.push({ id: sidecar.node, kind: 'proxy', label: sidecar.label, namespace: p.namespace, service: p.service.name, pod: p.name });
      drawn.add(sidecar.node);
    }
    return {
      name: p.name,
      service: p.service.name,
      namespace: p.namespace,
      serviceAccount: p.serviceAccount,
      role: p.role,
      ip: p.ip,
      ...(p.version ? { version: p.version } : {}),
      meshed: p.meshed,
      app: p.appNode,
      ...(sidecar ? { proxy: sidecar.node } : {}),
      ...(p.identity ? { identity: p.identity } : {}),
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...deployedAt(p),
      ...(p.locality ? { zone: p.locality.region ? `${p.locality.region}/${p.locality.zone}` : p.locality.zone } : {}),
    };
  });
  const proxies = [...world.proxies.values()].map((x): TopologyProxy => {
    // Proxies outside any pod card (node proxies, waypoints) are nodes of their own.
    if (!drawn.has(x.node))
      nodes.push({ id: x.node, kind: 'proxy', label: x.label, namespace: x.namespace, ...(x.services[0] ? { service: x.services[0] } : {}) });
    return {
      id: x.node,
      name: x.name,
      kind: x.kind,
      namespace: x.namespace,
      nodeName: x.nodeName,
      ...(x.pod ? { pod: x.pod.name } : {}),
      pods: x.pods.map((p) => p.name),
      services: [...x.services],
      identities: x.slots.map((s) => ({ identity: s.identity, certificate: `cert:${s.key}` })),
      ...(x.edge ? { edge: x.edge } : {}),
      ...deployedAt(x.pod),
    };
  });
  // One node per outside host, whatever its ports.
  const seen = new Set<string>();
  for (const e of world.externals.values()) {
    if (seen.has(e.node)) continue;
    seen.add(e.node);
    nodes.push({ id: e.node, kind: 'external', label: e.host });
  }
  const edges = new Map<string, { from: string; to: string }>();
  const edge = (from: string, to: string): void => void edges.set(`${from}→${to}`, { from, to });
  const name = (host: string): string => world.serviceByHost(host)?.name ?? host;
  const entry = [...world.pods.values()].find((p) => p.edge === 'ingress');
  for (const t of world.scenario.traffic) {
    const from = world.clients.get(t.from)?.name ?? world.pods.get(t.from)?.service.name ?? t.from;
    edge(from, world.clients.has(t.from) && entry ? entry.service.name : name(t.to));
  }
  for (const s of world.scenario.services) for (const c of s.calls) edge(s.name, name(c.to));
  if (entry) for (const r of world.scenario.ingress?.routes ?? []) edge(entry.service.name, r.service);
  return {
    edges: [...edges.values()],
    namespaces: [...new Set([...world.services.values()].map((s) => s.namespace))],
    services: [...world.services.values()].map((s) => ({ name: s.name, namespace: s.namespace, pods: s.pods.map((p) => p.name) })),
    pods,
    nodes,
    proxies,
    clusterNodes: world.clusterNodes.map((n) => ({
      name: n,
      pods: pods.filter((p) => p.nodeName === n).map((p) => p.name),
      proxies: proxies.filter((x) => x.nodeName === n).map((x) => x.id),
    })),
  };
}
