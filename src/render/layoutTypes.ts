/**
 * What a layout is made of: boxes for nodes, pod cards, service and band regions, and the sizes
 * and fonts every arrangement uses (see layout.ts for how one is chosen).
 */
import type { NodeId, TopologyNode } from '../player/index.ts';
import type { Box } from './geometry.ts';

/** A drawn box for a node; in a folded group one box stands for every member's node. */
export interface NodeBox extends Box {
  node: TopologyNode;
  /** What the box says: `app`, `sidecar`, or the node's label. */
  caption: string;
  /** What it is drawn as. */
  role: BoxRole;
  /**
   * A node proxy's strip written on two lines: its caption, then its state chips under it — a strip
   * too narrow for its node's name and its chips on one line ({@link STRIP_CHIPS_W}).
   */
  chipsBelow?: true;
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
  /**
   * The services' headers are one line, the service's name alone, with no counter (a grid of
   * compact cards: {@link GRID_SIZES}); else `service <name>` over a counter line.
   */
  compactHeaders: boolean;
  /**
   * A grid of named cards: no header at all, each service's name written in its app's box (the
   * box's caption), and a pod its Kubernetes node's proxy serves drawn without the dashed box.
   */
  namedBoxes: boolean;
  cluster: Box;
  controlPlane: Box | null;
  /** The control plane is beside the cluster (its boxes in a column, its state chip under its title), not above it. */
  controlPlaneBeside: boolean;
  /** Spaced tightly ({@link TIGHT_SIZES}): its cards leave so little room that badge lists may be written shorter (badgeForms.ts). */
  tight: boolean;
  /**
   * Where the cluster's, the bands' and the control plane's titles are written (the control
   * plane's with its state chip: two lines when it is beside the cluster), for what must keep off them.
   */
  titles: Box[];
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
  /**
   * The arrangements placed already for this model and these unfolded services (layout.ts
   * {@link LayoutMemo}): a viewport's choice among them places none of them again.
   */
  memo?: LayoutMemo;
}

/**
 * Arrangements placed for one model and one set of unfolded services, kept between layouts: an
 * arrangement's boxes do not depend on the viewport (only which arrangement wins does), so
 * choosing again for another viewport (a resize) places only those not placed before.
 */
export interface LayoutMemo {
  placed: Map<Variant, Layout>;
  /** How many arrangements were placed (for tests: a resize that keeps the arrangement places none). */
  placements: number;
}

/** The smallest font in the scene: at zoom 1 no label is smaller. */
export const MIN_FONT = 11;
export const FONT = { title: 12, text: MIN_FONT } as const;

/** A compact service header's height: one line of {@link FONT.title} and its top margin (sceneStatic draws the name at +2). */
export const COMPACT_HEADER_H = 17;

/** Spacing of the drawing, in world units. */
export const SIZES = {
  boxH: 28,
  boxMinW: 64,
  cardPad: 8,
  cardTitle: 20,
  chipLine: 17,
  /** Room above and below a card's chip strip. */
  chipGap: 4,
  cardGap: 8,
  serviceHeader: 36,
  servicePad: 6,
  bandHeader: 20,
  bandPad: 8,
  bandGap: 10,
  clusterHeader: 24,
  clusterPad: 10,
  columnGap: 60,
  controlPlaneGap: 20,
  outsideGap: 70,
  stripH: 26,
  /** Room a frame leaves around a box it holds beyond the box's height: a ztunnel's strip in its band, the control plane in the cluster's header. */
  frameAir: 8,
  boundsPad: 6,
} as const;

/**
 * The spacing of a dense arrangement (a narrow viewport, such as a compare pane): the same boxes,
 * cards and fonts, less room between and around them.
 */
export const DENSE_SIZES: { readonly [K in keyof typeof SIZES]: number } = {
  ...SIZES,
  cardGap: 4,
  bandPad: 6,
  bandGap: 6,
  clusterPad: 6,
  columnGap: 48,
  controlPlaneGap: 10,
  outsideGap: 50,
  boundsPad: 2,
};

/**
 * The spacing of a tight arrangement ({@link Variant.tight}): dense, less room in the boxes and
 * the headers around their text — a box one 11 px line and a little, the cluster's and the bands'
 * titles with no air under them (sceneStatic writes them 5 and 3 px down) — and 3–4 px between
 * frames where nothing is written.
 */
export const TIGHT_SIZES: { readonly [K in keyof typeof SIZES]: number } = {
  ...DENSE_SIZES,
  boxH: 22,
  bandHeader: 18,
  clusterHeader: 22,
  controlPlaneGap: 6,
  stripH: 22,
  frameAir: 6,
};

/**
 * The spacing of a grid of compact cards (many one-pod services): dense, and each service's
 * header — one line, its name — right above its pod's boxes, in a card no taller than they are.
 */
export const GRID_SIZES: { readonly [K in keyof typeof SIZES]: number } = {
  ...DENSE_SIZES,
  boxH: 24,
  serviceHeader: COMPACT_HEADER_H,
  servicePad: 2,
  cardPad: 3,
  columnGap: 12,
};

/**
 * The spacing of a grid of named cards ({@link Variant.named}): a grid's, without the services'
 * headers — a service's region is its card — and its rows closer: boxes one 11 px line and a
 * little, cards 2 px apart.
 */
export const NAMED_SIZES: { readonly [K in keyof typeof SIZES]: number } = {
  ...GRID_SIZES,
  boxH: 20,
  cardPad: 2,
  cardGap: 2,
  serviceHeader: 0,
  servicePad: 0,
};

/** The dashed boxes where a pod without a sidecar would have one ("node proxy ↓", "no sidecar"): what link tags and "more" tabs keep off. */
export function placeholderBoxes(layout: Pick<Layout, 'pods'>): Box[] {
  return layout.pods.flatMap((p) => (p.placeholder ? [p.placeholder] : []));
}

/** The spacing of arrangement `v`. */
export function sizesOf(v: Variant): { readonly [K in keyof typeof SIZES]: number } {
  return v.named ? NAMED_SIZES : v.grid ? GRID_SIZES : v.tight ? TIGHT_SIZES : v.dense ? DENSE_SIZES : SIZES;
}

/** Where a node proxy's strip caption starts, from the strip's left edge: its state chips end the strip at the right (proxyChips.ts). */
export const STRIP_CAPTION_X = 8;

/**
 * The room a strip keeps right of its caption for its state chips ("cert ✓ ×2", "config v1 ✓" and
 * the gaps around them, as proxyChipWords.ts measures them); a strip without it is captioned
 * without its node's name.
 */
export const STRIP_CHIPS_W = 160;

/** How much taller a strip is with its chips on a line of their own ({@link NodeBox.chipsBelow}): a chip's height (chips.ts CHIP_H 15), less a unit. */
export const STRIP_CHIPS_LINE = 14;

/** Room kept under a ztunnel strip, over the cluster's line below it: a link's tag (17) and 2 either side (placement.ts), which pipe labels keep off too (sceneWires.ts). */
export const TAG_UNDER_STRIP = 21;

/** Where a strip's chips' line starts, with its chips below its caption: 4 units over the strip's foot for a chip 15 high (chips.ts CHIP_H). */
export const stripChipsY = (b: Box): number => b.y + b.h - 19;

/** The middle of a node proxy's strip's caption: the strip's, or with its chips below it, between its top and their line. */
export const stripCaptionY = (b: NodeBox): number => (b.chipsBelow ? (b.y + stripChipsY(b)) / 2 + 1 : b.y + b.h / 2);

/** A compact card's boxes: narrower than {@link SIZES.boxMinW}, still wider than `sidecar` with room either side. */
export const COMPACT_BOX_W = 54;

/**
 * One arrangement tried: boxes side by side or stacked, pods per row, alike replicas folded, the
 * control plane beside the cluster instead of above it (a wide viewport), Kubernetes-node bands
 * side by side instead of one under another, service columns wrapped into two lines, spaced
 * densely ({@link DENSE_SIZES}) or tightly ({@link TIGHT_SIZES}), the control plane in the
 * cluster's header, the gateways in a row under the bands; or — for many one-pod services — a grid
 * of compact cards.
 */
export interface Variant {
  tall: boolean;
  perRow: number;
  fold: boolean;
  side: boolean;
  across: boolean;
  wrap: boolean;
  dense: boolean;
  /**
   * 0: services in columns by call depth. Else a grid: services in call-depth order flowed into
   * columns of at most this many, each a compact card (no pod title, no chip strip; its pod is
   * `<service>-0`), every pod and proxy still drawn ({@link GRID_SIZES}).
   */
  grid: number;
  /** In a grid, each card named in its app's box instead of under a header ({@link NAMED_SIZES}): one line a service. */
  named: boolean;
  /** Spaced tightly ({@link TIGHT_SIZES}): for a picture no other arrangement shows readable. */
  tight: boolean;
  /**
   * The control plane in the cluster's header, right of its title, instead of above it (its
   * components do run in the cluster): for a picture too tall with it above.
   */
  header: boolean;
  /** The gateways in a row below the bands instead of in columns at the cluster's edges: for a picture too wide with them there. */
  below: boolean;
}
