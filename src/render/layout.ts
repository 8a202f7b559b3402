/**
 * Where everything goes: a pure function from the topology (and who calls whom in the trace) to
 * boxes in world coordinates. Namespaces are horizontal bands inside the cluster; services are
 * columns ordered by call depth (callers left, callees right); each pod is a card with its app
 * beside its sidecar, the sidecar on the side its traffic comes from. The control plane sits above
 * the cluster, external hosts to its right, outside it. Gateways get a column at the cluster's
 * edge (ingress left, egress right), so adding them later moves nothing else.
 */
import type { NodeId, Trace, TopologyNode } from '../player/index.ts';

/** A rectangle in world coordinates. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface NodeBox extends Box {
  node: TopologyNode;
}

export interface PodCard extends Box {
  pod: string;
  service: string;
  meshed: boolean;
  app: NodeId;
  proxy?: NodeId;
}

export interface Region extends Box {
  label: string;
}

export interface Layout {
  nodes: Map<NodeId, NodeBox>;
  pods: PodCard[];
  namespaces: Region[];
  services: Region[];
  cluster: Box;
  controlPlane: Box | null;
  /** The whole drawing, for fitting the camera. */
  bounds: Box;
}

export const SIZES = {
  nodeW: 92,
  nodeH: 38,
  podGap: 8,
  podPad: 10,
  podLabel: 16,
  serviceHeader: 40,
  stateLine: 16,
  podSpacing: 16,
  columnGap: 150,
  bandPad: 30,
  clusterPad: 24,
  controlPlaneGap: 70,
  externalGap: 110,
} as const;

const POD_W = SIZES.nodeW * 2 + SIZES.podGap + SIZES.podPad * 2;
const POD_H = SIZES.podLabel + 6 + SIZES.nodeH + SIZES.stateLine + 8;

/** Call depth of each service: 0 for services nobody in the mesh calls, else 1 + the deepest caller. */
function serviceDepths(trace: Trace, serviceOf: Map<NodeId, string>): Map<string, number> {
  const callers = new Map<string, Set<string>>();
  for (const e of trace.events) {
    if (e.type !== 'flight' || e.kind !== 'http-request') continue;
    const from = serviceOf.get(e.from);
    const to = serviceOf.get(e.to);
    if (from && to && from !== to) (callers.get(to) ?? callers.set(to, new Set()).get(to)!).add(from);
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (s: string): number => {
    const known = depth.get(s);
    if (known !== undefined) return known;
    if (visiting.has(s)) return 0; // a cycle: break it here
    visiting.add(s);
    let d = 0;
    for (const c of callers.get(s) ?? []) d = Math.max(d, depthOf(c) + 1);
    visiting.delete(s);
    depth.set(s, d);
    return d;
  };
  for (const s of trace.topology.services) depthOf(s.name);
  return depth;
}

/** Lays out a trace's topology. */
export function layoutOf(trace: Trace): Layout {
  const { topology } = trace;
  const serviceOf = new Map<NodeId, string>();
  for (const n of topology.nodes) if (n.service) serviceOf.set(n.id, n.service);
  const depth = serviceDepths(trace, serviceOf);
  const columns = Math.max(1, ...[...depth.values()].map((d) => d + 1));
  const nodes = new Map<NodeId, NodeBox>();
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  const place = (id: NodeId | undefined, x: number, y: number): void => {
    const node = id ? byId.get(id) : undefined;
    if (node) nodes.set(node.id, { node, x, y, w: SIZES.nodeW, h: SIZES.nodeH });
  };

  const gateways = topology.nodes.filter((n) => n.kind === 'gateway');
  const gatewayColumn = gateways.length ? SIZES.nodeW + SIZES.columnGap / 2 : 0;
  const x0 = SIZES.clusterPad + SIZES.bandPad + gatewayColumn;
  const columnX = (c: number): number => x0 + c * (POD_W + SIZES.columnGap);

  const pods: PodCard[] = [];
  const namespaces: Region[] = [];
  const services: Region[] = [];
  const top = SIZES.clusterPad;
  let y = top;
  // A gateway is drawn once, at the cluster's edge (below), not also as a pod card in its namespace.
  const gatewayPods = new Set(topology.pods.filter((p) => byId.get(p.app)?.kind === 'gateway').map((p) => p.name));
  const drawn = topology.services.filter((s) => s.pods.some((p) => !gatewayPods.has(p)));
  for (const ns of topology.namespaces.filter((n) => drawn.some((s) => s.namespace === n))) {
    const bandTop = y;
    const heights = new Array<number>(columns).fill(0);
    for (const svc of drawn.filter((s) => s.namespace === ns)) {
      const c = depth.get(svc.name) ?? 0;
      const sx = columnX(c);
      const svcTop = bandTop + SIZES.bandPad + heights[c]!;
      let sy = svcTop + SIZES.serviceHeader;
      for (const name of svc.pods) {
        const pod = topology.pods.find((p) => p.name === name);
        if (!pod || gatewayPods.has(name)) continue;
        const proxyLeft = c > 0; // the sidecar faces its callers
        const left = sx + SIZES.podPad;
        const right = left + SIZES.nodeW + SIZES.podGap;
        const ny = sy + SIZES.podLabel + 6;
        place(pod.app, proxyLeft && pod.proxy ? right : left, ny);
        place(pod.proxy, proxyLeft ? left : right, ny);
        pods.push({
          pod: pod.name,
          service: pod.service,
          meshed: pod.meshed,
          app: pod.app,
          ...(pod.proxy ? { proxy: pod.proxy } : {}),
          x: sx,
          y: sy,
          w: POD_W,
          h: POD_H,
        });
        sy += POD_H + SIZES.podSpacing;
      }
      services.push({ label: svc.name, x: sx - 6, y: svcTop, w: POD_W + 12, h: sy - svcTop - SIZES.podSpacing + 8 });
      heights[c] = sy - bandTop - SIZES.bandPad + 16;
    }
    const bandH = Math.max(POD_H, ...heights) + SIZES.bandPad * 2;
    namespaces.push({ label: `namespace ${ns}`, x: SIZES.clusterPad, y: bandTop, w: 0, h: bandH });
    y = bandTop + bandH + SIZES.bandPad / 2;
  }
  const clusterW = columnX(columns) - SIZES.columnGap + SIZES.bandPad + (gateways.length ? gatewayColumn : 0);
  for (const r of namespaces) r.w = clusterW - SIZES.clusterPad;
  const cluster: Box = { x: 0, y: 0, w: clusterW + SIZES.clusterPad, h: Math.max(y, top + POD_H) + SIZES.clusterPad / 2 };

  // Gateways: ingress at the cluster's left edge, egress at its right (by label).
  gateways.forEach((g, i) => {
    const egress = /egress/i.test(g.label);
    place(g.id, egress ? cluster.w - SIZES.clusterPad - SIZES.nodeW : SIZES.clusterPad + 4, top + SIZES.bandPad + i * (SIZES.nodeH + 30));
  });

  // Control plane above the cluster, centred.
  const cp = topology.nodes.filter((n) => n.kind === 'control-plane');
  let controlPlane: Box | null = null;
  if (cp.length) {
    const w = Math.max(190, cp.length * SIZES.nodeW + (cp.length - 1) * 40 + 40);
    const cx = Math.max(0, (cluster.w - w) / 2);
    const cy = -SIZES.controlPlaneGap - SIZES.nodeH - 30;
    controlPlane = { x: cx, y: cy, w, h: SIZES.nodeH + 40 };
    const first = cx + (w - (cp.length * SIZES.nodeW + (cp.length - 1) * 40)) / 2;
    cp.forEach((n, i) => place(n.id, first + i * (SIZES.nodeW + 40), cy + 26));
  }

  // External hosts to the right, outside the cluster; clients to the left.
  topology.nodes
    .filter((n) => n.kind === 'external')
    .forEach((n, i) => place(n.id, cluster.w + SIZES.externalGap, top + SIZES.bandPad + i * (SIZES.nodeH + 36)));
  topology.nodes
    .filter((n) => n.kind === 'client')
    .forEach((n, i) => place(n.id, -SIZES.externalGap - SIZES.nodeW, top + SIZES.bandPad + i * (SIZES.nodeH + 36)));

  let minX = cluster.x;
  let minY = controlPlane ? controlPlane.y : cluster.y;
  let maxX = cluster.x + cluster.w;
  let maxY = cluster.y + cluster.h;
  for (const b of nodes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  const pad = 30;
  return {
    nodes,
    pods,
    namespaces,
    services,
    cluster,
    controlPlane,
    bounds: { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad },
  };
}

/** Centre of a node's box. */
export function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}
