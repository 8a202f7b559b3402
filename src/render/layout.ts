/**
 * Where everything goes: a pure function from the trace (its topology, and who calls whom) and
 * the size of the viewport to boxes in world coordinates, one world unit being one CSS pixel at
 * zoom 1. Services are columns ordered by call depth (callers left); pods are cards in their
 * service; namespaces (or Kubernetes nodes, when the mesh has node proxies) are bands around
 * them. The control plane sits above the cluster, gateways at its edge, waypoints in a lane at its
 * top, external hosts to its right and outside clients to its left.
 *
 * Every label is at least {@link MIN_FONT} px in world units, so the picture is readable whenever
 * the zoom is at least 1. To get there at fit, several arrangements are tried — each pod's app
 * beside its sidecar or above it, one to three pods per row, alike replicas folded into one
 * "×N" card — and the one that fits the viewport largest wins, preferring the plainest.
 */
import type { NodeId, Trace, TopologyNode } from '../player/index.ts';
import { modelOf, type LayoutModel, type ModelPod, type ModelService } from './layoutModel.ts';
import { textWidth } from './textMetrics.ts';

/** A rectangle in world coordinates. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A drawn box for a node; in a folded group one box stands for every member's node. */
export interface NodeBox extends Box {
  node: TopologyNode;
  /** What the box says: `app`, `sidecar`, or the node's label. */
  caption: string;
  /** What it is drawn as. */
  role: BoxRole;
}

/** What a box is: a pod's app or sidecar, a standalone proxy, the control plane, something outside. */
export type BoxRole = 'app' | 'sidecar' | 'node-proxy' | 'waypoint' | 'gateway' | 'control-plane' | 'external' | 'client';

/** A pod card, or a group of alike replicas drawn as one card. */
export interface PodCard extends Box {
  /** The pod's name, or `group:<service>` for a folded group. */
  key: string;
  title: string;
  service: string;
  meshed: boolean;
  /** The pods the card stands for (one, unless folded). */
  members: string[];
  app: NodeId;
  proxy?: NodeId;
  /** Where the card's state chips go (certificate, config): a strip one or two chips tall. */
  chips: Box;
  chipLines: number;
  /** Where the workload's state chip goes: right of the title, or null to lead the chip strip. */
  status: { x: number; y: number } | null;
  /** Its own sidecar; none (not in the mesh); or captured by its Kubernetes node's proxy. */
  sidecar: 'own' | 'none' | 'node';
  /** Where the sidecar would be, for a pod without one (drawn as an empty dashed box). */
  placeholder?: Box;
}

export interface Region extends Box {
  label: string;
}

/** A band of pods: a namespace, or a Kubernetes node (with its node proxy strip). */
export interface Band extends Region {
  kind: 'namespace' | 'k8s-node';
}

export interface Layout {
  /** Every node id to the box it is drawn in. */
  nodes: Map<NodeId, NodeBox>;
  /** Each drawn box once. */
  boxes: NodeBox[];
  pods: PodCard[];
  bands: Band[];
  services: Region[];
  cluster: Box;
  controlPlane: Box | null;
  /** The strip above the external hosts, if any. */
  outside: Box | null;
  /** The whole drawing, for fitting the camera. */
  bounds: Box;
  /** Which arrangement was chosen (for tests and for re-laying out on resize). */
  variant: string;
  /** Services whose replicas are folded into a group, and the pods folded. */
  folded: Map<string, string[]>;
}

export interface LayoutOptions {
  /** The viewport the drawing should fit, CSS px. */
  viewport?: { w: number; h: number };
  /** Services the learner unfolded (clicked their group). */
  expanded?: ReadonlySet<string>;
}

/** The smallest font in the scene: at zoom 1 no label is smaller. */
export const MIN_FONT = 11;
export const FONT = { title: 12, text: MIN_FONT } as const;

const SIZES = {
  boxH: 28,
  boxMinW: 64,
  cardPad: 8,
  cardTitle: 20,
  chipLine: 17,
  cardGap: 8,
  serviceHeader: 36,
  servicePad: 6,
  bandHeader: 20,
  bandPad: 8,
  bandGap: 10,
  clusterHeader: 24,
  clusterPad: 10,
  columnGap: 60,
  controlPlaneGap: 28,
  outsideGap: 70,
  stripH: 26,
  boundsPad: 8,
} as const;

/** The inner width of a wide card: a pod name like `reviews-v2-0` with a chip like `renew failed` beside it. */
const CARD_MIN_INNER = 164;
/** What a state chip beside a title takes: the widest phrase ("renew failed"), its padding and the gap. */
const TITLE_CHIP_W = Math.ceil(textWidth('renew failed', FONT.text)) + 10 + 10;

/** The viewport assumed when none is given (the page's picture at 1280×800). */
const DEFAULT_VIEWPORT = { w: 830, h: 520 };

interface Variant {
  tall: boolean;
  perRow: number;
  fold: boolean;
}

const VARIANTS: Variant[] = [];
for (const fold of [false, true]) for (const perRow of [1, 2, 3]) for (const tall of [false, true]) VARIANTS.push({ tall, perRow, fold });

/** The zoom at which `bounds` fits `viewport`. */
export function fitZoom(bounds: Box, viewport: { w: number; h: number }): number {
  return Math.min(viewport.w / bounds.w, viewport.h / bounds.h);
}

/** Lays out a trace's topology for a viewport. */
export function layoutOf(trace: Trace, options: LayoutOptions = {}): Layout {
  return layoutModel(modelOf(trace), options);
}

/** Lays out a model read once (re-laying out on resize does not read the trace again). */
export function layoutModel(model: LayoutModel, options: LayoutOptions = {}): Layout {
  const viewport = options.viewport ?? DEFAULT_VIEWPORT;
  const expanded = options.expanded ?? new Set<string>();
  let best: { layout: Layout; score: number } | null = null;
  for (const v of VARIANTS) {
    if (v.fold && !canFold(model, expanded)) continue;
    const layout = place(model, v, expanded);
    const zoom = fitZoom(layout.bounds, viewport);
    // Readable (zoom ≥ 1) is what matters; past that, a plainer arrangement beats a bigger one.
    const penalty = (v.tall ? 0.04 : 0) + (v.perRow - 1) * 0.1 + (v.fold ? 0.25 : 0);
    // Below readable, the largest wins (a plainer arrangement only breaks near-ties).
    const score = zoom >= 1 ? 2 + Math.min(zoom, 1.15) - penalty : zoom - penalty / 4;
    if (!best || score > best.score) best = { layout, score };
  }
  return best!.layout;
}

function canFold(model: LayoutModel, expanded: ReadonlySet<string>): boolean {
  return model.services.some((s) => !expanded.has(s.name) && foldable(model, s).length >= 2);
}

/** Replicas that may be folded: all but the first and the ones the lesson singles out. */
function foldable(model: LayoutModel, s: ModelService): ModelPod[] {
  if (s.pods.length < 3) return [];
  return s.pods.slice(1).filter((p) => !model.notable.has(p.pod.name));
}

const boxWidth = (caption: string): number => Math.max(SIZES.boxMinW, Math.ceil(textWidth(caption, FONT.text)) + 14);

interface CardPlan {
  key: string;
  title: string;
  members: ModelPod[];
  band: string;
}

/** The cards of a service, per band: one per pod, or the foldable replicas as one group. */
function cardsOf(model: LayoutModel, s: ModelService, v: Variant, expanded: ReadonlySet<string>): CardPlan[] {
  const fold = v.fold && !expanded.has(s.name) ? new Set(foldable(model, s)) : new Set<ModelPod>();
  const cards: CardPlan[] = [];
  const groups = new Map<string, CardPlan>();
  for (const p of s.pods) {
    if (fold.size >= 2 && fold.has(p)) {
      let g = groups.get(p.band);
      if (!g) {
        g = { key: `group:${s.name}:${p.band}`, title: '', members: [], band: p.band };
        groups.set(p.band, g);
        cards.push(g);
      }
      g.members.push(p);
    } else cards.push({ key: p.pod.name, title: p.pod.name, members: [p], band: p.band });
  }
  for (const g of groups.values()) {
    if (g.members.length === 1) Object.assign(g, { key: g.members[0]!.pod.name, title: g.members[0]!.pod.name });
    else g.title = `${s.name} ×${g.members.length}`;
  }
  return cards;
}

function place(model: LayoutModel, v: Variant, expanded: ReadonlySet<string>): Layout {
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

/** Places one card: its app and sidecar boxes (the sidecar facing the callers), and its chip strip. */
function placeCard(
  card: CardPlan,
  s: ModelService,
  x: number,
  y: number,
  w: number,
  h: number,
  v: Variant,
  chipLines: number,
  callersLeft: boolean,
  addBox: (node: TopologyNode, caption: string, role: BoxRole, b: Box, members?: readonly (TopologyNode | undefined)[]) => NodeBox,
  byNode: boolean,
): PodCard {
  const S = SIZES;
  const first = card.members[0]!;
  const inner = w - 2 * S.cardPad;
  const top = y + S.cardTitle;
  const hasProxy = first.proxy !== undefined;
  const sidecar: PodCard['sidecar'] = hasProxy ? 'own' : byNode && first.pod.meshed ? 'node' : 'none';
  let appBox: Box;
  let proxyBox: Box;
  if (v.tall) {
    // The sidecar on top, nearest the control plane and on the row the traffic between pods runs along.
    proxyBox = { x: x + S.cardPad, y: top, w: inner, h: S.boxH };
    appBox = { x: x + S.cardPad, y: top + S.boxH + 6, w: inner, h: S.boxH };
  } else {
    const half = (inner - 6) / 2;
    const left = { x: x + S.cardPad, y: top, w: half, h: S.boxH };
    const right = { x: x + S.cardPad + half + 6, y: top, w: half, h: S.boxH };
    // The sidecar faces the pod's callers: left for a called service, right for a caller.
    proxyBox = callersLeft ? left : right;
    appBox = callersLeft ? right : left;
  }
  if (first.app)
    addBox(
      first.app,
      'app',
      'app',
      appBox,
      card.members.map((m) => m.app),
    );
  if (first.proxy)
    addBox(
      first.proxy,
      'sidecar',
      'sidecar',
      proxyBox,
      card.members.map((m) => m.proxy),
    );
  const chipsY = top + (v.tall ? 2 * S.boxH + 6 : S.boxH) + 4;
  return {
    key: card.key,
    title: card.title,
    service: s.name,
    meshed: first.pod.meshed,
    members: card.members.map((m) => m.pod.name),
    app: first.pod.app,
    ...(first.pod.proxy ? { proxy: first.pod.proxy } : {}),
    x,
    y,
    w,
    h,
    chips: { x: x + S.cardPad, y: chipsY, w: inner, h: S.chipLine * chipLines },
    chipLines,
    // A narrow (stacked) card, or a long title, leaves no room beside it: the state leads the chips instead.
    status: v.tall || textWidth(card.title, FONT.title, true) + TITLE_CHIP_W > inner ? null : { x: x + w - S.cardPad, y: y + 3 },
    sidecar,
    ...(hasProxy ? {} : { placeholder: proxyBox }),
  };
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) (out.get(key(t)) ?? out.set(key(t), []).get(key(t))!).push(t);
  return out;
}

/** Centre of a box. */
export function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/**
 * Where lines to a box aim: its centre, or for a strip (a node proxy along its Kubernetes node)
 * the point of the strip right across from the other end, so a pod's traffic drops straight
 * into its node's proxy.
 */
export function anchorOf(b: Box, toward: { x: number; y: number }): { x: number; y: number } {
  if (b.w <= 3 * b.h) return centre(b);
  return { x: Math.min(b.x + b.w - 12, Math.max(b.x + 12, toward.x)), y: b.y + b.h / 2 };
}

/** Where the segment from `inside` (a point of box `b`) toward `to` leaves the box. */
export function clipTo(b: Box, inside: { x: number; y: number }, to: { x: number; y: number }): { x: number; y: number } {
  const dx = to.x - inside.x;
  const dy = to.y - inside.y;
  if (dx === 0 && dy === 0) return inside;
  const sx = dx > 0 ? (b.x + b.w - inside.x) / dx : dx < 0 ? (b.x - inside.x) / dx : Infinity;
  const sy = dy > 0 ? (b.y + b.h - inside.y) / dy : dy < 0 ? (b.y - inside.y) / dy : Infinity;
  const s = Math.max(0, Math.min(sx, sy));
  return { x: inside.x + dx * s, y: inside.y + dy * s };
}

/** The two ends lines between boxes `a` and `b` aim at. */
export function anchors(a: Box, b: Box): [{ x: number; y: number }, { x: number; y: number }] {
  const pa = anchorOf(a, centre(b));
  const pb = anchorOf(b, pa);
  return [anchorOf(a, pb), pb];
}
