/**
 * Badges: a word with a symbol beside a node for a moment after an outcome (↻ retry, ✕ 503,
 * ◷ timeout, ⊘ denied; glyphs Debian's DejaVu fonts have). Each box gets one list, alike badges
 * merged with a count; the list takes the spot beside its card that covers least of what is
 * written on the picture (titles, chips, boxes, service headers, link tags, other lists) — in a
 * picture spaced tightly, where no spot is free for the whole list, a shorter form of it that has
 * one (badgeForms.ts). They fade out (their words and frame, on an opaque plate), or stay steady
 * with reduced motion.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { BadgeView } from '../player/index.ts';
import type { Box, Layout, NodeBox, PodCard } from './layout.ts';
import { label } from './text.ts';
import type { Camera } from './camera.ts';
import { FRAME_LINE, listSpots, wordsUnder, type ListSpot } from './badgeSpots.ts';
import { STATUS_W, bestSpot, coversWords, overlap, serviceTitles, wordObstacles, type Obstacle } from './freeSpot.ts';
import { badgeForms, type BadgeLine, type BadgeRow } from './badgeForms.ts';

interface BadgeSprite {
  root: Container;
  /** The opaque plate behind the words and frame (which fade): what lies under a list never shows through it. */
  plate: Graphics;
  bg: Graphics;
  text: Text;
  key: string;
  width: number;
}

const ROW_H = 19;
/** How far a list above a card may jut past the card's right edge (less where the canvas ends sooner). */
const JUT = 24;
/** How much further from another service's title than from its own card a list must be (level with the title, a few px further, it reads as that service's). */
const TITLE_MARGIN = 10;
/** The share of a whole list's area over words and the room kept for them (a counter line's) beyond which a shorter form with a free spot is taken instead. */
const WORDS_SHARE = 0.25;
/** A box's list: its rows, its forms (the whole list first), the one placed, and its lines' sprites. */
interface Made {
  box: Box;
  rows: BadgeRow[];
  forms: BadgeLine[][];
  form: number;
  sprites: BadgeSprite[];
}
/**
 * The link tags: the lists keep off them; `version` changes whenever they do. `keepClear`: the
 * tags keep off these boxes (lists' claims) too (EdgeLayer.keepClear).
 */
type Tags = { readonly version: number; tagsDrawn(): readonly Box[]; keepClear?(boxes: readonly Box[]): number };
/** A list's spot (top-left corner, width and height), its form, whether it covers nothing; as a claim, whether a tag could not leave it. */
type Pick = ListSpot & { w: number; h: number; form: number; free: boolean; refused?: true };

export class BadgeLayer {
  readonly root = new Container();
  private readonly pool: BadgeSprite[] = [];
  /** Measures a line's words before it is drawn (a list's spot depends on its width). */
  private readonly ruler = label('', { fontSize: 11, fontWeight: 'bold' });
  private readonly widths = new Map<string, number>();
  private readonly cardOf = new Map<NodeBox, PodCard>();
  /** Parts of node proxies' strips, by strip and pod (stripPart). */
  private readonly parts = new Map<string, Box>();
  /** The pod card over each strip part: a list there is that pod's as much as the proxy's. */
  private readonly partCard = new Map<Box, PodCard>();
  private readonly obstacles: Obstacle[];
  /** Each service's title (its header's words), the region it heads and its name. */
  private readonly titles: { box: Box; region: Box; service: string }[];
  /** The pods' state chips (the strip under the boxes, the one right of the title): what a whole list may not cover on a page's picture. */
  private readonly chips: Box[];
  /** The lists' words and the link tags they were placed for: placed again only when either changes. */
  private placedKey = '';
  private placedTags = -1;
  /** Changes whenever the lists move (what is placed around them reads it). */
  version = 0;
  /**
   * Per list (by its box), its top-left corner, whether its rows are right-aligned, and the form
   * it was placed in (badgeForms.ts: 0, the whole list).
   */
  private spots = new Map<Box, Pick>();
  /** The spots lists took over a link's tag, by list (place()). */
  private readonly claims = new Map<Box, Pick>();
  /** The claims the tags keep off. */
  private sent = new Set<Pick>();
  /** What the last update drew: the lists' rows, the link tags and the motion setting (arranged again when the camera moves). */
  private last: { made: Made[]; tags: Tags | null; motion: boolean; words: string } | null = null;

  /**
   * `camera` and `screen`: what part of the world the canvas shows (a list keeps inside it);
   * `counted`: the services whose header has a counter line (freeSpot.ts's countedServices);
   * `words`: what the still scene writes beyond the layout's boxes and titles (the pipes' labels, "deployed at").
   */
  constructor(
    private readonly layout: Layout,
    private readonly camera?: Camera,
    private readonly screen?: () => { width: number; height: number },
    counted: ReadonlySet<string> | null = null,
    words: readonly Box[] = [],
  ) {
    for (const p of layout.pods)
      for (const b of layout.boxes) if (b.x >= p.x && b.y >= p.y && b.x + b.w <= p.x + p.w && b.y + b.h <= p.y + p.h) this.cardOf.set(b, p);
    // Over another pod's card, a list reads as that pod's.
    this.obstacles = [...wordObstacles(layout, 0.2, counted), ...words.map((box) => ({ box, weight: 1 }))];
    this.titles = serviceTitles(layout);
    this.chips = layout.pods.flatMap((p) => [p.chips, ...(p.status ? [{ x: p.status.x - STATUS_W, y: p.status.y, w: STATUS_W, h: 16 }] : [])]);
  }

  /**
   * Shows the badges: per box a list, newest first, alike badges merged with a count ("✕ 503 ×3"),
   * at most {@link MAX_ROWS} rows and a "+N more" row, beside the box (its pod's card). `tags`:
   * the link tags (the lists keep off them), with a version that changes whenever they do.
   */
  update(badges: readonly BadgeView[], motion: boolean, tags: Tags | null = null): void {
    const lists = new Map<Box, BadgeRow[]>();
    // Newest first, so the latest outcome sits nearest its node.
    for (let i = badges.length - 1; i >= 0; i--) {
      const b = badges[i]!;
      const node = this.layout.nodes.get(b.node);
      if (!node) continue;
      // A pod's badges (app and sidecar alike) share one list on its card; a lone box has its own,
      // but a node proxy's for a pod on its node go by that pod (its part of the strip).
      const box: Box = this.cardOf.get(node) ?? (b.pod !== undefined ? this.stripPart(node, b.pod) : node);
      const list = lists.get(box) ?? lists.set(box, []).get(box)!;
      const key = `${b.kind}:${b.text}`;
      const same = list.find((x) => x.key === key);
      if (same) same.count++;
      else list.push({ key, kind: b.kind, text: b.text, count: 1, age: b.age });
    }
    // Each list's forms: where a list goes, and in which form, depends on how wide its lines are.
    const made: Made[] = [];
    let words = '';
    for (const [box, list] of lists) {
      // Shorter forms in a picture spaced tightly (a compare pane's); elsewhere a list is drawn whole
      // unless that covers a chip (place() asks for them then; a list placed shorter keeps them).
      const forms = badgeForms(list, this.layout.tight || (this.spots.get(box)?.form ?? 0) > 0);
      made.push({ box, rows: list, forms, form: 0, sprites: [] });
      for (const l of forms[0]!) words += `${l.colour}:${l.text}|`;
      words += '#';
    }
    this.last = { made, tags, motion, words };
    this.arrange();
  }

  /**
   * Places the lists again when their words, the link tags or the part of the world the canvas
   * shows changed since they were placed (a fit or a pan after the last update moves the view:
   * call this then), and sets each row where its list is.
   */
  arrange(): void {
    const last = this.last;
    if (!last) return;
    const { made, tags, motion } = last;
    const version = tags?.version ?? 0;
    const view = this.visible();
    const words = `${last.words}@${Math.round(view.x)},${Math.round(view.y)},${Math.round(view.w)},${Math.round(view.h)}`;
    if (words !== this.placedKey || version !== this.placedTags) {
      this.placedKey = words;
      this.place(made, tags, view);
      this.placedTags = tags?.version ?? 0;
    }
    // Each list in the form it was placed in (an update with the same words keeps the spots and forms).
    for (const m of made) m.form = Math.min(this.spots.get(m.box)?.form ?? 0, m.forms.length - 1);
    this.draw(made);
    for (const { box, forms, form, sprites } of made) {
      const spot = this.spots.get(box)!;
      const lines = forms[form]!;
      sprites.forEach((sprite, level) => {
        // The newest row nearest the card: at the bottom of a list above it, at the top of one beside or below it.
        const row = spot.up ? sprites.length - 1 - level : level;
        sprite.root.position.set(spot.right ? spot.x + spot.w - sprite.width : spot.x, spot.y + row * ROW_H);
        // The words and frame fade on the opaque plate (a whole list fading let a lock under it show through).
        const age = lines[level]!.age;
        sprite.text.alpha = sprite.bg.alpha = motion ? 1 - 0.6 * age * age : 1;
      });
    }
  }

  /** Sets each list's lines, in the form it was placed in, on sprites of the pool; hides the rest. */
  private draw(made: Made[]): void {
    let n = 0;
    for (const m of made) {
      m.sprites = m.forms[m.form]!.map(({ text, colour }) => {
        const sprite = this.pool[n] ?? this.make();
        n++;
        const key = `${colour}:${text}`;
        if (sprite.key !== key) {
          sprite.key = key;
          sprite.text.text = text;
          sprite.width = this.measure(text);
          // The white plate reaches under the whole frame line (2 px wide, half outside the rectangle).
          sprite.plate.clear();
          sprite.plate.roundRect(-1, -1, sprite.width + 2, ROW_H, 9).fill(0xffffff);
          sprite.bg.clear();
          sprite.bg.roundRect(0, 0, sprite.width, ROW_H - 2, 8).stroke({ width: 2, color: colour });
        }
        sprite.root.visible = true;
        return sprite;
      });
    }
    for (let i = n; i < this.pool.length; i++) this.pool[i]!.root.visible = false;
  }

  /** How wide a line's frame is: its words and 5 px either side. */
  private measure(text: string): number {
    let w = this.widths.get(text);
    if (w === undefined) {
      this.ruler.text = text;
      w = Math.ceil(this.ruler.width) + 10;
      this.widths.set(text, w);
    }
    return w;
  }

  /**
   * Finds each list its spot and form (see {@link choose}). Lists go first where a link's tag is in
   * their way: a list with no free spot that has one but for the tags claims it, and the tags keep
   * off the claims (EdgeLayer.keepClear moves them along their lines), then the lists are placed
   * again around the moved tags. A claim holds while its list stays as it is; one a tag could not
   * leave (a tag that must show, with no other spot on its line) is given up for as long.
   */
  private place(made: Made[], tags: Tags | null, view: Box): void {
    for (let pass = 0; pass < 3; pass++) {
      // A list may cover a tag's plate by a unit (its words are written inside it).
      this.placeAll(
        made,
        (tags?.tagsDrawn() ?? []).map((t) => ({ x: t.x + 1, y: t.y + 1, w: t.w - 2, h: t.h - 2 })),
        view,
      );
      const claims = [...this.claims.values()].filter((c) => !c.refused);
      const moved = tags?.keepClear?.(claims) ?? 0;
      // A tag left with no clear spot: the claims it was not told of before are given up.
      if (moved < 0) for (const c of claims) if (!this.sent.has(c)) c.refused = true;
      if (moved > 0) this.sent = new Set(claims);
      if (!moved) break;
    }
  }

  private placeAll(made: readonly Made[], tags: readonly Box[], view: Box): void {
    this.spots.clear();
    this.version++;
    const taken: Box[] = [];
    for (const box of this.claims.keys()) if (!made.some((m) => m.box === box)) this.claims.delete(box);
    for (const m of made) {
      const box = m.box;
      const card = this.layout.pods.includes(box as PodCard) ? (box as PodCard) : null;
      // A list keeps inside the canvas, and a list of a box in the cluster inside the cluster's frame if it can.
      const cluster = this.layout.cluster;
      const frame =
        box.x >= cluster.x && box.y >= cluster.y && box.x + box.w <= cluster.x + cluster.w && box.y + box.h <= cluster.y + cluster.h ? cluster : null;
      // A list in the cluster may reach past its frame to the right only (beside a card of the last
      // column, into the canvas's margin), not over the control plane, the callers' side or below.
      // Over the frame's bottom line (a strip's list below it, at the node's band's foot) reads as
      // the line struck through: a list keeps a line's width inside it.
      const leaves = (r: Box): boolean => !!frame && (r.x < frame.x - 1 || r.y < frame.y - 1 || r.y + r.h > frame.y + frame.h - FRAME_LINE);
      // Inside the canvas, over no words and no other list (nor a link tag, when `blocked` holds them).
      const fits = (r: Box, blocked: readonly Box[]): boolean => overlap(r, view) >= r.w * r.h - 1 && !leaves(r) && !coversWords(r, this.obstacles, blocked);
      const at = { card, frame, fits };
      const claim = this.claims.get(box);
      let pick: Pick | null = null;
      if (claim && !claim.refused) {
        const lines = m.forms[claim.form];
        if (lines && Math.max(...lines.map((l) => this.measure(l.text))) === claim.w && lines.length * ROW_H - 2 === claim.h && fits(claim, taken)) {
          if (coversWords(claim, [], tags)) claim.refused = true;
          else pick = claim;
        } else this.claims.delete(box);
      }
      if (!pick) {
        pick = this.choose(m, at, [...tags, ...taken], view);
        if (!pick.free && !this.claims.get(box)?.refused) {
          const over = this.choose(m, at, taken, view);
          if (over.free) this.claims.set(box, (pick = over));
        }
      }
      this.spots.set(box, pick);
      taken.push({ x: pick.x, y: pick.y, w: pick.w, h: pick.h });
    }
  }

  /**
   * A list's spot and form: the first of the spots beside its box that covers nothing (no words,
   * nothing in `blocked`), for the whole list or else the first shorter form that has one; else,
   * in its most compact form, the spot that covers least.
   */
  private choose(
    m: Made,
    { card, frame, fits }: { card: PodCard | null; frame: Box | null; fits: (r: Box, blocked: readonly Box[]) => boolean },
    blocked: readonly Box[],
    view: Box,
  ): Pick {
    const box = m.box;
    // Jutting past the box's right edge, but not past the canvas's (a compare pane ends just
    // right of the cluster: config-push's reviews-1 list went below its card instead, over the
    // next service's title).
    const jut = Math.max(box.x + box.w, Math.min(box.x + box.w + JUT, view.x + view.w));
    const owner = card ?? this.partCard.get(box) ?? null;
    const others = this.othersOf(box, owner);
    let pick: Pick | null = null;
    for (let form = 0; form < m.forms.length; form++) {
      const lines = m.forms[form]!;
      const w = Math.max(...lines.map((l) => this.measure(l.text)));
      const h = lines.length * ROW_H - 2;
      const candidates = listSpots(box, card, w, h, lines.length, ROW_H, jut, frame);
      // A list nearer another pod's card, or another service's title, than its own box reads as
      // theirs (beside a card, in a narrow gap between columns; config-push's reviews-1 list
      // below its card, beside "service reviews-v2"): such spots only when no other is left. One
      // as near its own card as another's (over both: reviews-1's list over its title row,
      // reaching up to reviews-0's card) still reads as its own — without it, retries-flaky-pod's
      // reviews-1 list went left of its card, over its link's tag.
      const gap = (x: number, y: number, b: Box): number =>
        Math.hypot(Math.max(0, b.x - (x + w), x - (b.x + b.w)), Math.max(0, b.y - (y + h), y - (b.y + b.h)));
      const own = candidates.filter((c) => {
        const mine = gap(c.x, c.y, box);
        return others.cards.every((p) => gap(c.x, c.y, p) >= mine) && others.titles.every((t) => gap(c.x, c.y, t) >= mine + TITLE_MARGIN);
      });
      // Of its own spots, those that cover no words (titles, captions, chips, the pipes' labels),
      // no link tag and no other list, inside the canvas, come first: covering a pod's "cert ✓"
      // is worse than reaching past the cluster's frame.
      const free = own.filter((c) => fits({ x: c.x, y: c.y, w, h }, blocked));
      // Spaced tightly, a shorter form is tried before any spot that covers something; the shortest
      // takes the best of those. Elsewhere the whole list takes its best spot unless that covers a
      // pod's chip (reviews-2's "fault / 500 / ejected" over its "cert ✓"), any words written
      // (the same pane with its tags kept off the empty sidecars' boxes: that list below reviews-1's
      // card, its corner over "waypoint-0" and its chip "config stale") or a good part of the room
      // a counter line keeps for its widest (the ambient pane of ambient-waypoint-l7 in compare:
      // reviews-1's "⚡ fault / ✕ 503" over "✓ 35 ok · ✕ 3 failed"; a corner of it, authorization's
      // "⊘ denied", is read whole): then a shorter form that has a free spot, if one does.
      const tight = this.layout.tight;
      if (!free.length && tight && form < m.forms.length - 1) continue;
      if (!free.length && !tight && form > 0) continue;
      const best = bestSpot(free.length ? free : own.length ? own : candidates, w, h, this.obstacles, blocked, view, owner, frame);
      const rect = { x: best.x, y: best.y, w, h };
      const under = wordsUnder(rect, this.obstacles);
      pick = { form, ...best, w, h, free: free.length > 0 };
      if (!free.length && !tight && (this.chips.some((c) => overlap(rect, c) > 1) || under.words > 1 || under.words + under.room > WORDS_SHARE * w * h)) {
        // The whole list (form 0: the forms after it skip bestSpot) is kept unless a shorter one has a free spot.
        if (m.forms.length === 1) m.forms = badgeForms(m.rows);
        continue;
      }
      break;
    }
    return pick!;
  }

  /**
   * What a list of `box` must not sit nearer to than to `box`: the other pods' cards, and the
   * titles of the services other than the card's own (a lone box's: every service's).
   */
  private othersOf(box: Box, card: PodCard | null): { cards: Box[]; titles: Box[] } {
    const inside = (a: Box, b: Box): boolean => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
    const titles = this.titles.filter((t) => !card || !(t.service === card.service && inside(card, t.region))).map((t) => t.box);
    return { cards: this.layout.pods.filter((p) => p !== box && p !== card), titles };
  }

  /**
   * The part of a node proxy's strip under (or over) pod `pod`'s card: where a list of what the
   * proxy did for that pod goes (ambient's ztunnel spans its Kubernetes node; at its ends, a
   * "⊘ denied" for reviews-0 read as the cluster's). The strip itself when the pod has no card
   * over it. Made once per strip and pod, so a list keeps its spot.
   */
  private stripPart(strip: NodeBox, pod: string): Box {
    const key = `${strip.node.id}|${pod}`;
    const made = this.parts.get(key);
    if (made) return made;
    const card = this.layout.pods.find((p) => p.members.includes(pod));
    const x = card ? Math.max(strip.x, card.x) : strip.x;
    const w = card ? Math.min(strip.x + strip.w, card.x + card.w) - x : 0;
    const part = w > 0 ? { x, y: strip.y, w, h: strip.h } : strip;
    this.parts.set(key, part);
    if (card && part !== strip) this.partCard.set(part, card);
    return part;
  }

  /** The part of the world the canvas shows (the drawing's bounds when not told). */
  private visible(): Box {
    if (!this.camera || !this.screen) return this.layout.bounds;
    const { width, height } = this.screen();
    const a = this.camera.toWorld(4, 4);
    const b = this.camera.toWorld(width - 4, height - 4);
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
  }

  /** The badges drawn now, in world coordinates (what callouts keep off), with their words. */
  drawn(): (Box & { text: string })[] {
    const out: (Box & { text: string })[] = [];
    for (const b of this.pool) if (b.root.visible) out.push({ x: b.root.x, y: b.root.y, w: b.width, h: ROW_H - 2, text: b.text.text });
    return out;
  }

  private make(): BadgeSprite {
    const root = new Container();
    const plate = new Graphics();
    const bg = new Graphics();
    const text = label('', { fontSize: 11, fontWeight: 'bold' });
    text.position.set(5, 1);
    root.addChild(plate, bg, text);
    this.root.addChild(root);
    const sprite = { root, plate, bg, text, key: '', width: 0 };
    this.pool.push(sprite);
    return sprite;
  }
}
