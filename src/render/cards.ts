/**
 * Pod cards: which pods of a service get a card of their own and which fold into one "×N" group,
 * and where a card's app, sidecar and chip strip go.
 */
import type { NodeId, TopologyNode } from '../player/index.ts';
import type { LayoutModel, ModelPod, ModelService } from './layoutModel.ts';
import type { Box } from './geometry.ts';
import { COMPACT_BOX_W, FONT, GRID_SIZES, NAMED_SIZES, SIZES, sizesOf, type BoxRole, type NodeBox, type PodCard, type Variant } from './layoutTypes.ts';
import { textWidth } from './textMetrics.ts';

/** The inner width of a wide card: a pod name like `reviews-v2-0` with a chip like `renew failed` beside it. */
export const CARD_MIN_INNER = 164;
/** What a state chip beside a title takes: the widest phrase ("renew failed"), its padding and the gap. */
const TITLE_CHIP_W = Math.ceil(textWidth('renew failed', FONT.text)) + 10 + 10;

/** Replicas that may be folded: all but the first and the ones the lesson singles out. */
export function foldable(model: LayoutModel, s: ModelService): ModelPod[] {
  if (s.pods.length < 3) return [];
  return s.pods.slice(1).filter((p) => !model.notable.has(p.pod.name));
}

/**
 * The width of a box captioned `caption` (`bold`: as sceneStatic.ts writes a gateway's, a
 * waypoint's and the control plane's boxes — `istio-ingressgateway-0` in bold is 12 px wider).
 */
export const boxWidth = (caption: string, bold = false): number => Math.max(SIZES.boxMinW, Math.ceil(textWidth(caption, FONT.text, bold)) + 14);

/**
 * The width of a compact card (a grid's): its app's box and its sidecar's (or where the sidecar
 * would be) side by side; `named`, the app's box as wide as its service's name, and no box where
 * the pod's Kubernetes node's proxy takes its traffic.
 */
export function compactCardWidth(p: ModelPod, byNode: boolean, named = false): number {
  const proxyW = compactProxyWidth(p, byNode, named);
  return 2 * (named ? NAMED_SIZES : GRID_SIZES).cardPad + compactAppWidth(p, named) + (proxyW ? 6 + proxyW : 0);
}

/** A compact card's app box: {@link COMPACT_BOX_W}, or — named — as wide as the service's name needs. */
function compactAppWidth(p: ModelPod, named: boolean): number {
  return named ? Math.max(COMPACT_BOX_W, Math.ceil(textWidth(p.pod.service, FONT.text)) + 14) : COMPACT_BOX_W;
}

function compactProxyWidth(p: ModelPod, byNode: boolean, named = false): number {
  if (p.proxy) return COMPACT_BOX_W;
  if (named && byNode && p.pod.meshed) return 0;
  // The empty dashed box's caption (sceneStatic): 'node proxy ↓' or 'no sidecar'.
  return boxWidth(byNode && p.pod.meshed ? 'node proxy ↓' : 'no sidecar');
}

/** A card to place: one pod, or a group of alike replicas. */
export interface CardPlan {
  key: string;
  title: string;
  members: ModelPod[];
  band: string;
}

/** The cards of a service, per band: one per pod, or the foldable replicas as one group. */
export function cardsOf(model: LayoutModel, s: ModelService, v: Variant, expanded: ReadonlySet<string>): CardPlan[] {
  const fold = v.fold && !expanded.has(s.name) ? new Set(foldable(model, s)) : new Set<ModelPod>();
  const cards: CardPlan[] = [];
  const groups = new Map<string, CardPlan>();
  // A pod in a zone (services[].zones) says so in its title, and only replicas of one zone fold together.
  const zoned = (name: string, p: ModelPod): string => (p.pod.zone ? `${name} · ${p.pod.zone.split('/').at(-1)!}` : name);
  for (const p of s.pods) {
    if (fold.size >= 2 && fold.has(p)) {
      const key = p.pod.zone ? `${p.band}:${p.pod.zone}` : p.band;
      let g = groups.get(key);
      if (!g) {
        g = { key: `group:${s.name}:${key}`, title: '', members: [], band: p.band };
        groups.set(key, g);
        cards.push(g);
      }
      g.members.push(p);
    } else cards.push({ key: p.pod.name, title: zoned(p.pod.name, p), members: [p], band: p.band });
  }
  for (const g of groups.values()) {
    const first = g.members[0]!;
    if (g.members.length === 1) Object.assign(g, { key: first.pod.name, title: zoned(first.pod.name, first) });
    else g.title = zoned(`${s.name} ×${g.members.length}`, first);
  }
  return cards;
}

/** Each node's peers in other pods, with the requests between them (either way); once per model's links (every arrangement tried asks). */
export function peersOf(model: LayoutModel): Map<NodeId, Map<NodeId, number>> {
  const known = peersByLinks.get(model.links);
  if (known) return known;
  const podOf = new Map(model.trace.topology.nodes.map((n) => [n.id, n.pod ?? n.id]));
  const out = new Map<NodeId, Map<NodeId, number>>();
  const add = (a: NodeId, b: NodeId, n: number): void => {
    const m = out.get(a) ?? out.set(a, new Map()).get(a)!;
    m.set(b, (m.get(b) ?? 0) + n);
  };
  for (const { from, to, requests } of model.links)
    if ((podOf.get(from) ?? from) !== (podOf.get(to) ?? to)) {
      add(from, to, requests);
      add(to, from, requests);
    }
  peersByLinks.set(model.links, out);
  return out;
}
const peersByLinks = new WeakMap<LayoutModel['links'], Map<NodeId, Map<NodeId, number>>>();

/**
 * Whether a side-by-side card's sidecar goes left of its app: on the side of the peers it talks to
 * most (callers and callees, by the requests between them), the app on the side of its own (a
 * client calling it directly) — so that a link leaves its card without crossing the card's own
 * app. `xOf` is where a peer is across (±Infinity: left or right of the cluster; null: above or
 * below, such as the control plane or a node proxy's strip) and whether it is level with the card
 * (not in the other line of wrapped columns); `x`, the card's. Where the sides balance, `fallback`
 * (the callers' side: left, but in the first column). `twoSided`: level peers want the sidecar on
 * both sides — beside its app, one of its links would cross the app whichever side it is on.
 */
export function sidecarLeft(
  card: CardPlan,
  x: number,
  peers: ReadonlyMap<NodeId, ReadonlyMap<NodeId, number>>,
  xOf: (node: NodeId) => { x: number; level: boolean } | null,
  fallback: boolean,
): { left: boolean; twoSided: boolean } {
  // The requests that want the sidecar left of the app, and those that want it right; of level peers.
  let left = 0;
  let right = 0;
  let levelLeft = 0;
  let levelRight = 0;
  const lean = (node: NodeId | undefined, sign: number): void => {
    for (const [peer, n] of (node && peers.get(node)) || []) {
      const p = xOf(peer);
      if (p === null || p.x === x) continue;
      if (sign * (p.x - x) > 0) {
        right += n;
        if (p.level) levelRight += n;
      } else {
        left += n;
        if (p.level) levelLeft += n;
      }
    }
  };
  for (const m of card.members) {
    lean(m.proxy?.id, 1);
    lean(m.app?.id, -1);
  }
  return { left: left === right ? fallback : left > right, twoSided: levelLeft > 0 && levelRight > 0 };
}

/**
 * Which side each card's sidecar goes ({@link sidecarLeft}), its peers placed by their columns'
 * middles (level with it when in the same line of columns); outside clients and ingress gateways
 * left of every column, hosts outside, egress gateways and the waypoints' column right of them.
 */
export function sidesOf(
  model: LayoutModel,
  columnX: readonly number[],
  columnW: readonly number[],
  perLine: number,
  loose: readonly NodeId[],
): (card: CardPlan, column: number) => { left: boolean; twoSided: boolean } {
  const peers = peersOf(model);
  const middle = (c: number): number => columnX[c]! + columnW[c]! / 2;
  const column = new Map<NodeId, number>();
  for (const s of model.services) for (const p of s.pods) for (const n of [p.app, p.proxy]) if (n) column.set(n.id, s.depth);
  const outside = new Map<NodeId, number>();
  for (const n of [...model.clients, ...model.gateways.filter((g) => !model.egress.has(g.id))]) outside.set(n.id, -Infinity);
  for (const id of [...model.externals.map((n) => n.id), ...model.egress, ...loose]) outside.set(id, Infinity);
  const line = (c: number): number => Math.floor(c / perLine);
  return (card, own) => {
    const xOf = (node: NodeId): { x: number; level: boolean } | null => {
      const far = outside.get(node);
      if (far !== undefined) return { x: far, level: true };
      const c = column.get(node);
      return c === undefined ? null : { x: middle(c), level: line(c) === line(own) };
    };
    return sidecarLeft(card, middle(own), peers, xOf, own > 0);
  };
}

/** Places one card: its app and sidecar boxes (the sidecar facing the callers), and its chip strip. */
export function placeCard(
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
  const S = sizesOf(v);
  const first = card.members[0]!;
  const inner = w - 2 * S.cardPad;
  // A compact card has no title: its service's header right above says whose pod it is.
  const top = y + (v.grid ? S.cardPad : S.cardTitle);
  const hasProxy = first.proxy !== undefined;
  const sidecar: PodCard['sidecar'] = hasProxy ? 'own' : byNode && first.pod.meshed ? 'node' : 'none';
  let appBox: Box;
  let proxyBox: Box;
  if (v.grid) {
    const proxyW = compactProxyWidth(first, byNode, v.named);
    const appW = compactAppWidth(first, v.named);
    const left = { x: x + S.cardPad, y: top, w: callersLeft ? proxyW : appW, h: S.boxH };
    const right = { x: left.x + left.w + (proxyW ? 6 : 0), y: top, w: callersLeft ? appW : proxyW, h: S.boxH };
    proxyBox = callersLeft ? left : right;
    appBox = callersLeft ? right : left;
  } else if (v.tall) {
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
      v.named ? s.name : 'app',
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
  const chipsY = top + (v.tall ? 2 * S.boxH + 6 : S.boxH) + S.chipGap;
  return {
    key: card.key,
    title: v.grid ? '' : card.title,
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
    // A narrow (stacked) card, or a long title, leaves no room beside it: the state leads the chips
    // instead. A compact card has neither title nor chips.
    status: v.grid || v.tall || textWidth(card.title, FONT.title, true) + TITLE_CHIP_W > inner ? null : { x: x + w - S.cardPad, y: y + 3 },
    sidecar,
    ...(hasProxy || proxyBox.w === 0 ? {} : { placeholder: proxyBox }),
  };
}
