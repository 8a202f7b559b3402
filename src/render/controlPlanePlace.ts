/**
 * Where the control plane goes: above the cluster, centred, its boxes in a row; or beside it, at
 * its left, its boxes in a column (a wide viewport has room across, not up).
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

/** Where the control plane's title (and state chip) is written, from its top. */
export function controlPlaneTitleH(v: Variant): number {
  return v.side ? CP_BESIDE_HEADER : CP_ABOVE_HEADER;
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
  const titleW = textWidth(`control plane (${model.trace.mesh})`, FONT.text, true);
  const chipW = textWidth('■ stopped', FONT.text) + 24;
  if (v.side) {
    const w = Math.ceil(Math.max(...widths, titleW, chipW) + 20);
    const h = CP_BESIDE_HEADER + model.controlPlane.length * (S.boxH + 8);
    const box = { x: -S.controlPlaneGap - w, y: 0, w, h };
    model.controlPlane.forEach((n, i) => {
      addBox(n, n.label, 'control-plane', { x: box.x + 10, y: CP_BESIDE_HEADER + i * (S.boxH + 8), w: w - 20, h: S.boxH });
    });
    return box;
  }
  const inner = widths.reduce((a, b) => a + b, 0) + (widths.length - 1) * 16;
  const w = Math.max(inner, titleW + chipW) + 20;
  const h = CP_ABOVE_HEADER + S.boxH + 8;
  const x = Math.max(0, (clusterW - w) / 2);
  const box = { x, y: -S.controlPlaneGap - h, w, h };
  let bx = x + (w - inner) / 2;
  model.controlPlane.forEach((n, i) => {
    addBox(n, n.label, 'control-plane', { x: bx, y: box.y + CP_ABOVE_HEADER, w: widths[i]!, h: S.boxH });
    bx += widths[i]! + 16;
  });
  return box;
}
