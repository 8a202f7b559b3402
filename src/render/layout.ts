/**
 * Where everything goes: a pure function from the trace (its topology, and who calls whom) and
 * the size of the viewport to boxes in world coordinates, one world unit being one CSS pixel at
 * zoom 1. Services are columns ordered by call depth (callers left); pods are cards in their
 * service; namespaces (or Kubernetes nodes, when the mesh has node proxies) are bands around
 * them. The control plane sits above the cluster (or beside it), gateways at its edge, waypoints in
 * a column at its right, external hosts to its right and outside clients to its left.
 *
 * Every label is at least {@link MIN_FONT} px in world units, so the picture is readable whenever
 * the zoom is at least 1. To get there at fit, several arrangements are tried — each pod's app
 * beside its sidecar or above it, one to three pods per row, alike replicas folded into one
 * "×N" card, the control plane beside the cluster when the viewport is wide, Kubernetes-node
 * bands side by side, service columns wrapped into two lines, many one-pod services as a grid of
 * compact cards — and the one that fits the viewport largest wins, preferring the plainest. Where
 * none reads whole, three last resorts: the gateways in a row under the bands instead of in columns
 * at the cluster's edges (egress-control's egress gateway made its picture too wide for a compare
 * pane), tighter spacing, and the control plane in the cluster's header (canary-split's two
 * services stacked under it made its picture too tall).
 */
import type { Trace } from '../player/index.ts';
import { modelOf, type LayoutModel, type ModelService } from './layoutModel.ts';
import type { Box } from './geometry.ts';
import type { Layout, LayoutOptions, Variant } from './layoutTypes.ts';
import { foldable } from './cards.ts';
import { leastWidth, place, type Plans } from './placement.ts';

export { centre, anchorOf, clipTo, anchors, type Box } from './geometry.ts';
export {
  MIN_FONT,
  FONT,
  type NodeBox,
  type BoxRole,
  type PodCard,
  type Region,
  type Band,
  type Layout,
  type LayoutMemo,
  type LayoutOptions,
} from './layoutTypes.ts';

/** The viewport assumed when none is given (the page's picture at 1280×800). */
const DEFAULT_VIEWPORT = { w: 830, h: 520 };

/** How many compact cards a grid column may hold. */
const GRID_ROWS = [2, 3, 4, 5, 6, 7, 8, 9, 10];

/** A grid of compact cards is for this many services or more, each with one pod. */
const GRID_MIN_SERVICES = 8;

/** Past this zoom a bigger picture is no better. */
const READABLE_ENOUGH = 1.15;

/** Whether `v` is one of the arrangements tried only once no other reads. */
const lastResort = (v: Variant): boolean => v.tight || v.header || v.below;

/** How much less plain an arrangement is than one pod per row, boxes side by side, nothing moved. */
function penaltyOf(v: Variant): number {
  return (
    (v.tall ? 0.04 : 0) +
    (v.perRow - 1) * 0.1 +
    (v.fold ? 0.25 : 0) +
    (v.side ? 0.06 : 0) +
    (v.across ? 0.05 : 0) +
    (v.wrap ? 0.12 : 0) +
    (v.dense ? 0.08 : 0) +
    (v.grid ? 0.3 : 0) +
    // Named cards, in as few columns as read: a Kubernetes node's pods one column under its title.
    (v.named ? 0.1 + (GRID_ROWS.at(-1)! - v.grid) * 0.002 : 0) +
    // Tried after every other (and taken only where it reads and they do not).
    (lastResort(v) ? LAST_RESORT : 0) +
    (v.tight ? 0.04 : 0) +
    (v.header ? 0.02 : 0)
  );
}

/**
 * What puts an arrangement after every older one (their penalties are under 0.9), still scoring
 * a readable picture above any that is not (2 + 1 − penalty > {@link READABLE_ENOUGH}).
 */
const LAST_RESORT = 0.9;

/** Every arrangement tried, plainest first. */
export const VARIANTS: Variant[] = [];
for (const dense of [false, true])
  for (const wrap of [false, true])
    for (const side of [false, true])
      for (const across of [false, true])
        for (const fold of [false, true])
          for (const perRow of [1, 2, 3])
            for (const tall of [false, true])
              // The last resorts are dense, at most two pods a row (three never fits what two does not).
              for (const below of dense && perRow < 3 ? [false, true] : [false])
                for (const tight of dense && perRow < 3 ? [false, true] : [false])
                  // The control plane in the header is instead of beside the cluster, and tight.
                  for (const header of tight && !side ? [false, true] : [false])
                    VARIANTS.push({ tall, perRow, fold, side, across, wrap, dense, grid: 0, named: false, below, tight, header });
for (const named of [false, true])
  for (const grid of GRID_ROWS)
    for (const side of [false, true])
      for (const across of [false, true])
        VARIANTS.push({ tall: false, perRow: 1, fold: false, side, across, wrap: false, dense: true, grid, named, below: false, tight: false, header: false });
VARIANTS.sort((a, b) => penaltyOf(a) - penaltyOf(b));

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
  let best: { layout: Layout; score: number; zoom: number; last: boolean } | null = null;
  const plans: Plans = new Map();
  const memo = options.memo;
  const nodeBands = model.bands.filter((b) => b.kind === 'k8s-node').length;
  const gridable = model.services.length >= GRID_MIN_SERVICES && model.services.every((s) => s.pods.length === 1);
  for (const v of VARIANTS) {
    if (v.grid && !gridable) continue;
    if (v.fold && !canFold(model, expanded)) continue;
    if (v.side && !model.controlPlane.length) continue;
    if (v.across && nodeBands < 2) continue;
    if (v.wrap && (nodeBands > 0 || model.columns < 3)) continue;
    // Dense spacing is for a picture no plain spacing shows readable.
    if (v.dense && best && best.zoom >= 1 && !(lastResort(v) && best.last)) continue;
    if (v.below && !model.gateways.length) continue;
    if (v.header && !model.controlPlane.length) continue;
    const penalty = penaltyOf(v);
    // Variants come plainest first: once one reads at its best, a less plain one cannot beat it.
    if (best && best.score >= 2 + READABLE_ENOUGH - penalty) continue;
    // Nor can one that would not beat it even as narrow as its columns (its zoom is at most the
    // viewport's width over that): a 60-pod picture reads under none, and its columns in one line
    // are far wider than wrapped (the 60 s load tried all 144 arrangements; the margin: rounding).
    if (best && !v.grid && scoreOf(viewport.w / leastWidth(model, v, expanded, plans), penalty) < best.score - 1e-9) continue;
    // A grid's model is its own (each arrangement's plans are made anew).
    let layout = memo?.placed.get(v);
    if (!layout) {
      layout = v.grid ? place(gridModel(model, v.grid), v, expanded) : place(model, v, expanded, plans);
      if (memo) {
        memo.placed.set(v, layout);
        memo.placements++;
      }
    }
    const zoom = fitZoom(layout.bounds, viewport);
    // A last resort wins only where it reads: else the picture stays as the older arrangements draw it.
    if (lastResort(v) && zoom < 1) continue;
    const score = scoreOf(zoom, penalty);
    if (!best || score > best.score) best = { layout, score, zoom, last: lastResort(v) };
  }
  return best!.layout;
}

/**
 * An arrangement's score at `zoom`, higher the better, never lower at a larger zoom. Readable
 * (zoom ≥ 1) is what matters; past that, a plainer arrangement beats a bigger one. Below
 * readable, the largest wins (a plainer arrangement only breaks near-ties).
 */
const scoreOf = (zoom: number, penalty: number): number => (zoom >= 1 ? 2 + Math.min(zoom, READABLE_ENOUGH) - penalty : zoom - penalty / 4);

function canFold(model: LayoutModel, expanded: ReadonlySet<string>): boolean {
  return model.services.some((s) => !expanded.has(s.name) && foldable(model, s).length >= 2);
}

/**
 * The model with its services flowed into a grid: in call-depth order (callers first), at most
 * `rows` to a column. Each band's services get columns of their own; a Kubernetes node's start
 * again from the first column (nodes are drawn one under another or side by side, not beside
 * each other's columns).
 */
function gridModel(model: LayoutModel, rows: number): LayoutModel {
  const services: ModelService[] = [];
  let next = 0;
  for (const band of model.bands) {
    const mine = model.services.filter((s) => s.pods[0]!.band === band.name).sort((a, b) => a.depth - b.depth);
    const start = band.kind === 'k8s-node' ? 0 : next;
    mine.forEach((s, i) => services.push({ ...s, depth: start + Math.floor(i / rows) }));
    next = Math.max(next, start + Math.ceil(mine.length / rows));
  }
  return { ...model, services, columns: Math.max(1, next) };
}
