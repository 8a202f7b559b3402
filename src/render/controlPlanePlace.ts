/**
 * Where the control plane goes: above the cluster, centred, its boxes in a row; beside it, at its
 * left, its boxes in a column (a wide viewport has room across, not up); or in the cluster's
 * header, right of its title, its boxes in a row (its components do run in the cluster: for a
 * picture too tall with the control plane above).
 */
import type { TopologyNode } from '../player/index.ts';
import type { LayoutModel } from './layoutModel.ts';
import type { Box } from './geometry.ts';
import { FONT, sizesOf, type BoxRole, type NodeBox, type Variant } from './layoutTypes.ts';
import { boxWidth } from './cards.ts';
import { textWidth } from './textMetrics.ts';

/** The top of a control plane drawn beside the cluster: its title, and its state chip under it. */
export const CP_BESIDE_HEADER = 42;
/** The top of a control plane drawn above the cluster: its title and its state chip, on one line. */
const CP_ABOVE_HEADER = 22;
/** A control plane in the cluster's header: how far under the cluster's top edge, and how far right of its title. */
const CP_HEADER_TOP = 6;
const CP_HEADER_GAP = 8;

/** Where the control plane's title (and state chip) is written, from its top. */
export function controlPlaneTitleH(v: Variant): number {
  return v.side ? CP_BESIDE_HEADER : CP_ABOVE_HEADER;
}

/** A control plane above the cluster or in its header: its height (its title, then its boxes in a row). */
function aboveHeight(v: Variant): number {
  return CP_ABOVE_HEADER + sizesOf(v).boxH + sizesOf(v).frameAir;
}

/** A control plane above the cluster or in its header: its width (its boxes in a row, under its title and state chip). */
function aboveWidth(model: LayoutModel): number {
  const { titleW, chipW } = headerWords(model);
  return Math.max(rowWidth(model), titleW + chipW) + 20;
}

/** The words the scene writes in the cluster's and the control plane's headers: sized here, written by sceneStatic. */
export const CLUSTER_TITLE = 'Kubernetes cluster';
export const controlPlaneTitle = (mesh: string): string => `control plane (${mesh})`;
export const CONTROL_PLANE_STATE = { up: '● running', down: '■ stopped' } as const;

/** How wide the control plane's title and its state chip are (the chip at its wider state). */
function headerWords(model: LayoutModel): { titleW: number; chipW: number } {
  return {
    titleW: textWidth(controlPlaneTitle(model.trace.mesh), FONT.text, true),
    chipW: textWidth(CONTROL_PLANE_STATE.down, FONT.text) + 24,
  };
}

/** The control plane's boxes in a row, 16 apart. */
function rowWidth(model: LayoutModel): number {
  return model.controlPlane.reduce((a, n) => a + boxWidth(n.label, true), 0) + (model.controlPlane.length - 1) * 16;
}

/** In the cluster's header: how far down the control plane reaches (the bands start under it). */
export function headerControlPlaneBottom(v: Variant): number {
  return CP_HEADER_TOP + aboveHeight(v);
}

/** In the cluster's header: how wide the cluster must be for the control plane right of its title (0 with no control plane). */
export function headerControlPlaneWidth(model: LayoutModel, v: Variant): number {
  if (!model.controlPlane.length) return 0;
  return 12 + textWidth(CLUSTER_TITLE, FONT.title, true) + CP_HEADER_GAP + aboveWidth(model) + sizesOf(v).clusterPad;
}

/** Places the control plane's frame and boxes for arrangement `v` and a cluster `clusterW` wide at (0, 0); null without one. */
export function placeControlPlane(
  model: LayoutModel,
  v: Variant,
  clusterW: number,
  addBox: (node: TopologyNode, caption: string, role: BoxRole, b: Box) => NodeBox,
): Box | null {
  if (!model.controlPlane.length) return null;
  const S = sizesOf(v);
  const widths = model.controlPlane.map((n) => boxWidth(n.label, true));
  if (v.side) {
    const { titleW, chipW } = headerWords(model);
    const w = Math.ceil(Math.max(...widths, titleW, chipW) + 20);
    const h = CP_BESIDE_HEADER + model.controlPlane.length * (S.boxH + 8);
    const box = { x: -S.controlPlaneGap - w, y: 0, w, h };
    model.controlPlane.forEach((n, i) => {
      addBox(n, n.label, 'control-plane', { x: box.x + 10, y: CP_BESIDE_HEADER + i * (S.boxH + 8), w: w - 20, h: S.boxH });
    });
    return box;
  }
  const inner = rowWidth(model);
  const w = aboveWidth(model);
  const h = aboveHeight(v);
  // In the cluster's header: at its right, under its top edge; else above it, centred.
  const x = v.header ? clusterW - S.clusterPad - w : Math.max(0, (clusterW - w) / 2);
  const box = { x, y: v.header ? CP_HEADER_TOP : -S.controlPlaneGap - h, w, h };
  let bx = x + (w - inner) / 2;
  model.controlPlane.forEach((n, i) => {
    addBox(n, n.label, 'control-plane', { x: bx, y: box.y + CP_ABOVE_HEADER, w: widths[i]!, h: S.boxH });
    bx += widths[i]! + 16;
  });
  return box;
}
