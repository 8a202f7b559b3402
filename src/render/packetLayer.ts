/**
 * Packets in flight: particles that share the one atlas texture, placed along the line between
 * their nodes by the player's progress. Traffic keeps to the right of its direction so a request
 * and its response never overlap, and packets that left together queue one behind the other.
 * The highlighted (current step) and selected packets get a ring and a label.
 */
import { Container, Particle, ParticleContainer, Rectangle, Sprite, type Text } from 'pixi.js';
import type { NodeId, PacketView } from '../player/index.ts';
import { lookOf, COLOURS } from './palette.ts';
import { CELL, type PacketAtlas } from './packetAtlas.ts';
import { centre, type Layout, type Box } from './layout.ts';
import { label } from './text.ts';
import { labelSpot, obstaclesOf } from './labelSpots.ts';

interface Path {
  ax: number;
  ay: number;
  dx: number;
  dy: number;
  /** Unit vector along the path. */
  ux: number;
  uy: number;
}

/** Where a segment from the centre of `b` towards (tx, ty) leaves the box. */
function edgePoint(b: Box, tx: number, ty: number): { x: number; y: number } {
  const c = centre(b);
  const dx = tx - c.x;
  const dy = ty - c.y;
  if (dx === 0 && dy === 0) return c;
  const sx = dx === 0 ? Infinity : b.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

export class PacketLayer {
  readonly root = new Container();
  private readonly particles: ParticleContainer;
  private readonly pool: Particle[] = [];
  private readonly paths = new Map<string, Path | null>();
  /** Paths by the player's pair number (for the current trace). */
  private readonly pairPaths: (Path | null | undefined)[] = [];
  private readonly ring: Sprite;
  private readonly selectedRing: Sprite;
  private readonly caption: Text;
  /** Positions of the packets drawn last, for hit testing: x, y per packet. */
  private positions = new Float32Array(0);
  private readonly drawn: PacketView[] = [];
  /** What the caption keeps off: boxes, titles, chips. */
  private readonly obstacles: Box[];

  constructor(
    private readonly layout: Layout,
    private readonly atlas: PacketAtlas,
  ) {
    this.particles = new ParticleContainer({
      texture: atlas.base,
      dynamicProperties: { position: true, uvs: true, vertex: false, rotation: false, color: false },
      boundsArea: new Rectangle(-1e5, -1e5, 2e5, 2e5),
    });
    this.ring = new Sprite(atlas.ring);
    this.ring.anchor.set(0.5);
    this.ring.scale.set(1.5);
    this.selectedRing = new Sprite(atlas.ring);
    this.selectedRing.anchor.set(0.5);
    this.selectedRing.scale.set(1.9);
    this.selectedRing.tint = COLOURS.selected;
    this.caption = label('', { fontSize: 11, fill: COLOURS.text, stroke: { color: 0xffffff, width: 4 } });
    this.obstacles = obstaclesOf(layout);
    this.root.addChild(this.particles, this.ring, this.selectedRing, this.caption);
  }

  private pathOf(from: NodeId, to: NodeId): Path | null {
    const key = `${from}>${to}`;
    let p = this.paths.get(key);
    if (p !== undefined) return p;
    const a = this.layout.nodes.get(from);
    const b = this.layout.nodes.get(to);
    p = null;
    if (a && b) {
      const ca = centre(a);
      const cb = centre(b);
      let start = edgePoint(a, cb.x, cb.y);
      let end = edgePoint(b, ca.x, ca.y);
      // An app and its own sidecar sit side by side: cross both boxes so the hop shows.
      if (Math.hypot(end.x - start.x, end.y - start.y) < 30) {
        start = ca;
        end = cb;
      }
      const len = Math.hypot(end.x - start.x, end.y - start.y) || 1;
      const ux = (end.x - start.x) / len;
      const uy = (end.y - start.y) / len;
      // Keep right: shift perpendicular to the direction of travel.
      const ox = -uy * 5;
      const oy = ux * 5;
      p = { ax: start.x + ox, ay: start.y + oy, dx: end.x - start.x, dy: end.y - start.y, ux, uy };
    }
    this.paths.set(key, p);
    return p;
  }

  /** Places every packet; `motion: false` holds each one at the middle of its link. */
  update(packets: readonly PacketView[], motion: boolean, highlightSeq: number | null, selectedSeq: number | null): void {
    const pool = this.pool;
    const children = this.particles.particleChildren;
    if (this.positions.length < packets.length * 2) this.positions = new Float32Array(packets.length * 4);
    let n = 0;
    this.drawn.length = 0;
    this.ring.visible = false;
    this.selectedRing.visible = false;
    this.caption.visible = false;
    for (const p of packets) {
      let path = this.pairPaths[p.pair];
      if (path === undefined) path = this.pairPaths[p.pair] = this.pathOf(p.from, p.to);
      if (!path) continue;
      const t = motion ? p.progress : 0.5;
      const back = p.lane * (CELL * 0.55);
      const x = path.ax + path.dx * t - path.ux * back;
      const y = path.ay + path.dy * t - path.uy * back;
      const texture = this.atlas.frame(lookOf(p).shape, p.mtls);
      let particle = pool[n];
      if (!particle) pool.push((particle = new Particle({ texture, anchorX: 0.5, anchorY: 0.5 })));
      if (particle.texture !== texture) particle.texture = texture;
      particle.x = x;
      particle.y = y;
      children[n] = particle;
      this.positions[n * 2] = x;
      this.positions[n * 2 + 1] = y;
      if (p.seq === highlightSeq || p.seq === selectedSeq) {
        const ring = p.seq === selectedSeq ? this.selectedRing : this.ring;
        ring.visible = true;
        ring.position.set(x, y);
        this.caption.visible = true;
        this.caption.text = `${p.label}${p.attempt && p.attempt > 1 ? ` (attempt ${p.attempt})` : ''}${p.mtls ? ' · mTLS' : ''}`;
        const spot = labelSpot(this.obstacles, x, y, this.caption.width, this.caption.height);
        this.caption.position.set(spot.x, spot.y);
      }
      this.drawn.push(p);
      n++;
    }
    if (children.length !== n) children.length = n;
    this.particles.update();
  }

  /** The packet drawn nearest to world point (x, y), within `radius`. */
  hit(x: number, y: number, radius: number): PacketView | null {
    let best: PacketView | null = null;
    let bestD = radius * radius;
    for (let i = 0; i < this.drawn.length; i++) {
      const dx = this.positions[i * 2]! - x;
      const dy = this.positions[i * 2 + 1]! - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = this.drawn[i]!;
      }
    }
    return best;
  }

  /** World positions of the packets drawn last. */
  drawnPackets(): { packet: PacketView; x: number; y: number }[] {
    return this.drawn.map((packet, i) => ({ packet, x: this.positions[i * 2]!, y: this.positions[i * 2 + 1]! }));
  }
}
