/**
 * Narration beside its event: each narration line current at the cursor is drawn as a callout
 * next to the node it is about, with a leader to the node's box, for as long as its event is
 * current (the player decides that: see player/narrationSpans.ts). Callouts live in screen space,
 * above the picture: they keep their size whatever the zoom (readable in compare mode's small
 * panes too), and follow the node when the camera moves. Each takes the spot beside its node that
 * covers least of what is written on the picture (box captions, pod titles and chips, service
 * headers, the cluster's, bands' and control plane's titles, badges and link tags), of the pods'
 * cards and of the other callouts; when every spot beside it covers something, a free spot
 * further away, with its leader. Lines about no node (the scene at 0 s) are not drawn here: the
 * narration panel shows them.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { NarrationNow, NodeId } from '../player/index.ts';
import type { Camera } from './camera.ts';
import { segmentCrosses, type Box } from './geometry.ts';
import type { Layout } from './layoutTypes.ts';
import { obstaclesOf } from './labelSpots.ts';
import { CLUSTER_TITLE } from './controlPlanePlace.ts';
import { FONT } from './layoutTypes.ts';
import { textWidth } from './textMetrics.ts';
import { COLOURS } from './palette.ts';
import { label } from './text.ts';

/** The widest a callout gets, CSS px. */
const CALLOUT_MAX_W = 300;
/** Its font size, CSS px (above the picture's smallest, 11). */
const CALLOUT_FONT = 12;
const PAD = 8;
/** Room kept between a callout and its node's box, and the canvas's edges. */
const GAP = 14;
const MARGIN = 6;
/**
 * Room a callout keeps clear of what is written and of the cards, CSS px: one touching a card's
 * edge reads as lying on it (config-push under OSM at 2 s, the free spot found on the canvas
 * touched frontend-1's card bottom edge once a fit kept a margin).
 */
const CLEAR = 3;
/** The step of the search for a free spot over the whole canvas, CSS px. */
const GRID = 12;
/** The most of a line a callout with no room shows. */
const OPENING_CHARS = 28;
/** The wrap width of the opening words in a narrow column, CSS px. */
const NARROW_WRAP = 96;
/**
 * The forms a callout tries, in order: [compact, narrow, slim]. Slim: the opening words on one line
 * with less padding above and below, for a gap between two rows of the picture that a compact one
 * overfills (config-push in compare at 2 s: under Linkerd's destination, between the control plane
 * and the services' headers, 26 px; nothing nearer was free and the callout went 240 px away).
 */
const FORMS: readonly (readonly [boolean, boolean, boolean])[] = [
  [false, false, false],
  [true, false, false],
  [true, true, false],
  [true, false, true],
];
/** The share of its canvas past which a whole callout that covers something gives way to a shorter form covering less. */
const CROWDED_SHARE = 0.15;
/** A slim callout's padding above and below its line, CSS px. */
const SLIM_PAD = 1;

/** A callout as drawn, in CSS px relative to the canvas (for tests and embedders). */
export interface CalloutOnScreen {
  node: NodeId;
  seqs: number[];
  /** The line(s) it stands for. */
  text: string;
  /** What it shows: the whole text, or its opening words where no spot near the node is free. */
  shown: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Callout {
  node: NodeId;
  seqs: number[];
  /** The whole text (the callout may show only its opening: {@link NarrationLayer.setForm}). */
  full: string;
  compact: boolean;
  /** The opening words wrapped in a narrow column. */
  narrow: boolean;
  /** The opening words with less padding above and below. */
  slim: boolean;
  root: Container;
  frame: Graphics;
  text: Text;
  w: number;
  h: number;
  x: number;
  y: number;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** What is written on the picture, in world coordinates: what a callout should keep off. */
function writtenOn(layout: Layout): Box[] {
  // With the titles of the cluster and of each band as wide as their words (the room kept for
  // them reaches 190 units, however short they are: strict-vs-permissive in compare at 3 s, every
  // spot beside Linkerd's destination covered the empty end of "Kubernetes cluster"'s row, and the
  // callout went to the pane's far corner), and the control plane's (with its state chip).
  const cpTitle = layout.controlPlane ? layout.titles[layout.titles.length - 1] : null;
  const out = obstaclesOf(layout).filter((b) => b === cpTitle || !layout.titles.includes(b));
  const { cluster } = layout;
  out.push({ x: cluster.x + 12, y: cluster.y + 5, w: textWidth(CLUSTER_TITLE, FONT.title, true), h: FONT.title + 4 });
  for (const b of layout.bands) out.push({ x: b.x + 8, y: b.y + 3, w: textWidth(b.label, FONT.text), h: FONT.text + 4 });
  // A card's state chip right of its title.
  for (const p of layout.pods) if (p.status) out.push({ x: p.status.x - 100, y: p.status.y, w: 100, h: 18 });
  if (layout.outside) out.push({ x: layout.outside.x, y: layout.outside.y, w: 140, h: 18 });
  // The pods' cards whole: a callout over one hides the state it shows (its boxes' fill, its
  // sidecar, its packets) — where every spot covers one, the callout takes its narrower forms.
  out.push(...layout.pods);
  return out;
}

/** A line's opening words, for a callout with no room: up to {@link OPENING_CHARS} characters, cut at a word, and "…" (the narration panel shows it whole). */
function opening(text: string): string {
  const first = text.split('\n')[0]!;
  if (first.length <= OPENING_CHARS && first === text) return text;
  const cut = first.length <= OPENING_CHARS ? first : first.slice(0, first.lastIndexOf(' ', OPENING_CHARS));
  return `${cut.replace(/[\s,;:—-]+$/, '')} …`;
}

export class NarrationLayer {
  /** Drawn on the stage (screen space), above the world. */
  readonly root = new Container();
  private readonly leaders = new Graphics();
  private callouts: Callout[] = [];
  private key = '';
  private obstacles: Box[];

  /** The wrap width the callouts were made for (they are made again when the canvas's width changes it). */
  private wrap = 0;
  private lines: readonly NarrationNow[] = [];

  /** `extra`: more of what is written on the picture, in world coordinates (the links' rate tags). */
  constructor(
    private readonly layout: Layout,
    private readonly camera: Camera,
    private readonly screen: () => { width: number; height: number },
    private readonly extra: () => readonly Box[] = () => [],
  ) {
    this.obstacles = writtenOn(layout);
    this.root.label = 'narration';
    this.root.addChild(this.leaders);
  }

  /** Shows the lines current now (one callout per node; lines of one node in one callout). Returns whether anything changed. */
  update(lines: readonly NarrationNow[]): boolean {
    const byNode = new Map<NodeId, NarrationNow[]>();
    for (const n of lines) if (n.node !== undefined && this.layout.nodes.has(n.node)) (byNode.get(n.node) ?? byNode.set(n.node, []).get(n.node)!).push(n);
    const key = [...byNode].map(([node, list]) => `${node}:${list.map((l) => l.seq).join('+')}`).join('|');
    if (key === this.key) return false;
    this.key = key;
    this.lines = lines;
    this.remake(byNode);
    return true;
  }

  private wrapWidth(): number {
    return Math.min(CALLOUT_MAX_W, Math.max(140, this.screen().width - 2 * MARGIN - 2 * PAD));
  }

  private remake(byNode: Map<NodeId, NarrationNow[]>): void {
    for (const c of this.callouts) c.root.destroy({ children: true });
    this.wrap = this.wrapWidth();
    this.callouts = [...byNode].map(([node, list]) => this.make(node, list));
    this.place();
  }

  private make(node: NodeId, list: readonly NarrationNow[]): Callout {
    const full = list.map((l) => l.text.trim()).join('\n\n');
    const text = label(full, { fontSize: CALLOUT_FONT, fill: COLOURS.text, lineHeight: Math.round(CALLOUT_FONT * 1.35) }, true);
    text.position.set(PAD, PAD);
    const frame = new Graphics();
    const root = new Container();
    root.label = `callout ${node}`;
    root.addChild(frame, text);
    this.root.addChild(root);
    const c: Callout = { node, seqs: list.map((l) => l.seq), full, compact: false, narrow: false, slim: false, root, frame, text, w: 0, h: 0, x: 0, y: 0 };
    this.setForm(c, false, false, false, true);
    return c;
  }

  /**
   * The whole line(s) wrapped, or — where no spot near the node is free of labels (a small compare
   * pane) — its opening words on one line, a pointer to the narration panel, which shows it whole.
   */
  private setForm(c: Callout, compact: boolean, narrow = false, slim = false, force = false): void {
    if (!force && c.compact === compact && c.narrow === narrow && c.slim === slim) return;
    c.compact = compact;
    c.narrow = narrow;
    c.slim = slim;
    const padY = slim ? SLIM_PAD : PAD;
    c.text.position.set(PAD, padY);
    c.text.style.wordWrap = !compact || narrow;
    c.text.style.wordWrapWidth = narrow ? NARROW_WRAP : this.wrap;
    c.text.text = compact ? opening(c.full) : c.full;
    c.w = Math.ceil(c.text.width) + 2 * PAD;
    c.h = Math.ceil(c.text.height) + 2 * padY;
    c.frame
      .clear()
      .roundRect(0, 0, c.w, c.h, 6)
      .fill({ color: 0xffffff, alpha: 0.97 })
      .stroke({ width: 2, color: COLOURS.highlight })
      .rect(0, 3, 4, c.h - 6)
      .fill(COLOURS.highlight);
  }

  /** Puts each callout beside its node (call again when the camera moves). */
  place(): void {
    if (this.callouts.length && this.wrapWidth() !== this.wrap) {
      const byNode = new Map<NodeId, NarrationNow[]>();
      for (const n of this.lines)
        if (n.node !== undefined && this.layout.nodes.has(n.node)) (byNode.get(n.node) ?? byNode.set(n.node, []).get(n.node)!).push(n);
      return this.remake(byNode);
    }
    const g = this.leaders.clear();
    if (!this.callouts.length) return;
    const toScreen = (b: Box): Box => {
      const a = this.camera.toScreen(b.x, b.y);
      const c = this.camera.toScreen(b.x + b.w, b.y + b.h);
      return { x: a.x, y: a.y, w: c.x - a.x, h: c.y - a.y };
    };
    const written = [...this.obstacles, ...this.extra()].map(toScreen);
    // The control plane's card whole, as the pods' (writtenOn), but for a callout of one of its own
    // boxes: mtls-handshake under ambient at 1 s, productpage's callout covered its bottom-left corner.
    const cp = this.layout.controlPlane;
    const withCp = cp ? [...written, toScreen(cp)] : written;
    const taken: Box[] = [];
    for (const c of this.callouts) {
      const node = this.layout.nodes.get(c.node)!;
      const box = toScreen(node);
      const inCp = !!cp && node.x >= cp.x && node.y >= cp.y && node.x + node.w <= cp.x + cp.w && node.y + node.h <= cp.y + cp.h;
      const keepOff = inCp ? written : withCp;
      // Beside the node's pod card (its title and chips stay readable), or the box itself.
      const card = this.layout.pods.find((p) => p.app === node.node.id || p.proxy === node.node.id);
      const a = card ? toScreen(card) : box;
      // The whole line; where it covers something, its opening words on one line, in a narrow
      // column (a gap a line does not fit, in a crowded compare pane), then slim — each beside the
      // node; then anywhere on the canvas, the form whose leader is shortest (a smaller form by
      // more than a gap: config-push in compare at 2 s, the compact form's free spot was 240 px
      // from Linkerd's destination, the slim one's 9 px); else the whole line where it covers least.
      // (Anywhere before the narrow column beside it, config-push in compare at 2 s put Linkerd's
      // destination's callout in the pane's far corner.)
      const cards = this.layout.pods.filter((p) => p !== card).map(toScreen);
      let best = { x: 0, y: 0, cover: Infinity, d: Infinity };
      let form = 0;
      // Each form's best spot beside the node (all four are tried when none is free), and the whole line's area.
      const near: (typeof best)[] = [];
      let wholeArea = 0;
      for (let i = 0; i < FORMS.length && best.cover > 0; i++) {
        this.setForm(c, ...FORMS[(form = i)]!);
        if (i === 0) wholeArea = c.w * c.h;
        best = near[i] = this.spot(c, box, a, keepOff, taken, null);
      }
      if (best.cover > 0)
        for (let i = 0; i < FORMS.length; i++) {
          this.setForm(c, ...FORMS[i]!);
          const far = this.spot(c, box, a, keepOff, taken, cards);
          if (far.cover === 0 && (best.cover > 0 || far.d < best.d - GAP)) [best, form] = [far, i];
        }
      if (best.cover > 0) {
        // The whole line where it covers least — but in a small pane the whole line is a large part
        // of the picture (authorization in five panes at 1400×860: 300×80 px of a 350×270 pane, a
        // quarter of it): there the form that covers least, the whole line where it covers no more.
        const { width, height } = this.screen();
        form = 0;
        if (wholeArea > CROWDED_SHARE * width * height) for (let i = 1; i < near.length; i++) if (near[i]!.cover < near[form]!.cover) form = i;
        best = near[form]!;
      }
      this.setForm(c, ...FORMS[form]!);
      c.x = Math.round(best.x);
      c.y = Math.round(best.y);
      c.root.position.set(c.x, c.y);
      taken.push({ x: c.x, y: c.y, w: c.w, h: c.h });
      // The leader: from the callout's nearest edge point to the node's box.
      const cx = box.x + box.w / 2;
      const cy = box.y + box.h / 2;
      const from = { x: Math.max(c.x, Math.min(cx, c.x + c.w)), y: Math.max(c.y, Math.min(cy, c.y + c.h)) };
      const to = { x: Math.max(box.x, Math.min(from.x, box.x + box.w)), y: Math.max(box.y, Math.min(from.y, box.y + box.h)) };
      if (Math.hypot(to.x - from.x, to.y - from.y) > 2) g.moveTo(from.x, from.y).lineTo(to.x, to.y).stroke({ width: 2, color: COLOURS.highlight });
      g.circle(to.x, to.y, 3.5).fill(COLOURS.highlight);
    }
  }

  /**
   * The best spot for callout `c` of node `box` (on screen; `a` its card): beside the card, the
   * one that covers least; when each covers something and `cards` (the other pods' cards) are
   * given, the spot of the canvas that covers nothing with the shortest leader, one whose leader
   * crosses no card first. `cover`: how much of what is written (or of other callouts) it covers.
   */
  private spot(
    c: Callout,
    box: Box,
    a: Box,
    written: readonly Box[],
    taken: readonly Box[],
    cards: readonly Box[] | null,
  ): { x: number; y: number; cover: number; d: number } {
    const { width, height } = this.screen();
    const cx = box.x + box.w / 2;
    const cy = box.y + box.h / 2;
    const covers = (r: Box): number => {
      const rect = { x: r.x - CLEAR, y: r.y - CLEAR, w: r.w + 2 * CLEAR, h: r.h + 2 * CLEAR };
      let cost = 100 * overlap(rect, box);
      for (const t of taken) cost += 50 * overlap(rect, t);
      for (const o of written) cost += overlap(rect, o);
      return cost;
    };
    const candidates: { x: number; y: number }[] = [];
    for (const gap of [GAP, 3 * GAP]) {
      for (const y of [a.y + a.h / 2 - c.h / 2, a.y, a.y + a.h - c.h]) candidates.push({ x: a.x + a.w + gap, y }, { x: a.x - gap - c.w, y });
      for (const x of [a.x + a.w / 2 - c.w / 2, a.x, a.x + a.w - c.w]) candidates.push({ x, y: a.y + a.h + gap }, { x, y: a.y - gap - c.h });
    }
    let best: { x: number; y: number; cost: number; cover: number } | null = null;
    for (const p of candidates) {
      // Kept inside the canvas (a callout larger than it starts at its top left).
      const x = Math.max(MARGIN, Math.min(p.x, width - MARGIN - c.w));
      const y = Math.max(MARGIN, Math.min(p.y, height - MARGIN - c.h));
      const rect = { x, y, w: c.w, h: c.h };
      // Covering its own node is worst; then other callouts; then what is written on the picture.
      const cover = covers(rect);
      // Its own card a little (better beside it); a spot pushed away from its node by the
      // canvas's edge reads less clearly; among free spots, the nearest to its node.
      const cost = cover + 2 * overlap(rect, a) + Math.hypot(x - p.x, y - p.y) + 0.3 * Math.hypot(x + c.w / 2 - cx, y + c.h / 2 - cy);
      if (!best || cost < best.cost) best = { x, y, cost, cover };
    }
    if (best!.cover === 0 || !cards) return { ...best!, d: 0 };
    // Every spot beside the node covers something (a small pane, a crowded picture): look over
    // the whole canvas for a spot that covers nothing, its leader (drawn as place() draws it) the
    // shortest; across a card, only where no other is free. Its rows: a grid, and each row that
    // just clears the top or bottom of something covered (a gap between two rows of the picture
    // fits a slim callout to a pixel or two: the grid's step steps over it).
    const rows = new Set<number>();
    for (let y = MARGIN; y + c.h <= height - MARGIN; y += GRID) rows.add(y);
    for (const o of [box, ...written, ...taken])
      for (const y of [Math.ceil(o.y + o.h + CLEAR), Math.floor(o.y - CLEAR - c.h)]) if (y >= MARGIN && y + c.h <= height - MARGIN) rows.add(y);
    let near: { x: number; y: number; d: number } | null = null;
    for (const y of rows)
      for (let x = MARGIN; x + c.w <= width - MARGIN; x += GRID) {
        const from = { x: Math.max(x, Math.min(cx, x + c.w)), y: Math.max(y, Math.min(cy, y + c.h)) };
        const to = { x: Math.max(box.x, Math.min(from.x, box.x + box.w)), y: Math.max(box.y, Math.min(from.y, box.y + box.h)) };
        const d = Math.hypot(to.x - from.x, to.y - from.y) + (cards.some((k) => segmentCrosses(from, to, k)) ? 1e4 : 0);
        if ((!near || d < near.d) && covers({ x, y, w: c.w, h: c.h }) === 0) near = { x, y, d };
      }
    return near ? { x: near.x, y: near.y, cover: 0, d: near.d } : { ...best!, d: Infinity };
  }

  /** The callouts as drawn. */
  onScreen(): CalloutOnScreen[] {
    return this.callouts.map((c) => ({ node: c.node, seqs: c.seqs, text: c.full, shown: c.text.text, x: c.x, y: c.y, w: c.w, h: c.h }));
  }

  destroy(): void {
    this.root.destroy({ children: true });
  }
}
