/**
 * One arrangement placed: services in columns by call depth, their cards in namespace or
 * Kubernetes-node bands, gateways and waypoints at the cluster's edges, the control plane above
 * it, external hosts to its right and outside clients to its left.
 */
import type { NodeId, TopologyNode } from '../player/index.ts';
import type { LayoutModel } from './layoutModel.ts';
import type { Box } from './geometry.ts';
import { FONT, SIZES, type Band, type BoxRole, type Layout, type NodeBox, type PodCard, type Region, type Variant } from './layoutTypes.ts';
import { CARD_MIN_INNER, boxWidth, cardsOf, placeCard } from './cards.ts';
import { textWidth } from './textMetrics.ts';

/** Places every box of arrangement `v` (folding no service in `expanded`). */
export function place(model: LayoutModel, v: Variant, expanded: ReadonlySet<string>): Layout {
  const S = SIZES;
  const nodes = new Map<NodeId, NodeBox>();
  const boxes: NodeBox[] = [];
  const pods: PodCard[] = [];
  const services: Region[] = [];
  const bands: Band[] = [];
  const folded = new Map<string, string[]>();
  const addBox = (node: TopologyNode, caption: string, role: BoxRole, b: Box, members: readonly (TopologyNode | undefined)[] = [node]): NodeBox => {
    const nb: NodeBox = { node, caption, role, ...b };
    boxes.push(nb);
    for (const m of members) if (m) nodes.set(m.id, nb);
    return nb;
  };

  const proxyCaption = 'sidecar';
  const appW = boxWidth('app');
  const proxyW = boxWidth(proxyCaption);
  // Stacked boxes leave a narrow card: its chips take two lines.
  const chipLines = v.tall ? 2 : 1;
  const chipsH = S.chipLine * chipLines;
  const cardH = S.cardTitle + (v.tall ? 2 * S.boxH + 6 : S.boxH) + 4 + chipsH + 4;
  const cardInner = v.tall ? Math.max(appW, proxyW, 104) : appW + proxyW + 6;

  // Each service's cards, and its size.
  const plans = model.services.map((s) => {
    const cards = cardsOf(model, s, v, expanded);
    // A wide card is wide enough for a usual title beside a state chip; a longer title widens it
    // (and its chip moves down to the chip row, which that width holds).
    const titleW = Math.max(...cards.map((c) => textWidth(c.title, FONT.title, true)));
    const cardW = Math.ceil(Math.max(cardInner, titleW, v.tall ? 0 : CARD_MIN_INNER) + 2 * S.cardPad);
    const most = '9'.repeat(String(model.requests.get(s.name) ?? 0).length);
    const headerW = Math.max(textWidth(`service ${s.name}`, FONT.title, true), textWidth(`✓ ${most} ok · ✕ ${most} failed`, FONT.text));
    const perRow = Math.min(v.perRow, Math.max(1, ...[...groupBy(cards, (c) => c.band).values()].map((l) => l.length)));
    const w = Math.ceil(Math.max(perRow * cardW + (perRow - 1) * S.cardGap, headerW) + 2 * S.servicePad);
    const fold = cards.filter((c) => c.members.length > 1).flatMap((c) => c.members.map((m) => m.pod.name));
    if (fold.length) folded.set(s.name, fold);
    return { s, cards, cardW, perRow, w };
  });
  const columnW = new Array<number>(model.columns).fill(0);
  for (const p of plans) columnW[p.s.depth] = Math.max(columnW[p.s.depth]!, p.w);

  // The ingress gateways' column at the cluster's left edge, the egress gateways' at its right.
  const isEgress = (g: TopologyNode): boolean => model.egress.has(g.id);
  const gatewayW = (list: TopologyNode[]): number => Math.max(0, ...list.map((g) => boxWidth(g.label)));
  const ingress = model.gateways.filter((g) => !isEgress(g));
  const egress = model.gateways.filter(isEgress);
  const ingressW = ingress.length ? gatewayW(ingress) + S.columnGap * 0.6 : 0;
  const right = [...egress, ...model.waypoints.map((w) => w.node)];
  const egressW = right.length ? gatewayW(right) + S.columnGap * 0.6 : 0;
  const x0 = S.clusterPad + S.bandPad + ingressW;
  const columnX: number[] = [];
  let cx = x0;
  for (let c = 0; c < model.columns; c++) {
    columnX.push(cx);
    cx += columnW[c]! + S.columnGap;
  }
  const columnsRight = cx - S.columnGap;

  // Waypoints stand in a column of their own at the cluster's right edge: the tunnels from the
  // node proxies' strips reach them without crossing any pod.
  const y0 = S.clusterHeader;
  let y = y0;

  // Bands: in rows; bands over disjoint columns share a row (namespaces), Kubernetes nodes each get one.
  const rows: { bands: string[]; from: number; to: number }[][] = [];
  for (const band of model.bands) {
    const cols = plans.filter((p) => p.cards.some((c) => c.band === band.name)).map((p) => p.s.depth);
    const from = band.kind === 'k8s-node' ? 0 : Math.min(...cols);
    const to = band.kind === 'k8s-node' ? model.columns - 1 : Math.max(...cols);
    const row = band.kind === 'namespace' ? rows.find((r) => r.every((b) => b.to < from || b.from > to)) : undefined;
    if (row) row.push({ bands: [band.name], from, to });
    else rows.push([{ bands: [band.name], from, to }]);
  }
  for (const row of rows) {
    const top = y;
    let rowH = 0;
    const placed: { band: (typeof model.bands)[number]; from: number; to: number; h: number }[] = [];
    for (const entry of row) {
      const band = model.bands.find((b) => b.name === entry.bands[0])!;
      let bandInner = 0;
      const heights = new Array<number>(model.columns).fill(0);
      for (const plan of plans) {
        const cards = plan.cards.filter((c) => c.band === band.name);
        if (!cards.length) continue;
        const c = plan.s.depth;
        const sx = columnX[c]!;
        const sy = top + S.bandHeader + heights[c]!;
        const rowsOfCards = Math.ceil(cards.length / plan.perRow);
        const h = S.serviceHeader + rowsOfCards * cardH + (rowsOfCards - 1) * S.cardGap + S.servicePad;
        services.push({ label: plan.s.name, x: sx, y: sy, w: columnW[c]!, h });
        cards.forEach((card, i) => {
          const px = sx + S.servicePad + (i % plan.perRow) * (plan.cardW + S.cardGap);
          const py = sy + S.serviceHeader + Math.floor(i / plan.perRow) * (cardH + S.cardGap);
          pods.push(placeCard(card, plan.s, px, py, plan.cardW, cardH, v, chipLines, c > 0, addBox, band.kind === 'k8s-node'));
        });
        heights[c] = heights[c]! + h + S.cardGap;
        bandInner = Math.max(bandInner, heights[c]! - S.cardGap);
      }
      const strip = band.nodeProxy ? S.stripH + 8 : 0;
      const h = S.bandHeader + bandInner + S.bandPad + strip;
      placed.push({ band, from: entry.from, to: entry.to, h });
      rowH = Math.max(rowH, h);
    }
    for (const p of placed) {
      const x = columnX[p.from]! - S.bandPad;
      const w = columnX[p.to]! + columnW[p.to]! + S.bandPad - x;
      const label = p.band.kind === 'k8s-node' ? `node ${p.band.name}` : `namespace ${p.band.name}`;
      bands.push({ label, kind: p.band.kind, x, y: top, w, h: rowH });
      if (p.band.nodeProxy) {
        const np = p.band.nodeProxy;
        addBox(np, np.label, 'node-proxy', { x: x + S.bandPad, y: top + rowH - S.bandPad - S.stripH, w: w - 2 * S.bandPad, h: S.stripH });
      }
    }
    y = top + rowH + S.bandGap;
  }
  if (!rows.length) y += S.boxH * 2;
  const clusterW = columnsRight + S.bandPad + S.clusterPad + egressW;
  const cluster: Box = { x: 0, y: 0, w: clusterW, h: y - S.bandGap + S.clusterPad };

  // Gateways at the edges, level with the first pods.
  const gatewayY = S.clusterHeader + S.bandHeader + S.serviceHeader + S.cardTitle;
  ingress.forEach((g, i) => addBox(g, g.label, 'gateway', { x: S.clusterPad, y: gatewayY + i * (S.boxH + 24), w: gatewayW(ingress), h: S.boxH }));
  egress.forEach((g, i) => {
    const w = gatewayW(right);
    addBox(g, g.label, 'gateway', { x: clusterW - S.clusterPad - w, y: gatewayY + i * (S.boxH + 24), w, h: S.boxH });
  });
  // Waypoints below the egress gateways, in the middle of the bands' height.
  const wpTop = egress.length ? gatewayY + egress.length * (S.boxH + 24) : y0 + (cluster.h - y0 - model.waypoints.length * (S.boxH + 24)) / 2;
  model.waypoints.forEach((wp, i) => {
    const w = gatewayW(right);
    addBox(wp.node, wp.node.label, 'waypoint', { x: clusterW - S.clusterPad - w, y: wpTop + i * (S.boxH + 24), w, h: S.boxH });
  });

  // The control plane above the cluster, centred.
  let controlPlane: Box | null = null;
  if (model.controlPlane.length) {
    const widths = model.controlPlane.map((n) => boxWidth(n.label));
    const inner = widths.reduce((a, b) => a + b, 0) + (widths.length - 1) * 16;
    const w = Math.max(inner, textWidth(`control plane (${model.trace.mesh})`, FONT.text, true) + textWidth('■ stopped', FONT.text) + 24) + 20;
    const h = 22 + S.boxH + 8;
    const x = Math.max(0, (clusterW - w) / 2);
    controlPlane = { x, y: -S.controlPlaneGap - h, w, h };
    let bx = x + (w - inner) / 2;
    model.controlPlane.forEach((n, i) => {
      addBox(n, n.label, 'control-plane', { x: bx, y: controlPlane!.y + 22, w: widths[i]!, h: S.boxH });
      bx += widths[i]! + 16;
    });
  }

  // Outside the cluster: hosts to the right, clients to the left.
  let outside: Box | null = null;
  const firstY = S.clusterHeader + S.bandHeader + 6;
  if (model.externals.length) {
    const w = Math.max(...model.externals.map((n) => boxWidth(n.label)), textWidth('outside the cluster', FONT.text));
    const x = clusterW + S.outsideGap;
    outside = { x, y: firstY - 18, w, h: 18 };
    model.externals.forEach((n, i) => addBox(n, n.label, 'external', { x, y: firstY + i * (S.boxH + 22), w, h: S.boxH }));
  }
  model.clients.forEach((n, i) => {
    const w = boxWidth(n.label);
    addBox(n, n.label, 'client', { x: -S.outsideGap - w, y: firstY + i * (S.boxH + 22), w, h: S.boxH });
  });

  let minX = cluster.x;
  let minY = controlPlane ? controlPlane.y : cluster.y;
  let maxX = cluster.x + cluster.w;
  let maxY = cluster.y + cluster.h;
  for (const b of [...boxes, ...(outside ? [outside] : [])]) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  const pad = S.boundsPad;
  return {
    nodes,
    boxes,
    pods,
    bands,
    services,
    cluster,
    controlPlane,
    outside,
    bounds: { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad },
    variant: `${v.tall ? 'tall' : 'wide'}/${v.perRow}${v.fold ? '/folded' : ''}`,
    folded,
  };
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) (out.get(key(t)) ?? out.set(key(t), []).get(key(t))!).push(t);
  return out;
}
