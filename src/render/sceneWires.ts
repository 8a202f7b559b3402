/**
 * The scene's wires (sceneStatic.ts draws them under the cards): a faint line between every pair
 * of boxes that ever exchange a packet, each HBONE tunnel as a pipe with its label, and the chips
 * of the proxies that are no pod's sidecar, placed off the lines.
 */
import { Graphics, type Container, type Text } from 'pixi.js';
import { wireFlights, type Trace } from '../player/index.ts';
import { COLOURS } from './palette.ts';
import { FONT, anchors, type Box, type Layout, type NodeBox } from './layout.ts';
import { layLinks, linkLine, type Point } from './linkEnds.ts';
import { longestStretch, tracePolyline } from './polyline.ts';
import { label } from './text.ts';
import { chipRows, obstaclesOf } from './labelSpots.ts';
import { TAG_UNDER_STRIP } from './layoutTypes.ts';
import { labelPipes } from './pipeLabel.ts';
import { ProxyChips } from './proxyChips.ts';

/** A pair of boxes' key, the same either way round. */
function keyOf(a: NodeBox, b: NodeBox): string {
  return a.x < b.x || (a.x === b.x && a.y < b.y) ? `${a.x},${a.y}|${b.x},${b.y}` : `${b.x},${b.y}|${a.x},${a.y}`;
}

/** Where a box a change deploys keeps its wires (`holder`, faint until it exists) and its pipes' labels (`words`). */
export interface WireHolders {
  holder: Container;
  words: Container;
}

/**
 * Draws the wires in `plain` (those of a box a change deploys in its holder), the pipes' labels in
 * `pipeWords` (or the deployed box's `words`), over the cards. Returns the proxies' chips and the
 * boxes of what it wrote (the chips' and the labels'), for other labels to keep off.
 */
export function drawWires(
  layout: Layout,
  trace: Trace,
  plain: Graphics,
  deferred: ReadonlyMap<string, WireHolders>,
  pipeWords: Container,
  written: readonly Box[] = [],
): { chips: ProxyChips; words: Box[] } {
  // Wires to a box a change deploys are drawn in its holder, faint with it until it exists.
  const wiresOf = new Map<NodeBox, Graphics>();
  for (const [id, d] of deferred) {
    const w = new Graphics();
    d.holder.addChild(w);
    wiresOf.set(layout.nodes.get(id)!, w);
  }
  const graphicsOf = (a: NodeBox, b: NodeBox): Graphics => wiresOf.get(a) ?? wiresOf.get(b) ?? plain;
  const seen = new Set<string>();
  const tunnelKeys = new Set<string>();
  const tunnels: [NodeBox, NodeBox][] = [];
  const lines: [Point, Point][] = [];
  /** Each wire drawn, by its pair's key (a pipe's label keeps off the others). */
  const wires = new Map<string, readonly Point[]>();
  const wireOf = (a: NodeBox, b: NodeBox): readonly Point[] => {
    const { points, onSide, bent } = linkLine(layout, a, b);
    return onSide || bent ? points : anchors(a, b);
  };
  const flights = wireFlights(trace);
  // Every line laid at once, so lines sharing a gap take lanes side by side (linkEnds.ts).
  const pairs: [NodeBox, NodeBox][] = [];
  for (const e of flights) {
    const a = layout.nodes.get(e.from);
    const b = layout.nodes.get(e.to);
    if (a && b && a !== b) pairs.push([a, b]);
  }
  layLinks(layout, pairs);
  for (const e of flights) {
    const a = layout.nodes.get(e.from);
    const b = layout.nodes.get(e.to);
    if (!a || !b || a === b) continue;
    const key = keyOf(a, b);
    // A tunnel (HBONE: HTTP/2 CONNECT inside mTLS between proxies) is drawn as a pipe, whatever
    // went first between the two (the TCP and TLS handshakes that open it are not tunnelled).
    if (e.tunnel && !tunnelKeys.has(key)) {
      tunnelKeys.add(key);
      tunnels.push([a, b]);
    }
    if (seen.has(key)) continue;
    seen.add(key);
    // Under the boxes from centre to centre, unless the line between two sidecars ends on a side
    // or bends around boxes (linkEnds): then where the traffic's line and the packets go.
    const line = wireOf(a, b);
    tracePolyline(graphicsOf(a, b), line);
    wires.set(key, line);
    for (let i = 1; i < line.length; i++) lines.push([line[i - 1]!, line[i]!]);
  }
  for (const g of [plain, ...wiresOf.values()]) g.stroke({ width: 1, color: COLOURS.link, alpha: 0.8 });
  for (const [a, b] of tunnels) {
    const line = wireOf(a, b);
    const g = graphicsOf(a, b);
    for (const [width, color, alpha] of [
      [13, COLOURS.purple, 0.55],
      [9, 0xf6eef3, 1],
    ] as const)
      tracePolyline(g, line).stroke({ width, color, alpha });
  }
  const holderOf = ([a, b]: [NodeBox, NodeBox]): Container => deferred.get(a.node.id)?.words ?? deferred.get(b.node.id)?.words ?? pipeWords;
  const make = (holder: Container): Text =>
    holder.addChild(label('HBONE tunnel · mTLS', { fontSize: FONT.text, fill: 0x6b3159, stroke: { color: 0xffffff, width: 4 } }));
  const chips = new ProxyChips(layout, trace, lines);
  // The cluster's frame is a dark line a label written across reads as struck through.
  const { x, y, w, h } = layout.cluster;
  const frame = [
    { x, y: y - 2, w, h: 4 },
    { x, y: y + h - 2, w, h: 4 },
    { x: x - 2, y, w: 4, h },
    { x: x + w - 2, y, w: 4, h },
  ];
  // A pipe bent around boxes is labelled along its longest stretch.
  const endsOf = ([a, b]: [NodeBox, NodeBox]): [Point, Point] => {
    const line = wireOf(a, b);
    return line.length > 2 ? longestStretch(line) : anchors(a, b);
  };
  // Where no spot is free, a label may cover an empty chip row or an empty sidecar's box, never a
  // box, a title, a chip row that holds chips (an ambient pod's "ready" under its app: canary-split
  // at 5.4 s), words already written, nor the cluster's frame; nor the room under a ztunnel strip,
  // kept for its badge lists and the tags slid under it (placement.ts: with it, the faint label
  // of ambient-authz-fail-closed's waypoint pipes took the spot of node-1's "⊘ denied" under reviews-1).
  const titles = [...layout.pods.map((p) => ({ x: p.x, y: p.y, w: p.w, h: 20 })), ...layout.titles];
  const underStrips = layout.boxes.filter((b) => b.role === 'node-proxy').map((b) => ({ x: b.x, y: b.y + b.h, w: b.w, h: TAG_UNDER_STRIP }));
  const keepOff = [...frame, ...written, ...layout.boxes, ...chips.areas(), ...titles, ...chipRows(layout), ...underStrips];
  const wiresBeside = ([a, b]: [NodeBox, NodeBox]): (readonly Point[])[] => [...wires].filter(([k]) => k !== keyOf(a, b)).map(([, line]) => line);
  const labels = labelPipes(
    tunnels,
    holderOf,
    make,
    [...obstaclesOf(layout), ...chips.areas(), ...frame, ...written],
    layout.bounds,
    endsOf,
    keepOff,
    wiresBeside,
  );
  return { chips, words: [...chips.areas(), ...labels] };
}
