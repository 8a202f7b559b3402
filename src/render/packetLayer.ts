/**
 * Packets in flight: particles that share the one atlas texture, placed along the line between
 * their nodes by the player's progress. Traffic keeps to the right of its direction so a request
 * and its response never overlap, and packets that left together queue one behind the other.
 * The highlighted (current step) and selected packets are drawn again above the links' tags, with
 * a ring and a caption (packetFocus.ts).
 */
import { Container, Particle, ParticleContainer, Rectangle, type Texture } from 'pixi.js';
import { packetView, type NodeId, type PacketFrame, type PacketView, type Timeline } from '../player/index.ts';
import { lookOf } from './palette.ts';
import type { PacketAtlas } from './packetAtlas.ts';
import type { Box, Layout } from './layout.ts';
import { obstaclesOf } from './labelSpots.ts';
import { PacketFocus } from './packetFocus.ts';
import { OFF, PacketSlots } from './packetSlots.ts';
import { HOP_SLACK, QUEUE_GAP, SHAPE_R, isUnder, pathBetween, placeOnBent, type Path } from './packetPaths.ts';

/** How a flight is drawn: along its link's path, with its texture frame; `seq`, its event's. */
interface Look {
  path: Path;
  texture: Texture;
  seq: number;
}

/** The most packets a callout keeps off. */
const KEEP_CLEAR_PACKETS = 64;
/** Where a packet on a bent link stands (placeOnBent writes it): one pair for every packet, not one each. */
const BENT = new Float64Array(2);

export class PacketLayer {
  readonly root = new Container();
  /**
   * The current step's and the selected packet again, their rings and the caption, drawn above the
   * links' tags (MeshView: root, the tags, then this): the other packets go under the tags, whose
   * words stay readable; the packet a step is about stays in sight.
   */
  readonly above: Container;
  private readonly focus: PacketFocus;
  private readonly particles: ParticleContainer;
  /** Each flight's particle, kept while it flies (packetSlots.ts). */
  private readonly slots: PacketSlots<Texture, Particle>;
  private readonly paths = new Map<string, Path | null>();
  /** Paths by the player's pair number (for the current trace). */
  private readonly pairPaths: (Path | null | undefined)[] = [];
  /** The seqs of the current step's and the selected packet at the last update. */
  private focusSeqs: [number | null, number | null] = [null, null];
  /** Positions of the packets drawn last, for hit testing: x, y per packet. */
  private positions = new Float32Array(0);
  /** What a link bends around: the boxes and the words of the still scene (packetPaths.ts). */
  private readonly still: Box[];
  /** The packets drawn last (their flight, progress and lane), to make the one hit into an object. */
  private drawnFlight = new Int32Array(0);
  private drawnProgress = new Float64Array(0);
  private drawnLane = new Int32Array(0);
  /**
   * Per link (the player's pair number), for packets queued on it this frame: the frame's stamp,
   * how far along the last one on the link is, how many wait beside its start and how far from it the first of them.
   */
  private queueStamp = new Int32Array(0);
  private queueAlong = new Float64Array(0);
  private queueBeside = new Int32Array(0);
  private queueBase = new Float64Array(0);
  private frameStamp = 0;
  private drawnCount = 0;
  private drawnTimeline: Timeline | null = null;
  /** Each flight's look worked out so far: its path, texture and seq (see {@link lookIds}). */
  private looks: Look[] = [];
  /** By flight (index into the timeline's flights): 1 + its index in {@link looks}, -1 when it is not drawn, 0 not known yet. */
  private lookIds = new Int32Array(0);

  /**
   * `words`: what the still scene writes beyond the layout's boxes and titles (the pipes' labels): the caption keeps off them too;
   * `counted`: the services whose header has a counter line (packetFocus.ts).
   */
  constructor(
    private readonly layout: Layout,
    private readonly atlas: PacketAtlas,
    words: readonly Box[] = [],
    counted: ReadonlySet<string> | null = null,
  ) {
    this.particles = new ParticleContainer({
      texture: atlas.base,
      // A particle's texture frame is static: uploaded when a slot's changes (packetSlots.ts).
      dynamicProperties: { position: true, uvs: false, vertex: false, rotation: false, color: false },
      boundsArea: new Rectangle(-1e5, -1e5, 2e5, 2e5),
    });
    const particles = this.particles;
    this.slots = new PacketSlots(
      particles.particleChildren as Particle[],
      (texture) => new Particle({ texture, anchorX: 0.5, anchorY: 0.5 }),
      () => particles.update(),
    );
    this.still = [...obstaclesOf(layout), ...words];
    this.focus = new PacketFocus(layout, atlas, words, counted);
    this.above = this.focus.root;
    this.root.addChild(this.particles);
  }

  private pathOf(from: NodeId, to: NodeId): Path | null {
    const key = `${from}>${to}`;
    let p = this.paths.get(key);
    if (p === undefined) this.paths.set(key, (p = pathBetween(this.layout, this.still, from, to)));
    return p;
  }

  /** Works out the look of flight `flight`, packet `k` of `packets`: its id in {@link lookIds}. */
  private lookUp(packets: PacketFrame, k: number, flight: number): number {
    const f = packets.event(k);
    const pair = packets.timeline.flightPairs[flight]!;
    let path = this.pairPaths[pair];
    if (path === undefined) path = this.pairPaths[pair] = this.pathOf(f.from, f.to);
    if (path) this.looks.push({ path, texture: this.atlas.frame(lookOf(f).shape, f.mtls === true), seq: f.seq });
    return (this.lookIds[flight] = path ? this.looks.length : -1);
  }

  /** Keeps the packets' captions off the links' tags and the badges too (their versions say when they moved). */
  keepOff(tags: { readonly version: number; drawn(): readonly Box[] }, badges: { readonly version: number; drawn(): readonly Box[] }): void {
    this.focus.keepOff(tags, badges);
  }

  /** Places every packet; `motion: false` holds each one at the middle of its link. Allocates nothing per packet. */
  update(packets: PacketFrame, motion: boolean, highlightSeq: number | null, selectedSeq: number | null): void {
    const count = packets.length;
    this.focusSeqs = [highlightSeq, selectedSeq];
    if (this.drawnFlight.length < count) {
      const size = Math.max(count, this.drawnFlight.length * 2, 64);
      this.positions = new Float32Array(size * 2);
      this.drawnFlight = new Int32Array(size);
      this.drawnProgress = new Float64Array(size);
      this.drawnLane = new Int32Array(size);
    }
    const timeline = packets.timeline;
    if (this.drawnTimeline !== timeline) {
      this.drawnTimeline = timeline;
      this.looks = [];
      this.lookIds = new Int32Array(timeline.flightSeqs.length);
      this.focus.reset();
      let pairs = 0;
      for (const p of timeline.flightPairs) if (p >= pairs) pairs = p + 1;
      this.queueStamp = new Int32Array(pairs);
      this.queueAlong = new Float64Array(pairs);
      this.queueBeside = new Int32Array(pairs);
      this.queueBase = new Float64Array(pairs);
      this.slots.reset(timeline.flightSeqs.length);
    }
    const stamp = ++this.frameStamp;
    const looks = this.looks;
    const lookIds = this.lookIds;
    // Read once, not per packet: the frame's columns, the timeline's pairs, the queues per link, the drawn packets' columns.
    const flights = packets.flight;
    const progresses = packets.progress;
    const lanes = packets.lane;
    const flightPairs = timeline.flightPairs;
    const queueStamp = this.queueStamp;
    const queueAlong = this.queueAlong;
    const queueBeside = this.queueBeside;
    const queueBase = this.queueBase;
    const positions = this.positions;
    const drawnFlight = this.drawnFlight;
    const drawnProgress = this.drawnProgress;
    const drawnLane = this.drawnLane;
    const slots = this.slots;
    slots.begin();
    this.focus.begin();
    let n = 0;
    for (let k = 0; k < count; k++) {
      const flight = flights[k]!;
      // A flight's path and texture stay the same while it flies: worked out once.
      let look = lookIds[flight]!;
      if (look === 0) look = this.lookUp(packets, k, flight);
      if (look < 0) continue;
      const { path, texture, seq } = looks[look - 1]!;
      const pair = flightPairs[flight]!;
      const progress = progresses[k]!;
      const lane = lanes[k]!;
      const t = motion ? progress : 0.5;
      let along = 0;
      let aside = 0;
      if (path.short) {
        // Queued on a short hop: along it, a whole packet apart so each is seen (circuit-breaking-pool's
        // two 503s from fortio-0's sidecar at 1.5 s), behind the first as far as its start (past the
        // box's caption), then ahead of it as far as its end; past that, beside the first, one side then
        // the other. Beside it they stood on the card's title and its chips (circuit-breaking-pool under
        // Linkerd at 1.51 s, three GETs from httpbin-0's sidecar: over "httpbin-0", "config v0" and "ready").
        // A hop's ends lie a packet's reach past the captions, its shape's radius less: that slack is room too.
        // Beside it, on the spots that keep off the card's title and chips (queueSpots.ts hopSpots, every
        // half packet): above the first, the third GET's ring lay on "httpbin-0" (the same at 1.5 s); above
        // the second, its caption found no room; between them, both are clear. Past the spots, as before.
        const behind = Math.floor((t * path.len + HOP_SLACK) / QUEUE_GAP);
        const ahead = Math.floor(((1 - t) * path.len + HOP_SLACK) / QUEUE_GAP);
        if (lane <= behind) along = lane * QUEUE_GAP;
        else if (lane <= behind + ahead) along = (behind - lane) * QUEUE_GAP;
        else {
          const past = lane - behind - ahead;
          if (past <= path.seats) {
            along = t * path.len - (path.beside[2 * past - 2]! * QUEUE_GAP) / 2;
            aside = path.beside[2 * past - 1]! * QUEUE_GAP;
          } else aside = Math.ceil(past / 2) * (past % 2 ? -1 : 1) * QUEUE_GAP;
        }
      } else {
        // On a link, a packet less than a whole packet from the one drawn before it on the same
        // link queues behind it: packets that left together (a lane each), and packets sent a
        // moment apart on a link the warp plays slowly (hello-mesh's six server-flight messages
        // under Linkerd, 70 ms of show time apart over 787 ms: 10 px, one under the next).
        // Packets come in the order they left (flight order), so the one drawn before is ahead.
        // Not back into the box they left (CSRs and discovery requests leaving a proxy at once,
        // istiod's answers to them): with no room left on the link they wait beside its start, a
        // whole packet from the one before, on the free spots (queueSpots.ts); past them, further along.
        let d = t * path.len;
        if (queueStamp[pair] !== stamp) {
          queueStamp[pair] = stamp;
          queueBeside[pair] = 0;
        } else {
          const ahead = queueAlong[pair]!;
          const beside = queueBeside[pair]!;
          if (beside > 0 || d > ahead - QUEUE_GAP) d = ahead - QUEUE_GAP;
          if (d < 0) {
            // The first on each side clears the last one on the link (0 to a packet along) and the other side's.
            if (beside === 0) queueBase[pair] = Math.max(Math.sqrt(QUEUE_GAP * QUEUE_GAP - ahead * ahead), QUEUE_GAP / 2);
            if (beside < path.seats) {
              // The spot's (along, aside) in packets.
              const spotAlong = path.beside[2 * beside]!;
              const side = path.beside[2 * beside + 1]!;
              aside = Math.sign(side) * (spotAlong === 0 ? queueBase[pair]! + (Math.abs(side) - 1) * QUEUE_GAP : Math.abs(side) * QUEUE_GAP);
              d = spotAlong * QUEUE_GAP;
            } else {
              // Past the spots, beside the link further along, one side then the other (before, they
              // all stood on the last spot); only a link full of them along its length shares a spot.
              const past = beside - path.seats;
              aside = (past & 1 ? -1 : 1) * QUEUE_GAP;
              d = (path.pastFrom + ((past >> 1) % path.pastSpan)) * QUEUE_GAP;
            }
            queueBeside[pair] = beside + 1;
          }
        }
        if (aside === 0) queueAlong[pair] = d;
        along = t * path.len - d;
      }
      let x: number;
      let y: number;
      if (path.bends) {
        // A link bent around boxes: along its polyline (a look-up in its table of corners).
        placeOnBent(path, t * path.len - along, aside, BENT);
        x = BENT[0]!;
        y = BENT[1]!;
      } else {
        x = path.ax + path.dx * t - path.ux * along - path.uy * aside;
        y = path.ay + path.dy * t - path.uy * along + path.ux * aside;
      }
      const focus = seq === highlightSeq || seq === selectedSeq;
      // Under a box on its way (not the current step's or the selected packet: those stay in sight):
      // not drawn, its particle kept off the canvas.
      if (!focus && path.under.length && isUnder(path.under, t - along / path.len)) {
        slots.at[0] = slots.at[1] = OFF;
        slots.put(flight, texture);
        continue;
      }
      slots.at[0] = x;
      slots.at[1] = y;
      slots.put(flight, texture);
      positions[n * 2] = x;
      positions[n * 2 + 1] = y;
      drawnFlight[n] = flight;
      drawnProgress[n] = progress;
      drawnLane[n] = lane;
      if (focus) {
        const f = packets.event(k);
        this.focus.show(f, f.seq === selectedSeq, x, y, texture, n);
      }
      n++;
    }
    slots.end();
    this.focus.end(positions, n);
    this.drawnCount = n;
  }

  /** Drawn packet `i` as an object of its own. */
  private drawnPacket(i: number): PacketView {
    return packetView(this.drawnTimeline!, this.drawnFlight[i]!, this.drawnProgress[i]!, this.drawnLane[i]!);
  }

  /** The packet drawn nearest to world point (x, y), within `radius`. */
  hit(x: number, y: number, radius: number): PacketView | null {
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < this.drawnCount; i++) {
      const dx = this.positions[i * 2]! - x;
      const dy = this.positions[i * 2 + 1]! - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best < 0 ? null : this.drawnPacket(best);
  }

  /**
   * What a callout placed now keeps off (world coordinates): the current step's and the selected
   * packet with their ring, the caption, and the packets in flight (the first
   * {@link KEEP_CLEAR_PACKETS}: a storm's thousands would only slow the search for a spot).
   */
  keepClear(): Box[] {
    const out: Box[] = [];
    for (let i = 0; i < Math.min(this.drawnCount, KEEP_CLEAR_PACKETS); i++)
      out.push({ x: this.positions[i * 2]! - SHAPE_R, y: this.positions[i * 2 + 1]! - SHAPE_R, w: 2 * SHAPE_R, h: 2 * SHAPE_R });
    out.push(...this.focusDrawn());
    return out;
  }

  /** The current step's and the selected packet's rings and the caption, as drawn (world coordinates). */
  focusDrawn(): Box[] {
    return this.focus.drawn();
  }

  /** World positions of the packets drawn last; `focus`: the current step's or the selected packet (drawn above the tags). */
  drawnPackets(): { packet: PacketView; x: number; y: number; focus: boolean }[] {
    return Array.from({ length: this.drawnCount }, (_, i) => {
      const packet = this.drawnPacket(i);
      return { packet, x: this.positions[i * 2]!, y: this.positions[i * 2 + 1]!, focus: this.focusSeqs.includes(packet.seq) };
    });
  }
}
