/**
 * One generated texture for every packet: each shape, plain and with a lock mark (mTLS), plus a
 * ring for the highlighted packet, drawn once with Graphics and baked into a texture whose
 * frames all packets share (so the particle container draws them all in one call).
 */
import { Container, Graphics, Rectangle, Texture, type Renderer } from 'pixi.js';
import { COLOURS, PACKET_LOOKS, type PacketShape } from './palette.ts';
import { CELL } from './packetTrack.ts';

/** Size of one frame in world units (packetTrack.ts: the links' routes ask it too). */
export { CELL };
const R = 6.5;
/** How far a packet's shape reaches from its centre: its radius and half its outline, rounded up (a triangle's tip a unit more, within it). */
export const PACKET_INK_R = 7.5;

export interface PacketAtlas {
  frame(shape: PacketShape, locked: boolean): Texture;
  ring: Texture;
  /** The texture all frames share (for the particle container). */
  base: Texture;
  destroy(): void;
}

function polygon(g: Graphics, cx: number, cy: number, sides: number, r: number, rotation: number): Graphics {
  const pts: number[] = [];
  for (let i = 0; i < sides; i++) {
    const a = rotation + (i * 2 * Math.PI) / sides;
    pts.push(cx + r * Math.cos(a), cy + r * Math.sin(a));
  }
  return g.poly(pts);
}

function drawShape(g: Graphics, shape: PacketShape, colour: number, cx: number, cy: number): void {
  const stroke = { width: 1.5, color: 0x1e1e1e };
  switch (shape) {
    case 'circle':
      g.circle(cx, cy, R).fill(colour).stroke(stroke);
      break;
    case 'square':
      g.rect(cx - R, cy - R, 2 * R, 2 * R)
        .fill(colour)
        .stroke(stroke);
      break;
    case 'square-cross':
      g.rect(cx - R, cy - R, 2 * R, 2 * R)
        .fill(colour)
        .stroke(stroke);
      g.moveTo(cx - R + 2.5, cy - R + 2.5)
        .lineTo(cx + R - 2.5, cy + R - 2.5)
        .moveTo(cx + R - 2.5, cy - R + 2.5)
        .lineTo(cx - R + 2.5, cy + R - 2.5)
        .stroke({ width: 2, color: 0xffffff });
      break;
    case 'triangle':
      polygon(g, cx, cy + 1, 3, R + 1, -Math.PI / 2)
        .fill(colour)
        .stroke(stroke);
      break;
    case 'diamond':
      polygon(g, cx, cy, 4, R + 1, 0)
        .fill(colour)
        .stroke(stroke);
      break;
    case 'hexagon':
      polygon(g, cx, cy, 6, R + 0.5, 0)
        .fill(colour)
        .stroke(stroke);
      break;
    case 'hexagon-ring':
      polygon(g, cx, cy, 6, R + 0.5, 0)
        .fill(colour)
        .stroke(stroke);
      g.circle(cx, cy, 2.5).fill(0xffffff).stroke({ width: 1, color: 0x1e1e1e });
      break;
    case 'pentagon':
      polygon(g, cx, cy, 5, R + 0.5, -Math.PI / 2)
        .fill(colour)
        .stroke(stroke);
      break;
    case 'star': {
      const pts: number[] = [];
      for (let i = 0; i < 10; i++) {
        const r = i % 2 ? R * 0.5 : R + 1.5;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        pts.push(cx + r * Math.cos(a), cy + r * Math.sin(a));
      }
      // Filled as convex pieces — the inner pentagon and a triangle per point (the build fills
      // convex polygons only: build/pixiLean.ts) — then outlined whole.
      g.poly(pts.filter((_, k) => k % 4 >= 2)).fill(colour);
      for (let i = 0; i < 10; i += 2) g.poly([9, 0, 1].flatMap((d) => [pts[((i + d) % 10) * 2]!, pts[((i + d) % 10) * 2 + 1]!])).fill(colour);
      g.poly(pts).stroke(stroke);
      break;
    }
  }
}

function drawLock(g: Graphics, x: number, y: number): void {
  // A padlock: shackle arc over a body.
  g.roundRect(x - 3.5, y - 1, 7, 5.5, 1).fill(0x1e1e1e);
  // From the arc's own start: without it the arc is joined to the last point of the path before
  // (the sheet's origin), a line across every frame of the top row.
  g.moveTo(x - 2.3, y - 1)
    .arc(x, y - 1, 2.3, Math.PI, 0)
    .stroke({ width: 1.4, color: 0x1e1e1e });
}

/** Draws the atlas and bakes it into one texture. */
export function createPacketAtlas(renderer: Renderer): PacketAtlas {
  const shapes = [...new Set(Object.values(PACKET_LOOKS).map((l) => l.shape))];
  const colourOf = new Map(Object.values(PACKET_LOOKS).map((l) => [l.shape, l.colour]));
  const g = new Graphics();
  // Through the batcher, with the picture's own shader: pixi would draw a Graphics this big (over
  // 400 vertex floats) with a shader of its own, a second program to compile and link before the
  // first frame (see sceneCache.ts batchStill).
  g.context.batchMode = 'batch';
  // Keep the texture's bounds fixed: an invisible frame around the whole sheet.
  const columns = shapes.length + 1;
  g.rect(0, 0, columns * CELL, 2 * CELL).fill({ color: 0xffffff, alpha: 0.001 });
  shapes.forEach((shape, i) => {
    for (const locked of [false, true]) {
      const cx = i * CELL + CELL / 2;
      const cy = (locked ? CELL : 0) + CELL / 2;
      drawShape(g, shape, colourOf.get(shape)!, cx, cy);
      if (locked) drawLock(g, cx + 5.5, cy - 5.5);
    }
  });
  g.circle(shapes.length * CELL + CELL / 2, CELL / 2, CELL / 2 - 1.5).stroke({ width: 2.5, color: COLOURS.highlight });
  const holder = new Container();
  holder.addChild(g);
  const base = renderer.generateTexture({ target: holder, resolution: 4, frame: new Rectangle(0, 0, columns * CELL, 2 * CELL) });
  const frames = new Map<PacketShape, [Texture, Texture]>();
  const cut = (col: number, row: number): Texture => new Texture({ source: base.source, frame: new Rectangle(col * CELL, row * CELL, CELL, CELL) });
  shapes.forEach((shape, i) => {
    frames.set(shape, [cut(i, 0), cut(i, 1)]);
  });
  const ring = cut(shapes.length, 0);
  holder.destroy({ children: true });
  return {
    frame: (shape, locked) => frames.get(shape)![locked ? 1 : 0],
    ring,
    base,
    destroy: () => base.destroy(true),
  };
}
