/**
 * The packets a learner follows: the current step's and the selected packet, drawn again above the
 * links' tags (their particles go under them with the others, packetLayer.ts), each with its ring,
 * and the caption that names the packet, placed beside it off the words of the picture
 * (labelSpots.ts).
 */
import { Container, Sprite, type Text, type Texture } from 'pixi.js';
import { COLOURS } from './palette.ts';
import { PACKET_INK_R, type PacketAtlas } from './packetAtlas.ts';
import type { Box, Layout } from './layout.ts';
import { label } from './text.ts';
import { wrapRows } from './wrapRows.ts';
import { bodiesOf, frameLines, labelSpot, outlines, wordsOf } from './labelSpots.ts';

/**
 * A caption longer than this many characters (an xDS or destination lookup naming its resources,
 * an endpoint list) is wrapped in rows of {@link CAPTION_ROW}: on one row it ran across the
 * neighbouring card's title and chips.
 */
const CAPTION_ONE_ROW = 36;
const CAPTION_ROW = 24;

/**
 * How far a caption's spot lies from its packet at most, past the caption's own size (labelSpots.ts:
 * three rows above, or a spot nudged off a line, is 45 units from it at most): a packet drawn
 * further than this and its shape's reach from it, either way, lies under no spot and is not weighed.
 */
const SPOT_REACH = 45;
/**
 * More packets than this near a caption are a crowd every spot covers some of: they are not weighed
 * (each is weighed at each of the ~55 spots labelSpot tries, every frame: with 2,000 packets in
 * flight hundreds lay near the caption, and a frame cost 6.7 times a bare page's, 1.5 without them).
 */
const CROWD = 16;

/** What a caption says of its packet's flight. */
interface Flight {
  seq: number;
  label: string;
  attempt?: number;
  mtls?: boolean;
}

/** A caption's words: the packet's label, its attempt past the first, and whether it travels inside mTLS. */
const captionOf = (f: Flight): string => `${f.label}${f.attempt && f.attempt > 1 ? ` (attempt ${f.attempt})` : ''}${f.mtls ? ' · mTLS' : ''}`;

export class PacketFocus {
  /** The rings, the two packets and the caption (MeshView: drawn above the links' tags). */
  readonly root = new Container();
  private readonly ring: Sprite;
  private readonly selectedRing: Sprite;
  private readonly stepPacket: Sprite;
  private readonly selectedPacket: Sprite;
  private readonly caption: Text;
  /**
   * The words of the still scene and the frames' level lines, which a caption keeps off (the boxes
   * weigh less: labelSpots.ts); past the first {@link still}, this frame's packets in flight near the caption's.
   */
  private readonly obstacles: Box[];
  private readonly still: number;
  /** Boxes of packets in flight, reused frame to frame (a caption moves every frame: no garbage). */
  private readonly packetBoxes: Box[] = [];
  /** What a caption may cover as empty: the boxes and the cards' title rows past their words (labelSpots.ts bodiesOf). */
  private readonly bodies: Box[];
  private readonly lines: Box[];
  /** The badge lists and the links' tags drawn: a caption keeps off them most of all (labelSpots.ts). */
  private badges: readonly Box[] = [];
  private keptOff = [-1, -1];
  /** The focused packet's caption, made when the focus moves to another packet (its words, wrapped, and its size). */
  private captionSeq = -1;
  private captionW = 0;
  private captionH = 0;
  /** Where the caption's packet is drawn this frame, and its place in the frame's drawn packets (placed by {@link end}). */
  private captionX = 0;
  private captionY = 0;
  private captionAt = -1;
  /** What this frame showed so far ({@link begin} clears it, {@link end} shows or hides each once). */
  private ringShown = false;
  private selectedShown = false;

  /**
   * `words`: what the still scene writes beyond the layout's boxes and titles (the pipes' labels): the caption keeps off them too;
   * `counted`: the services whose header has a counter line (all of them when not told).
   */
  constructor(
    private readonly layout: Layout,
    atlas: PacketAtlas,
    words: readonly Box[] = [],
    counted: ReadonlySet<string> | null = null,
  ) {
    this.ring = new Sprite(atlas.ring);
    this.ring.anchor.set(0.5);
    this.ring.scale.set(1.5);
    this.selectedRing = new Sprite(atlas.ring);
    this.selectedRing.anchor.set(0.5);
    this.selectedRing.scale.set(1.9);
    this.selectedRing.tint = COLOURS.selected;
    this.caption = label('', { fontSize: 11, fill: COLOURS.text, stroke: { color: 0xffffff, width: 4 } });
    this.obstacles = [...wordsOf(layout, counted), ...frameLines(layout), ...words];
    this.still = this.obstacles.length;
    this.bodies = bodiesOf(layout);
    this.lines = outlines(layout);
    // Hidden until a frame places them: a picture drawn before the player's first view (a long
    // run's picture at 0 s, App.open) showed both rings at the world's origin.
    this.stepPacket = new Sprite(atlas.ring);
    this.selectedPacket = new Sprite(atlas.ring);
    for (const p of [this.stepPacket, this.selectedPacket]) p.anchor.set(0.5);
    this.ring.visible = this.selectedRing.visible = this.caption.visible = this.stepPacket.visible = this.selectedPacket.visible = false;
    this.root.addChild(this.stepPacket, this.selectedPacket, this.ring, this.selectedRing, this.caption);
  }

  /** Keeps the caption off the links' tags and the badges too (their versions say when they moved). */
  keepOff(tags: { readonly version: number; drawn(): readonly Box[] }, badges: { readonly version: number; drawn(): readonly Box[] }): void {
    if (tags.version === this.keptOff[0] && badges.version === this.keptOff[1]) return;
    this.keptOff = [tags.version, badges.version];
    // A tag is words on a plate, as a list is: a caption keeps off both alike (timeouts under
    // ambient at 6.1 s: "GET /ratings/0 · mTLS" below the ztunnel pipe covered the end of its "5/s · 50%").
    this.badges = [...badges.drawn(), ...tags.drawn()];
  }

  /** A new trace: its packets' captions are made anew. */
  reset(): void {
    this.captionSeq = -1;
  }

  /** A frame begins: nothing is shown until {@link show} places it. */
  begin(): void {
    this.ringShown = this.selectedShown = false;
  }

  /**
   * Shows packet `f` (the selected one, or the current step's) at (x, y) with its ring, and its
   * caption beside it ({@link end} places it); `drawn`: its place among the frame's drawn packets.
   */
  show(f: Flight, selected: boolean, x: number, y: number, texture: Texture, drawn: number): void {
    const ring = selected ? this.selectedRing : this.ring;
    const packet = selected ? this.selectedPacket : this.stepPacket;
    if (selected) this.selectedShown = true;
    else this.ringShown = true;
    ring.position.set(x, y);
    packet.position.set(x, y);
    if (packet.texture !== texture) packet.texture = texture;
    if (f.seq !== this.captionSeq) {
      this.captionSeq = f.seq;
      const caption = captionOf(f);
      this.caption.text = caption.length > CAPTION_ONE_ROW ? wrapRows(caption, CAPTION_ROW) : caption;
      this.captionW = this.caption.width;
      this.captionH = this.caption.height;
    }
    this.captionX = x;
    this.captionY = y;
    this.captionAt = drawn;
  }

  /**
   * The frame is placed (`positions`: the `count` packets drawn, x and y in turn): places the caption
   * off the other packets near its own as off words — over them it hid the requests a lesson is
   * about (circuit-breaking-pool under Linkerd at 1.5 s: "GET /get" on two of the GETs queued
   * between httpbin-0's sidecar and its app). Then shows what the frame showed and hides the rest,
   * each once (toggling a sprite's visibility off and on again every frame makes pixi rebuild the
   * stage's render instructions every frame).
   */
  end(positions: ArrayLike<number>, count: number): void {
    const shown = this.ringShown || this.selectedShown;
    if (shown) {
      const { obstacles, packetBoxes, captionX: x, captionY: y } = this;
      const reachX = this.captionW + SPOT_REACH + PACKET_INK_R;
      const reachY = this.captionH + SPOT_REACH + PACKET_INK_R;
      obstacles.length = this.still;
      let k = 0;
      for (let i = 0; i < count; i++) {
        if (i === this.captionAt) continue;
        const px = positions[2 * i]!;
        const py = positions[2 * i + 1]!;
        if (Math.abs(px - x) > reachX || Math.abs(py - y) > reachY) continue;
        // Its shape as drawn, not its cell: a caption by its edge hides none of it.
        const box = (packetBoxes[k++] ??= { x: 0, y: 0, w: 2 * PACKET_INK_R, h: 2 * PACKET_INK_R });
        box.x = px - PACKET_INK_R;
        box.y = py - PACKET_INK_R;
        obstacles.push(box);
        if (k > CROWD) break;
      }
      if (k > CROWD) obstacles.length = this.still;
      // Kept on the drawing (each spot moved in before it is weighed): a long caption (an xDS
      // discovery's resource names) beside a box at its edge would reach past the fitted picture, off the canvas.
      const spot = labelSpot(obstacles, x, y, this.captionW, this.captionH, undefined, this.badges, this.layout.bounds, this.bodies, this.lines);
      this.caption.position.set(spot.x, spot.y);
    }
    this.ring.visible = this.stepPacket.visible = this.ringShown;
    this.selectedRing.visible = this.selectedPacket.visible = this.selectedShown;
    this.caption.visible = shown;
  }

  /** The current step's and the selected packet's rings and the caption, as drawn (world coordinates). */
  drawn(): Box[] {
    const out: Box[] = [];
    for (const ring of [this.ring, this.selectedRing])
      if (ring.visible) out.push({ x: ring.x - ring.width / 2, y: ring.y - ring.height / 2, w: ring.width, h: ring.height });
    if (this.caption.visible) out.push({ x: this.caption.x, y: this.caption.y, w: this.caption.width, h: this.caption.height });
    return out;
  }
}
