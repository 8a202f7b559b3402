/**
 * Pod cards: which pods of a service get a card of their own and which fold into one "×N" group,
 * and where a card's app, sidecar and chip strip go.
 */
import type { TopologyNode } from '../player/index.ts';
import type { LayoutModel, ModelPod, ModelService } from './layoutModel.ts';
import type { Box } from './geometry.ts';
import { COMPACT_BOX_W, FONT, GRID_SIZES, NAMED_SIZES, SIZES, type BoxRole, type NodeBox, type PodCard, type Variant } from './layoutTypes.ts';
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
  const S = v.named ? NAMED_SIZES : v.grid ? GRID_SIZES : SIZES;
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
  const chipsY = top + (v.tall ? 2 * S.boxH + 6 : S.boxH) + 4;
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
