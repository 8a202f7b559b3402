/**
 * Pieces of placing one arrangement (placement.ts): the service columns, a column clear of the
 * lines to the hosts outside, a namespace wrapped into two lines drawn as one band, and grouping.
 */
import { anchors, segmentCrosses } from './geometry.ts';
import { boxWidth } from './cards.ts';
import type { LayoutModel } from './layoutModel.ts';
import { sizesOf, type Band, type NodeBox, type Variant } from './layoutTypes.ts';

/** Room a line keeps from a box it passes (its own width, and a little air). */
const LINE_CLEARANCE = 6;

/**
 * The top nearest `wanted` (not above `minY`) for a column of boxes `h` tall at `column`'s x, through
 * which no straight line from a pod's box to a host outside (among `boxes`) passes; `wanted`
 * itself when every top is crossed.
 */
export function clearOfLines(boxes: readonly NodeBox[], wanted: number, column: { x: number; w: number }, h: number, minY: number): number {
  const from = boxes.filter((b) => b.role === 'app' || b.role === 'sidecar');
  const to = boxes.filter((b) => b.role === 'external');
  const lines = from.flatMap((a) => to.map((b) => anchors(a, b)));
  if (!lines.length) return wanted;
  const low = Math.max(wanted, ...boxes.map((b) => b.y + b.h)) + LINE_CLEARANCE;
  const clear = (y: number): boolean => {
    const box = { x: column.x - LINE_CLEARANCE, y: y - LINE_CLEARANCE, w: column.w + 2 * LINE_CLEARANCE, h: h + 2 * LINE_CLEARANCE };
    return lines.every(([a, b]) => !segmentCrosses(a, b, box));
  };
  for (let d = 0; wanted - d >= minY || wanted + d <= low; d += 2) {
    if (wanted - d >= minY && clear(wanted - d)) return wanted - d;
    if (wanted + d <= low && clear(wanted + d)) return wanted + d;
  }
  return wanted;
}

/**
 * Wrapped into two lines, a namespace spanning both is placed once per line: drawn as one band
 * around both (unless another band lies between them).
 */
export function mergeLines(bands: Band[]): void {
  for (const label of new Set(bands.map((b) => b.label))) {
    const parts = bands.filter((b) => b.label === label);
    if (parts.length < 2) continue;
    const x = Math.min(...parts.map((b) => b.x));
    const y = Math.min(...parts.map((b) => b.y));
    const union: Band = { ...parts[0]!, x, y, w: Math.max(...parts.map((b) => b.x + b.w)) - x, h: Math.max(...parts.map((b) => b.y + b.h)) - y };
    const others = bands.filter((b) => b.label !== label);
    if (others.some((b) => b.x < union.x + union.w && union.x < b.x + b.w && b.y < union.y + union.h && union.y < b.y + b.h)) continue;
    bands.splice(bands.indexOf(parts[0]!), 1, union);
    for (const b of parts.slice(1)) bands.splice(bands.indexOf(b), 1);
  }
}

export function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) (out.get(key(t)) ?? out.set(key(t), []).get(key(t))!).push(t);
  return out;
}

/** Where arrangement `v`'s service columns go: each one's width and left edge, in one line or wrapped into two, right of the ingress gateways. */
export function columnsOf(model: LayoutModel, v: Variant, plans: readonly { s: { depth: number }; w: number }[]) {
  const S = sizesOf(v);
  const columnW = new Array<number>(model.columns).fill(0);
  for (const p of plans) columnW[p.s.depth] = Math.max(columnW[p.s.depth]!, p.w);
  // The ingress gateways' column at the cluster's left edge, the egress gateways' at its right.
  const ingress = model.gateways.filter((g) => !model.egress.has(g.id));
  const egress = model.gateways.filter((g) => model.egress.has(g.id));
  const ingressW = ingress.length && !v.below ? Math.max(0, ...ingress.map((g) => boxWidth(g.label, true))) + S.columnGap * 0.6 : 0;
  const x0 = S.clusterPad + S.bandPad + ingressW;
  // Columns in one line, or wrapped into two lines (the later callees under the first callers).
  const perLine = v.wrap ? Math.ceil(model.columns / 2) : model.columns;
  const lines: [number, number][] = [];
  for (let lo = 0; lo < model.columns; lo += perLine) lines.push([lo, Math.min(model.columns, lo + perLine) - 1]);
  const columnX = new Array<number>(model.columns).fill(0);
  let linesRight = 0;
  for (const [lo, hi] of lines) {
    let cx = x0;
    for (let c = lo; c <= hi; c++) {
      columnX[c] = cx;
      cx += columnW[c]! + S.columnGap;
    }
    linesRight = Math.max(linesRight, cx - S.columnGap);
  }
  return { columnW, ingress, egress, x0, perLine, lines, columnX, linesRight };
}
