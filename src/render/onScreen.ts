/**
 * Where things are drawn on screen, in CSS pixels relative to the canvas: packets, boxes, cards,
 * bands and every label with its size. For tests that look at the picture and for embedders; the
 * picture itself never reads these.
 */
import { Container, Text } from 'pixi.js';
import type { NodeId } from '../player/index.ts';
import type { Camera } from './camera.ts';
import type { LinkDrawn } from './edgeLayer.ts';
import type { Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import type { PacketLayer } from './packetLayer.ts';
import { ringRect, STEP_RING } from './ringSpots.ts';

/** A rectangle on screen. */
export interface ScreenRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The layout on screen: the cluster's frame, bands, cards and boxes. */
export interface LayoutOnScreen {
  variant: string;
  cluster: ScreenRect;
  /** The control plane's card (null where the mesh has none drawn). */
  controlPlane: ScreenRect | null;
  bands: ({ label: string; kind: string } & ScreenRect)[];
  /** The pods' cards, each with its dashed empty-sidecar box ("node proxy ↓", "no sidecar") if it has one. */
  cards: ({ key: string; members: string[]; placeholder?: ScreenRect } & ScreenRect)[];
  boxes: ({ id: string; role: string } & ScreenRect)[];
}

/** A label drawn, with its font size on screen (font size × zoom). */
export interface TextOnScreen extends ScreenRect {
  text: string;
  px: number;
  /** How opaque it is drawn (its own alpha times its parents'): below 1 it is faded, as a box not deployed yet. */
  alpha: number;
}

/** World rectangle `b` on screen. */
export function rectOnScreen(camera: Camera, b: Box): ScreenRect {
  const a = camera.toScreen(b.x, b.y);
  const c = camera.toScreen(b.x + b.w, b.y + b.h);
  return { x: a.x, y: a.y, w: c.x - a.x, h: c.y - a.y };
}

/** Words drawn in a box (a badge, a link's tag: then with its link), on screen. */
export interface WordsOnScreen extends ScreenRect {
  text: string;
  from?: NodeId;
  to?: NodeId;
}

/** Boxes of words drawn (world coordinates) on screen. */
export function wordsOnScreen(camera: Camera, drawn: readonly (Box & { text: string; from?: NodeId; to?: NodeId })[] = []): WordsOnScreen[] {
  return drawn.map(({ text, from, to, ...b }) => ({ text, ...(from === undefined ? {} : { from, to }), ...rectOnScreen(camera, b) }));
}

/** A link as drawn: its line's ends and width (0: no line, only an endpoint's state or a lock), the box around the line, its tag and its lock. */
export interface LinkOnScreen extends ScreenRect {
  from: NodeId;
  to: NodeId;
  a: { x: number; y: number };
  b: { x: number; y: number };
  /** Every point of the line, from `a` to `b` (more than two where it bends around boxes). */
  points: { x: number; y: number }[];
  /** The line's width in CSS px (its width in the world × zoom). */
  width: number;
  tag: (ScreenRect & { text: string }) | null;
  lock: ScreenRect | null;
}

/** The links drawn (world coordinates) on screen. */
export function linksOnScreen(camera: Camera, drawn: readonly LinkDrawn[] = []): LinkOnScreen[] {
  return drawn.map((l) => {
    const points = l.points.map((p) => camera.toScreen(p.x, p.y));
    const a = points[0]!;
    const b = points[points.length - 1]!;
    const width = l.width * camera.zoom;
    const x = Math.min(...points.map((p) => p.x)) - width / 2;
    const y = Math.min(...points.map((p) => p.y)) - width / 2;
    return {
      from: l.from,
      to: l.to,
      a,
      b,
      points,
      width,
      x,
      y,
      w: Math.max(...points.map((p) => p.x)) + width / 2 - x,
      h: Math.max(...points.map((p) => p.y)) + width / 2 - y,
      tag: l.tag ? { text: l.tag.text, ...rectOnScreen(camera, l.tag) } : null,
      lock: l.lock ? rectOnScreen(camera, l.lock) : null,
    };
  });
}

/** Packets as drawn last. */
export function packetsOnScreen(
  camera: Camera,
  packets: PacketLayer | null,
): { seq: number; id: string; label: string; from: NodeId; to: NodeId; x: number; y: number; focus: boolean }[] {
  return (packets?.drawnPackets() ?? []).map(({ packet, x, y, focus }) => ({
    focus,
    seq: packet.seq,
    id: packet.id,
    label: packet.label,
    from: packet.from,
    to: packet.to,
    ...camera.toScreen(x, y),
  }));
}

/** The boxes of `ids` as drawn (those the layout has), in CSS pixels relative to the canvas. */
export function boxesOnScreen(camera: Camera, layout: Layout | null, ids: readonly NodeId[]): (ScreenRect & { id: NodeId; ring: ScreenRect })[] {
  return ids.flatMap((id) => {
    const b = layout?.nodes.get(id);
    if (!layout || !b) return [];
    // The ring drawn around it as a step's node or the difference (ringSpots.ts), its line's outer half included.
    const r = ringRect(layout, b, STEP_RING.pad, STEP_RING.width);
    const half = STEP_RING.width / 2;
    return [{ id, ...rectOnScreen(camera, b), ring: rectOnScreen(camera, { x: r.x - half, y: r.y - half, w: r.w + 2 * half, h: r.h + 2 * half }) }];
  });
}

/** The centre of a node's box. */
export function nodeOnScreen(camera: Camera, layout: Layout | null, id: NodeId): { x: number; y: number } | null {
  const b = layout?.nodes.get(id);
  return b ? camera.toScreen(b.x + b.w / 2, b.y + b.h / 2) : null;
}

/** A pod's card (the card of its group, if folded). */
export function cardOnScreen(camera: Camera, layout: Layout | null, pod: string): ScreenRect | null {
  const card = layout?.pods.find((p) => p.members.includes(pod));
  return card ? rectOnScreen(camera, card) : null;
}

export function layoutOnScreen(camera: Camera, l: Layout | null): LayoutOnScreen | null {
  if (!l) return null;
  return {
    variant: l.variant,
    cluster: rectOnScreen(camera, l.cluster),
    controlPlane: l.controlPlane && rectOnScreen(camera, l.controlPlane),
    bands: l.bands.map((b) => ({ label: b.label, kind: b.kind, ...rectOnScreen(camera, b) })),
    cards: l.pods.map((p) => ({
      key: p.key,
      members: p.members,
      ...rectOnScreen(camera, p),
      ...(p.placeholder ? { placeholder: rectOnScreen(camera, p.placeholder) } : {}),
    })),
    boxes: l.boxes.map((b) => ({ id: b.node.id, role: b.role, ...rectOnScreen(camera, b) })),
  };
}

/** Every label under `root`; labels hidden or fully transparent are left out. */
export function textsOnScreen(root: Container): TextOnScreen[] {
  const out: TextOnScreen[] = [];
  const visit = (c: Container, above: number): void => {
    const alpha = above * c.alpha;
    if (!c.visible || alpha <= 0) return;
    if (c instanceof Text) {
      if (!c.text.trim()) return;
      const m = c.worldTransform;
      const scale = Math.hypot(m.a, m.b);
      const b = c.getBounds();
      // Stage coordinates are CSS pixels relative to the canvas (autoDensity).
      out.push({ text: c.text, px: Number(c.style.fontSize) * scale, x: b.x, y: b.y, w: b.width, h: b.height, alpha });
      return;
    }
    for (const child of c.children) visit(child, alpha);
  };
  visit(root, 1);
  return out;
}
