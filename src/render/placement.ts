/**
 * One arrangement placed: services in columns by call depth, their cards in namespace or
 * Kubernetes-node bands, gateways and waypoints at the cluster's edges, the control plane above
 * it, external hosts to its right and outside clients to its left.
 */
import type { NodeId, TopologyNode } from '../player/index.ts';
import type { LayoutModel, ModelService } from './layoutModel.ts';
import type { Box } from './geometry.ts';
import {
  FONT,
  STRIP_CAPTION_X,
  STRIP_CHIPS_LINE,
  STRIP_CHIPS_W,
  TAG_UNDER_STRIP,
  sizesOf,
  type Band,
  type BoxRole,
  type Layout,
  type NodeBox,
  type PodCard,
  type Region,
  type Variant,
} from './layoutTypes.ts';
import { CARD_MIN_INNER, boxWidth, cardsOf, compactCardWidth, placeCard, sidesOf, type CardPlan } from './cards.ts';
import { textWidth } from './textMetrics.ts';
import { controlPlaneTitleH, headerControlPlaneBottom, headerControlPlaneWidth, placeControlPlane } from './controlPlanePlace.ts';
import { clearOfLines, columnsOf, groupBy, mergeLines } from './placeParts.ts';

/** Gateways in a row below the bands: room above the row (for the tags of the lines up to the pods), and between its boxes. */
const GATEWAY_ROW_GAP = 12;
/** Room above a waypoint drawn under a band's cards. */
const WAYPOINT_GAP = 4;
/** Room below it, over the node proxy's strip: a row of the strip's badges, or a link's tag. */
const WAYPOINT_ROOM = 24;

/** A service's cards as arrangement `v` draws them, and the width they and its header take. */
interface ServicePlan {
  s: ModelService;
  cards: CardPlan[];
  cardW: number;
  perRow: number;
  w: number;
  /** The pods folded into a group card (none: empty). */
  fold: string[];
}

/**
 * Services' plans already made in one layout's search, by what of the arrangement they depend on
 * (its cards' shape, pods per row, folding, spacing): the arrangements that differ only in where
 * the columns, bands and control plane go share them (the 60 s load tries 144 arrangements,
 * 36 kinds of plan).
 */
export type Plans = Map<string, ServicePlan[]>;

/** Places every box of arrangement `v` (folding no service in `expanded`); `plans`, those made already for `model` and `expanded`. */
export function place(model: LayoutModel, v: Variant, expanded: ReadonlySet<string>, plans?: Plans): Layout {
  return placePlanned(model, v, plansOf(model, v, expanded, plans));
}

/**
 * How wide arrangement `v`'s picture is at least (its bounds' width), from its services' plans
 * alone: its columns, as {@link place} lines them up, inside the cluster's frame. The search
 * (layout.ts) passes by an arrangement that could not win even at this width, unplaced.
 */
export function leastWidth(model: LayoutModel, v: Variant, expanded: ReadonlySet<string>, plans?: Plans): number {
  const S = sizesOf(v);
  return columnsOf(model, v, plansOf(model, v, expanded, plans)).linesRight + S.bandPad + S.clusterPad + 2 * S.boundsPad;
}

/** Arrangement `v`'s services' plans: those made already in `plans`, else made (and kept there). */
function plansOf(model: LayoutModel, v: Variant, expanded: ReadonlySet<string>, plans?: Plans): ServicePlan[] {
  const key = `${v.grid}/${v.named}/${v.tall}/${v.fold}/${v.perRow}/${v.dense}/${v.tight}`;
  const made = plans?.get(key) ?? planServices(model, v, expanded);
  plans?.set(key, made);
  return made;
}

/** Each service's cards under arrangement `v`, and its size. */
function planServices(model: LayoutModel, v: Variant, expanded: ReadonlySet<string>): ServicePlan[] {
  const S = sizesOf(v);
  const byNode = model.bands.some((b) => b.kind === 'k8s-node');
  const appW = boxWidth('app');
  const proxyW = boxWidth('sidecar');
  const cardInner = v.tall ? Math.max(appW, proxyW, 104) : appW + proxyW + 6;
  return model.services.map((s) => {
    const cards = cardsOf(model, s, v, expanded);
    // A wide card is wide enough for a usual title beside a state chip; a longer title widens it
    // (and its chip moves down to the chip row, which that width holds).
    const titleW = Math.max(...cards.map((c) => textWidth(c.title, FONT.title, true)));
    const cardW = v.grid
      ? Math.max(...cards.map((c) => compactCardWidth(c.members[0]!, byNode, v.named)))
      : Math.ceil(Math.max(cardInner, titleW, v.tall ? 0 : CARD_MIN_INNER) + 2 * S.cardPad);
    const most = '9'.repeat(String(model.requests.get(s.name) ?? 0).length);
    // The header's words start 6 px in (sceneStatic.ts) and keep as far from the right edge.
    const headerW = v.named
      ? 0
      : (v.grid
          ? textWidth(s.name, FONT.title, true)
          : Math.max(textWidth(`service ${s.name}`, FONT.title, true), textWidth(`✓ ${most} ok · ✕ ${most} failed`, FONT.text))) +
        12 -
        2 * S.servicePad;
    const perRow = Math.min(v.perRow, Math.max(1, ...[...groupBy(cards, (c) => c.band).values()].map((l) => l.length)));
    const w = Math.ceil(Math.max(perRow * cardW + (perRow - 1) * S.cardGap, headerW) + 2 * S.servicePad);
    const fold = cards.filter((c) => c.members.length > 1).flatMap((c) => c.members.map((m) => m.pod.name));
    return { s, cards, cardW, perRow, w, fold };
  });
}

/** Places every box of arrangement `v`, its services planned. */
function placePlanned(model: LayoutModel, v: Variant, plans: readonly ServicePlan[]): Layout {
  const S = sizesOf(v);
  const nodes = new Map<NodeId, NodeBox>();
  const boxes: NodeBox[] = [];
  const pods: PodCard[] = [];
  const services: Region[] = [];
  const bands: Band[] = [];
  const folded = new Map<string, string[]>();
  for (const { s, fold } of plans) if (fold.length) folded.set(s.name, fold);
  const addBox = (node: TopologyNode, caption: string, role: BoxRole, b: Box, members: readonly (TopologyNode | undefined)[] = [node]): NodeBox => {
    const nb: NodeBox = { node, caption, role, ...b };
    boxes.push(nb);
    for (const m of members) if (m) nodes.set(m.id, nb);
    return nb;
  };
  // Stacked boxes leave a narrow card: its chips take two lines.
  // A compact card (a grid's) is its boxes and a thin frame: no title, no chips.
  const chipLines = v.grid ? 0 : v.tall ? 2 : 1;
  const chipsH = S.chipLine * chipLines;
  const cardH = v.grid ? S.boxH + 2 * S.cardPad : S.cardTitle + (v.tall ? 2 * S.boxH + 6 : S.boxH) + S.chipGap + chipsH + S.chipGap;
  const { columnW, ingress, egress, x0, perLine, lines, columnX, linesRight } = columnsOf(model, v, plans);
  const gatewayW = (list: TopologyNode[]): number => Math.max(0, ...list.map((g) => boxWidth(g.label, true)));
  // A waypoint on a Kubernetes node the pods are banded by is drawn in that node's band; any other in the column at the right.
  const banded = model.waypoints.filter((w) => w.band !== undefined);
  const loose = model.waypoints.filter((w) => w.band === undefined);
  const right = [...(v.below ? [] : egress), ...loose.map((w) => w.node)];
  const egressW = right.length ? gatewayW(right) + S.columnGap * 0.6 : 0;

  const looseIds = loose.map((w) => w.node.id);
  const sideOf = sidesOf(model, columnX, columnW, perLine, looseIds);

  // Waypoints stand in a column of their own at the cluster's right edge: the tunnels from the
  // node proxies' strips reach them without crossing any pod.
  // The control plane in the cluster's header: the bands start under it.
  const y0 = v.header ? Math.max(S.clusterHeader, headerControlPlaneBottom(v) + S.bandGap) : S.clusterHeader;
  let y = y0;

  // Bands: in rows; bands over disjoint columns share a row (namespaces), Kubernetes nodes each
  // get one — or, across, share one row, each node with only the columns its pods use. Wrapped,
  // each line of columns has rows of its own, a band that spans both lines drawn in each.
  // Each entry's columns: where they start (`xs`) and how wide they are (`ws`: a node side by side
  // with the others is as wide as its own pods need).
  type Entry = { band: (typeof model.bands)[number]; from: number; to: number; xs: number[]; ws: number[]; left: number; right: number };
  const rows: { line: number; entries: Entry[] }[] = [];
  let acrossRow: Entry[] | null = null;
  lines.forEach(([lo, hi], line) => {
    for (const band of model.bands) {
      const cols = plans.filter((p) => p.s.depth >= lo && p.s.depth <= hi && p.cards.some((c) => c.band === band.name)).map((p) => p.s.depth);
      const k8s = band.kind === 'k8s-node';
      if (!k8s && !cols.length) continue;
      const from = k8s ? lo : Math.min(...cols);
      const to = k8s ? hi : Math.max(...cols);
      const entry: Entry = { band, from, to, xs: columnX, ws: columnW, left: columnX[from]! - S.bandPad, right: columnX[to]! + columnW[to]! + S.bandPad };
      if (k8s && v.across) {
        // Each node band holds the columns its own pods use, side by side with the other nodes.
        const used = [...new Set(cols)].sort((a, b) => a - b);
        const left = acrossRow?.length ? acrossRow.at(-1)!.right + S.bandGap : x0 - S.bandPad;
        const xs = new Array<number>(model.columns).fill(NaN);
        const ws = new Array<number>(model.columns).fill(0);
        for (const p of plans) if (p.cards.some((c) => c.band === band.name)) ws[p.s.depth] = Math.max(ws[p.s.depth]!, p.w);
        let bx = left + S.bandPad;
        for (const c of used) {
          xs[c] = bx;
          bx += ws[c]! + S.columnGap;
        }
        // As wide as its waypoints and its node proxy's caption need, too: a waypoint no column is
        // wide enough for goes under the last, widened for it.
        const own = banded.filter((w) => w.band === band.name).map((w) => boxWidth(w.node.label, true));
        const last = used.at(-1);
        if (last !== undefined && own.length && used.every((c) => ws[c]! < Math.max(...own))) {
          bx += Math.max(...own) - ws[last]!;
          ws[last] = Math.max(...own);
        }
        const strip = band.nodeProxy ? boxWidth(stripCaption(band.nodeProxy, band.name, v), true) : 0;
        const inner = Math.max(used.length ? bx - S.columnGap - (left + S.bandPad) : textWidth(`node ${band.name}`, FONT.text) + 40, ...own, strip);
        Object.assign(entry, { xs, ws, left, right: left + inner + 2 * S.bandPad });
        if (acrossRow) acrossRow.push(entry);
        else rows.push({ line, entries: (acrossRow = [entry]) });
        continue;
      }
      const row =
        band.kind === 'namespace'
          ? rows.find((r) => r.line === line && r.entries.every((b) => b.band.kind === 'namespace' && (b.to < from || b.from > to)))
          : undefined;
      if (row) row.entries.push(entry);
      else rows.push({ line, entries: [entry] });
    }
  });
  const columnsRight = Math.max(linesRight, ...rows.flatMap((r) => r.entries.map((e) => e.right - S.bandPad)));
  for (const { entries: row } of rows) {
    const top = y;
    let rowH = 0;
    // A strip too narrow for its node's name and its chips on one line writes its chips under its
    // caption; the row's other strips alike, so the strips beside each other look the same.
    const chipsBelow =
      !v.named &&
      row.some((e) => e.band.nodeProxy && stripCaption(e.band.nodeProxy, e.band.name, v, e.right - e.left - 2 * S.bandPad) !== e.band.nodeProxy.label);
    const stripH = S.stripH + (chipsBelow ? STRIP_CHIPS_LINE : 0);
    const placed: { entry: Entry; h: number }[] = [];
    for (const entry of row) {
      const band = entry.band;
      let bandInner = 0;
      const heights = new Array<number>(model.columns).fill(0);
      for (const plan of plans) {
        const c = plan.s.depth;
        const cards = c >= entry.from && c <= entry.to ? plan.cards.filter((card) => card.band === band.name) : [];
        if (!cards.length) continue;
        const sx = entry.xs[c]!;
        const sy = top + S.bandHeader + heights[c]!;
        // A sidecar with peers on both sides (a caller left, a callee right) goes above its app, not
        // beside it: beside, the links on one side would cross the app (ingress-nginx under Linkerd).
        const sides = cards.map((card) => sideOf(card, c));
        const stacked = !v.tall && !v.grid && cards.some((card, i) => card.members[0]!.proxy && sides[i]!.twoSided);
        const ch = stacked ? cardH + S.boxH + 6 : cardH;
        const rowsOfCards = Math.ceil(cards.length / plan.perRow);
        const h = S.serviceHeader + rowsOfCards * ch + (rowsOfCards - 1) * S.cardGap + S.servicePad;
        // A named card is its service's region; any other region is as wide as its column.
        services.push({ label: plan.s.name, x: sx, y: sy, w: v.named ? plan.w : entry.ws[c]!, h });
        cards.forEach((card, i) => {
          const px = sx + S.servicePad + (i % plan.perRow) * (plan.cardW + S.cardGap);
          const py = sy + S.serviceHeader + Math.floor(i / plan.perRow) * (ch + S.cardGap);
          const left = sides[i]!.left;
          pods.push(placeCard(card, plan.s, px, py, plan.cardW, ch, stacked ? { ...v, tall: true } : v, chipLines, left, addBox, band.kind === 'k8s-node'));
        });
        heights[c] = heights[c]! + h + S.cardGap;
        bandInner = Math.max(bandInner, heights[c]! - S.cardGap);
      }
      // The band's waypoints, each under the shortest of the band's columns wide enough for it (the
      // rightmost of equals; else the widest), in the room its cards leave.
      for (const wp of banded.filter((w) => w.band === band.name)) {
        const w = boxWidth(wp.node.label, true);
        const all = [];
        for (let c = entry.from; c <= entry.to; c++) if (Number.isFinite(entry.xs[c])) all.push(c);
        const wide = all.filter((c) => entry.ws[c]! >= w);
        const cols = wide.length ? wide : all.sort((a, b) => entry.ws[b]! - entry.ws[a]!).slice(0, 1);
        const c = cols.reduce<number | undefined>((best, k) => (best === undefined || heights[k]! <= heights[best]! ? k : best), undefined);
        const x = c === undefined ? entry.left + S.bandPad : entry.xs[c]! + Math.max(0, (entry.ws[c]! - w) / 2);
        const dy = c === undefined ? 0 : heights[c]!;
        addBox(wp.node, wp.node.label, 'waypoint', { x, y: top + S.bandHeader + dy + WAYPOINT_GAP, w, h: S.boxH });
        if (c !== undefined) heights[c] = dy + WAYPOINT_GAP + S.boxH + S.cardGap;
        bandInner = Math.max(bandInner, dy + WAYPOINT_GAP + S.boxH + WAYPOINT_ROOM);
      }
      const strip = band.nodeProxy ? stripH + S.frameAir : 0;
      const h = S.bandHeader + bandInner + S.bandPad + strip;
      placed.push({ entry, h });
      rowH = Math.max(rowH, h);
    }
    for (const { entry } of placed) {
      const band = entry.band;
      const x = entry.left;
      const w = entry.right - x;
      const label = band.kind === 'k8s-node' ? `node ${band.name}` : `namespace ${band.name}`;
      bands.push({ label, kind: band.kind, x, y: top, w, h: rowH });
      if (band.nodeProxy) {
        const np = band.nodeProxy;
        const sw = w - 2 * S.bandPad;
        const b = addBox(np, stripCaption(np, band.name, v, sw, chipsBelow), 'node-proxy', {
          x: x + S.bandPad,
          y: top + rowH - S.bandPad - stripH,
          w: sw,
          h: stripH,
        });
        if (chipsBelow) b.chipsBelow = true;
      }
    }
    y = top + rowH + S.bandGap;
  }
  if (!rows.length) y += S.boxH * 2;
  mergeLines(bands);
  // Below the bands, the gateways are a row: the ingress ones at the left, the egress ones at the right.
  const rowW = (list: TopologyNode[]): number => list.reduce((a, g) => a + boxWidth(g.label, true) + GATEWAY_ROW_GAP, 0);
  const belowW = v.below ? 2 * S.clusterPad + rowW(ingress) + rowW(egress) : 0;
  const clusterW = Math.max(columnsRight + S.bandPad + S.clusterPad + egressW, belowW, v.header ? headerControlPlaneWidth(model, v) : 0);
  // Under a last row of strips, room for a link's tag 17 high slid under one (tagSpots.ts
  // slidAlong), 2 units clear of the strip and of the cluster's line: 18 units left it touching
  // both (ambient-authz-fail-closed at 1 s, "3/s"). A dense arrangement keeps its room.
  const strips = rows.at(-1)?.entries.some((e) => e.band.nodeProxy) && !v.dense && !v.tight && !v.grid;
  const under = strips ? Math.max(0, TAG_UNDER_STRIP - S.bandPad - S.clusterPad) : 0;
  const cluster: Box = { x: 0, y: 0, w: clusterW, h: y - S.bandGap + S.clusterPad + under };
  if (v.below && model.gateways.length) {
    const gy = y - S.bandGap + GATEWAY_ROW_GAP;
    let lx = S.clusterPad + S.bandPad;
    for (const g of ingress) {
      addBox(g, g.label, 'gateway', { x: lx, y: gy, w: boxWidth(g.label, true), h: S.boxH });
      lx += boxWidth(g.label, true) + GATEWAY_ROW_GAP;
    }
    let rx = clusterW - S.clusterPad - S.bandPad;
    for (const g of egress) {
      rx -= boxWidth(g.label, true);
      addBox(g, g.label, 'gateway', { x: rx, y: gy, w: boxWidth(g.label, true), h: S.boxH });
      rx -= GATEWAY_ROW_GAP;
    }
    cluster.h = gy + S.boxH + S.clusterPad;
  }

  // Outside the cluster: hosts to the right (placed first: the egress gateways keep off the lines to them), clients to the left.
  let outside: Box | null = null;
  const firstY = y0 + S.bandHeader + 6;
  if (model.externals.length) {
    const w = Math.max(...model.externals.map((n) => boxWidth(n.label)), textWidth('outside the cluster', FONT.text));
    const x = clusterW + S.outsideGap;
    outside = { x, y: firstY - 18, w, h: 18 };
    model.externals.forEach((n, i) => addBox(n, n.label, 'external', { x, y: firstY + i * (S.boxH + 22), w, h: S.boxH }));
  }

  // Gateways at the edges, level with the first pods — the egress gateways as near that as no
  // straight line from a pod to a host outside passes through them (a call that goes out directly
  // is drawn past the gateway, not through it).
  const gatewayY = y0 + S.bandHeader + S.serviceHeader + S.cardTitle;
  let egressTop = 0;
  if (!v.below) {
    ingress.forEach((g, i) => addBox(g, g.label, 'gateway', { x: S.clusterPad, y: gatewayY + i * (S.boxH + 24), w: gatewayW(ingress), h: S.boxH }));
    egressTop = egress.length
      ? clearOfLines(boxes, gatewayY, { x: clusterW - S.clusterPad - gatewayW(right), w: gatewayW(right) }, egress.length * (S.boxH + 24) - 24, y0)
      : 0;
    egress.forEach((g, i) => {
      const w = gatewayW(right);
      addBox(g, g.label, 'gateway', { x: clusterW - S.clusterPad - w, y: egressTop + i * (S.boxH + 24), w, h: S.boxH });
    });
    if (egress.length) cluster.h = Math.max(cluster.h, egressTop + egress.length * (S.boxH + 24) - 24 + S.clusterPad);
  }
  // Waypoints below the egress gateways, in the middle of the bands' height.
  const wpTop = egress.length && !v.below ? egressTop + egress.length * (S.boxH + 24) : y0 + (cluster.h - y0 - loose.length * (S.boxH + 24)) / 2;
  loose.forEach((wp, i) => {
    const w = gatewayW(right);
    addBox(wp.node, wp.node.label, 'waypoint', { x: clusterW - S.clusterPad - w, y: wpTop + i * (S.boxH + 24), w, h: S.boxH });
  });

  const controlPlane = placeControlPlane(model, v, clusterW, addBox);

  const clientsRight = v.side && controlPlane ? controlPlane.x : 0;
  model.clients.forEach((n, i) => {
    const w = boxWidth(n.label);
    addBox(n, n.label, 'client', { x: clientsRight - S.outsideGap - w, y: firstY + i * (S.boxH + 22), w, h: S.boxH });
  });

  let minX = cluster.x;
  let minY = cluster.y;
  let maxX = cluster.x + cluster.w;
  let maxY = cluster.y + cluster.h;
  for (const b of [...boxes, ...(outside ? [outside] : []), ...(controlPlane ? [controlPlane] : [])]) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  const pad = S.boundsPad;
  // The titles: the cluster's, each band's, and the control plane's with its state chip (beside
  // the cluster, the chip is under the title; above it, right of the title).
  const titles: Box[] = [
    { x: cluster.x, y: cluster.y, w: Math.min(cluster.w, 190), h: S.clusterHeader },
    ...bands.map((b) => ({ x: b.x, y: b.y, w: Math.min(b.w, 190), h: S.bandHeader - 2 })),
    ...(controlPlane ? [{ x: controlPlane.x, y: controlPlane.y, w: controlPlane.w, h: controlPlaneTitleH(v) }] : []),
  ];
  return {
    titles,
    nodes,
    boxes,
    pods,
    bands,
    services,
    compactHeaders: v.grid > 0,
    namedBoxes: v.named,
    cluster,
    controlPlane,
    outside,
    bounds: { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad },
    variant: `${v.grid ? `grid${v.grid}` : v.tall ? 'tall' : 'wide'}/${v.perRow}${v.named ? '/named' : ''}${v.fold ? '/folded' : ''}${v.wrap ? '/wrapped' : ''}${v.side ? '/side' : ''}${v.across ? '/across' : ''}${v.dense ? '/dense' : ''}${v.tight ? '/tight' : ''}${v.header ? '/header' : ''}${v.below ? '/below' : ''}`,
    controlPlaneBeside: v.side && controlPlane !== null,
    tight: v.tight,
    folded,
  };
}

/**
 * What a node proxy's strip says: its name (`ztunnel on node-1`); without its node's name, which
 * the band's title gives, in a grid of named cards, where every pixel across counts, and on a
 * strip `width` wide too narrow for the whole name and its state chips (proxyChips.ts) — beside
 * it, or with `chipsBelow`, under it (a band is as wide as its strip's whole name, boxWidth).
 */
function stripCaption(np: TopologyNode, nodeName: string, v: Variant, width = Infinity, chipsBelow = false): string {
  const fits = STRIP_CAPTION_X + textWidth(np.label, FONT.text, true) + (chipsBelow ? 6 : STRIP_CHIPS_W) <= width;
  return v.named || !fits ? np.label.replace(` on ${nodeName}`, '') : np.label;
}
