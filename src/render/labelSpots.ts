/**
 * Where a floating label (a packet's caption) can go without covering what is written on the
 * picture: the boxes' captions, the pods' titles, chips and empty sidecar boxes ("node proxy ↓"),
 * the services' headers, the titles of
 * the cluster, its bands and the control plane (with its state chip). A label tries
 * above its anchor, then below, right and left, and takes the first free spot (or the one that
 * covers least).
 */
import type { Box, Layout } from './layout.ts';
import { COMPACT_HEADER_H, FONT, STRIP_CAPTION_X, stripCaptionY, type PodCard } from './layoutTypes.ts';
import { textWidth } from './textMetrics.ts';
import { COUNTER_W, serviceTitles, statusRoom, titleWords } from './freeSpot.ts';
import { CLUSTER_TITLE } from './controlPlanePlace.ts';

/** A pod card's title row, its whole width. */
const titleRow = (p: PodCard): Box => ({ x: p.x, y: p.y, w: p.w, h: 20 });

/** What a packet's caption may cover as empty ({@link labelSpot}'s `bodies`): the boxes, and the cards' title rows past their words ({@link wordsOf}). */
export const bodiesOf = (layout: Layout): Box[] => [...layout.boxes, ...layout.pods.map(titleRow)];

/** The rectangles labels should keep off. */
export function obstaclesOf(layout: Layout): Box[] {
  return [...layout.boxes, ...writing(layout)];
}

/**
 * What is written on the picture, where a packet's caption weighs covering it against covering a
 * box ({@link labelSpot}'s `bodies`), as written: the pods' titles, state chips' rooms, chip rows
 * and empty sidecar boxes; the services' titles and, under the title of each service in `counted`
 * (each, when not told), its counter line at its widest; the cluster's and the bands' titles, the
 * control plane's title row; each box's caption (a strip's at its left, others' centred). Not the
 * headers' and title rows' empty ends: hello-mesh under Linkerd at 1 s, the discovery request's
 * three-row caption, kept off productpage's and reviews' whole headers, went onto productpage-0's
 * sidecar and its card's title row, with room right of "service productpage" above them.
 */
export function wordsOf(layout: Layout, counted: ReadonlySet<string> | null = null): Box[] {
  const out = writing(layout, true);
  if (!layout.namedBoxes) for (const t of serviceTitles(layout)) out.push(t.box);
  if (!layout.compactHeaders && !layout.namedBoxes)
    for (const s of layout.services) if (!counted || counted.has(s.label)) out.push({ x: s.x, y: s.y + 19, w: Math.min(s.w, COUNTER_W + 12), h: 15 });
  const { cluster, controlPlane } = layout;
  // As sceneStatic.ts writes them: the cluster's 12 in and 5 down, a band's 8 in and 3 down; 2 to spare each way.
  out.push({ x: cluster.x + 10, y: cluster.y + 3, w: textWidth(CLUSTER_TITLE, FONT.title, true) + 4, h: FONT.title + 6 });
  for (const b of layout.bands) out.push({ x: b.x + 6, y: b.y + 1, w: textWidth(b.label, FONT.text) + 4, h: FONT.text + 6 });
  // The control plane's title with its state chip: its row as placed (placement.ts titles).
  const cp = controlPlane && layout.titles.find((t) => t.x === controlPlane.x && t.y === controlPlane.y && t.w === controlPlane.w);
  if (cp) out.push(cp);
  for (const b of layout.boxes) {
    const w = textWidth(b.caption, FONT.text, true);
    const strip = b.role === 'node-proxy';
    out.push({ x: strip ? b.x + STRIP_CAPTION_X : b.x + (b.w - w) / 2, y: (strip ? stripCaptionY(b) : b.y + b.h / 2) - 7, w, h: 14 });
  }
  return out;
}

/**
 * The cluster's upright lines, 4 units either side: dark and thick, one cuts a caption's words in
 * two (egress-control in compare at 3 s, Linkerd's "GET /v1/orders" across it and over a packet to
 * api.partner.com just outside it; a unit either side weighed less than the spot below, over the
 * sidecar's edge). Its level lines and the bands' are {@link outlines}; a band's upright line
 * strikes a letter and is not counted (pipeLabel.ts).
 */
export function frameLines(layout: Layout): Box[] {
  const { x, y, w, h } = layout.cluster;
  return [
    { x: x - 4, y, w: 8, h },
    { x: x + w - 4, y, w: 8, h },
  ];
}

/**
 * The lines a caption's words should not run across, a unit either side: the outlines of the boxes,
 * the pods' cards and the control plane, and the cluster's and the bands' top and bottom lines (a
 * caption across one is struck through: certificate-rotation under ambient at 20 h, "GET /orders ·
 * mTLS" below the pipe between the two ztunnel strips, across node-1's and node-2's bottom lines;
 * authorization under Linkerd at 2.5 s, "GET /reviews/1 · mTLS" with productpage-0's sidecar's top
 * line through it; circuit-breaking-pool under OSM at 1.5 s, "GET /get" on httpbin-0's card's bottom line).
 */
export function outlines(layout: Layout): Box[] {
  const frames = [layout.cluster, ...layout.bands].flatMap((f) => [f.y, f.y + f.h].map((at) => ({ x: f.x, y: at - 1, w: f.w, h: 2 })));
  const boxes = [...layout.boxes, ...layout.pods, ...(layout.controlPlane ? [layout.controlPlane] : [])].flatMap((b) => [
    { x: b.x, y: b.y - 1, w: b.w, h: 2 },
    { x: b.x, y: b.y + b.h - 1, w: b.w, h: 2 },
    { x: b.x - 1, y: b.y, w: 2, h: b.h },
    { x: b.x + b.w - 1, y: b.y, w: 2, h: b.h },
  ]);
  return [...frames, ...boxes];
}

/**
 * What labels keep off: the pods' title rows, empty sidecar boxes and chip rows, the services'
 * headers and the cluster's, bands' and control plane's title rows. `asWritten` (for {@link wordsOf},
 * which adds the headers and titles as written): a pod's title as wide as its words and its state chip's room, not its whole row
 * (a caption may go right of a title: authorization in compare at 2.5 s, "GET /reviews/1 · mTLS"
 * went over productpage-0's sidecar and its "sidecar" for covering less than above it, in the empty
 * end of its title row).
 */
function writing(layout: Layout, asWritten = false): Box[] {
  const out: Box[] = [];
  for (const p of layout.pods) {
    // Its title row; as written, its title's words and its state chip's room.
    if (!asWritten) out.push(titleRow(p));
    else {
      out.push(titleWords(p));
      const room = statusRoom(p);
      if (room) out.push(room);
    }
    // The dashed box where a sidecar would be, with its words ("node proxy ↓", "no sidecar").
    if (p.placeholder) out.push(p.placeholder);
  }
  out.push(...chipRows(layout));
  if (asWritten) return out;
  for (const s of layout.services) out.push({ x: s.x, y: s.y, w: s.w, h: layout.compactHeaders ? COMPACT_HEADER_H : 34 });
  out.push(...layout.titles);
  return out;
}

/**
 * The pods' chip rows that can hold a chip: a pod whose proxy is its node's has its workload's
 * chip beside its title and nothing below (but "N alike"), a row kept empty.
 */
export function chipRows(layout: Layout): Box[] {
  return layout.pods.filter((p) => p.sidecar === 'own' || !p.status || p.members.length > 1).map((p) => p.chips);
}

/** How much of box `o` a `w` × `h` rectangle at (x, y) covers. */
function overlap(x: number, y: number, w: number, h: number, o: Box): number {
  const ow = Math.min(x + w, o.x + o.w) - Math.max(x, o.x);
  const oh = Math.min(y + h, o.y + o.h) - Math.max(y, o.y);
  return ow > 0 && oh > 0 ? ow * oh : 0;
}

/**
 * How much covering a badge list costs against covering the same area of anything else: a caption
 * over a box's empty side hides little, over "↻ retry 1 of 2" it hides the state the step is about
 * (ambient-waypoint-l7's Istio pane at 1.355 s: "GET /reviews/1 (attempt 2) · mTLS" over its
 * sidecar's list, where every spot covered something and the list was the smallest thing covered).
 */
const BADGE_WEIGHT = 1000;
/** How much a caption's area past the drawing costs against covering as much of a box: words cut off are lost. */
const OUTSIDE_WEIGHT = 4;
/** How far in from a badge's frame its words start (the padding a caption's spot may touch). */
const BADGE_PAD = 3;
/**
 * How much covering a box's body costs against covering as much of what is written: away from its
 * caption a box is empty (circuit-breaking-pool under Consul at 1.5 s: "GET /get", boxes and
 * words alike, went onto httpbin-0's "config v0 ✓" and "ready" for covering less area than its
 * sidecar's and app's lower halves).
 */
const BODY_WEIGHT = 0.1;
/**
 * How much a line across a caption's words costs against covering as much of what is written (per
 * unit of its 2-unit width): a line struck through is still read, a word covered is not; the
 * spots nearer their packet, over boxes and their lines, come before one over the end of a title
 * (circuit-breaking-pool under Linkerd at 1.5 s, weighed at 0.5).
 */
const LINE_WEIGHT = 0.2;
/** How far in from a caption's box its words' ink starts: its 2-unit outline and a unit (a line there touches no letter). */
const LINE_INSET = 3;
/** The spots slid sideways (above, below, two rows above and below, three rows above) and how many slid spots there are, eight of each. */
const SLID_FROM = [0, 1, 4, 5, 14];
const SLID = 8 * SLID_FROM.length;
/** The spots tried before the slid ones: the fourteen, then three rows above. */
const BASE = 15;

/**
 * The top-left corner for a `w` × `h` label next to point (x, y), `gap` away from it: above, below,
 * right, left, two rows above, two rows below, then starting or ending there above and below
 * (right-up, right-down, left-up, left-down), then so two rows above and below (where a short link
 * between two wide boxes leaves no room nearer), three rows above (a service header's empty end
 * over the card), then above, below, two rows above and below and three rows above slid sideways by
 * up to half the label (between two boxes' captions, where the centred spot covers the end of one)
 * — the first that covers nothing, else of the few covering least, each nudged up or down by up to
 * {@link NUDGE} units (off a line, off the edge of a row of words; no further than {@link REACH} from
 * the point unless it was already), the one that covers least; three rows above only where it is
 * free. A badge list or a link's tag in `badges` (words on a plate) costs {@link BADGE_WEIGHT} times its area.
 * `within`: the label is drawn inside it, each spot moved in sideways before it is weighed (as it
 * is drawn), and what is still past its top or bottom costs {@link OUTSIDE_WEIGHT} times its area.
 * `bodies`: boxes whose covering costs {@link BODY_WEIGHT} times their area (their captions in
 * `obstacles`). `lines` ({@link outlines}): thin boxes along lines, which cost {@link LINE_WEIGHT}
 * times their area inside the label's words ({@link LINE_INSET} in from its box). Allocates only the
 * answer (a packet's caption moves every frame).
 */
export function labelSpot(
  obstacles: readonly Box[],
  x: number,
  y: number,
  w: number,
  h: number,
  gap = 9,
  badges: readonly Box[] = [],
  within: Box | null = null,
  bodies: readonly Box[] = [],
  lines: readonly Box[] = [],
): { x: number; y: number } {
  TOP_COVER.fill(Infinity);
  // Three rows above: the one covering least, and whether it is free.
  let farX = NaN;
  let farY = NaN;
  let farCover = Infinity;
  for (let n = 0; n < BASE + SLID; n++) {
    // Past the fifteen, above, below, two rows above and below and three rows above again, slid
    // sideways an eighth of the label at a time, each way in turn, up to half of it.
    const i = n < BASE ? n : SLID_FROM[(n - BASE) >> 3]!;
    const k = n < BASE ? 0 : ((n - BASE) & 7) + 2;
    const slide = ((k >> 1) * (k & 1 ? -w : w)) / 8;
    const right = i === 2 || i === 6 || i === 7 || i === 10 || i === 11;
    const left = i === 3 || i === 8 || i === 9 || i === 12 || i === 13;
    let cx = (right ? x + gap : left ? x - gap - w : x - w / 2) + slide;
    if (within) cx = Math.max(within.x, Math.min(cx, within.x + within.w - w));
    const up = i === 0 || i === 6 || i === 8;
    const down = i === 1 || i === 7 || i === 9;
    const up2 = i === 4 || i === 10 || i === 12;
    const down2 = i === 5 || i === 11 || i === 13;
    const cy = up ? y - gap - h : down ? y + gap : up2 ? y - gap - 2 * h : down2 ? y + gap + h : i === 14 ? y - gap - 3 * h : y - h / 2;
    const cover = coverAt(spot(cx, cy, w, h), obstacles, badges, within, bodies, lines);
    if (cover === 0 && i !== 14) return { x: cx, y: cy };
    if (i === 14) {
      if (cover < farCover) {
        farCover = cover;
        farX = cx;
        farY = cy;
      }
      continue;
    }
    // Kept among the TOP spots covering least, in order (the earlier of two that cover alike first).
    let at = TOP;
    while (at > 0 && cover < TOP_COVER[at - 1]!) at--;
    if (at < TOP) {
      TOP_COVER.copyWithin(at + 1, at, TOP - 1);
      TOP_X.copyWithin(at + 1, at, TOP - 1);
      TOP_Y.copyWithin(at + 1, at, TOP - 1);
      TOP_COVER[at] = cover;
      TOP_X[at] = cx;
      TOP_Y[at] = cy;
    }
  }
  // Every spot covers something: each of the few covering least, nudged up or down a unit at a time
  // up to half a row, may clear a line it lay on or the edge of a row of words.
  let bestX = TOP_X[0]!;
  let bestY = TOP_Y[0]!;
  let bestCover = TOP_COVER[0]!;
  for (let t = 0; t < TOP && TOP_COVER[t]! < Infinity && bestCover > 0; t++) {
    const nudged = nudge(TOP_X[t]!, TOP_Y[t]!, w, h, x, y, obstacles, badges, within, bodies, lines);
    if (NUDGED[0]! < bestCover) {
      bestCover = NUDGED[0]!;
      bestX = TOP_X[t]!;
      bestY = nudged;
    }
  }
  if (bestCover === 0 || farCover === Infinity) return { x: bestX, y: bestY };
  // Three rows above, a one-row caption is further from its packet than twice the ring's reach: taken
  // only where it is free, nudged or not — a header's empty end above the card (timeouts in compare
  // at 6.1 s, Istio's "GET /ratings/0" over reviews-0's "app" when every spot nearer covered words).
  // Covering least, it went over the end of a service's title where a spot nearer only touched a
  // box's caption, or a three-row caption over the cluster's top line far from its packet.
  if (farCover > 0) farY = nudge(farX, farY, w, h, x, y, obstacles, badges, within, bodies, lines);
  return farCover === 0 || NUDGED[0] === 0 ? { x: farX, y: farY } : { x: bestX, y: bestY };
}

/** The cover of the last {@link nudge}'s answer. */
const NUDGED = new Float64Array(1);

/**
 * Spot (cx, cy) nudged up or down a unit at a time, up to {@link NUDGE}, where it covers least (its
 * cover in {@link NUDGED}), and no further than {@link REACH} from (x, y) unless it was already: its y.
 */
function nudge(
  cx: number,
  cy: number,
  w: number,
  h: number,
  x: number,
  y: number,
  obstacles: readonly Box[],
  badges: readonly Box[],
  within: Box | null,
  bodies: readonly Box[],
  lines: readonly Box[],
): number {
  let best = cy;
  let least = coverAt(spot(cx, cy, w, h), obstacles, badges, within, bodies, lines);
  const reach = Math.max(REACH, away(cx, cy, w, h, x, y));
  for (let d = 1; d <= NUDGE && least > 0; d++)
    for (let s = -1; s <= 1; s += 2) {
      if (away(cx, cy + s * d, w, h, x, y) > reach) continue;
      const cover = coverAt(spot(cx, cy + s * d, w, h), obstacles, badges, within, bodies, lines);
      if (cover < least) {
        least = cover;
        best = cy + s * d;
      }
    }
  NUDGED[0] = least;
  return best;
}

/** How far a nudge may take a label from its point (its nearest edge), unless the spot was further already: three rows above a one-row caption (43), and a little. */
const REACH = 45;

/** How far the `w` × `h` label at (cx, cy) is from point (x, y): from its nearest point. */
const away = (cx: number, cy: number, w: number, h: number, x: number, y: number): number =>
  Math.hypot(Math.max(cx - x, 0, x - cx - w), Math.max(cy - y, 0, y - cy - h));

/** How many of the spots covering least are nudged ({@link labelSpot}), and where they are (reused: a caption moves every frame). */
const TOP = 4;
const TOP_COVER = new Float64Array(TOP);
const TOP_X = new Float64Array(TOP);
const TOP_Y = new Float64Array(TOP);

/**
 * How far a spot is nudged, at most: half a row (authorization under Linkerd at 2.5 s, "GET
 * /reviews/1 · mTLS" two rows above its packet had productpage-0's sidecar's top line through it,
 * 7 units up it lies in the card's title row between two lines).
 */
const NUDGE = 8;

/**
 * The spot {@link coverAt} weighs — (cx, cy, w, h) — set by {@link spot} where it is called: doubles
 * passed to a call the compiler does not inline are boxed, a heap number each (a packet's caption
 * weighs hundreds of spots a frame: ~11 KB of garbage a frame as arguments).
 */
const SPOT = new Float64Array(4);

/** {@link SPOT} set to the `w` × `h` label at (cx, cy). */
function spot(cx: number, cy: number, w: number, h: number): Float64Array {
  SPOT[0] = cx;
  SPOT[1] = cy;
  SPOT[2] = w;
  SPOT[3] = h;
  return SPOT;
}

/** How much the label at `at` ({@link spot}: x, y, w, h) covers, each thing weighed ({@link labelSpot}). */
function coverAt(
  at: Float64Array,
  obstacles: readonly Box[],
  badges: readonly Box[],
  within: Box | null,
  bodies: readonly Box[],
  lines: readonly Box[],
): number {
  const cx = at[0]!;
  const cy = at[1]!;
  const w = at[2]!;
  const h = at[3]!;
  let cover = 0;
  for (let i = 0; i < obstacles.length; i++) cover += overlap(cx, cy, w, h, obstacles[i]!);
  for (let i = 0; i < bodies.length; i++) cover += BODY_WEIGHT * overlap(cx, cy, w, h, bodies[i]!);
  for (let i = 0; i < lines.length; i++) cover += LINE_WEIGHT * overlap(cx + LINE_INSET, cy + LINE_INSET, w - 2 * LINE_INSET, h - 2 * LINE_INSET, lines[i]!);
  // A list's words, inside its frame's side padding: touching a frame's side is not covering its words
  // (timeouts under Istio at 6.1 s: "GET /ratings/0" 1 px from "↻ retry 1 of 3 ×2" went onto "config
  // v1 ✓" instead). Above or below, the whole caption keeps off the plate: consul-intentions at 3.3 s,
  // "Certificate" right under "3/s · 75%" had its outline on the plate (nudged, a spot clears it).
  for (let i = 0; i < badges.length; i++) cover += BADGE_WEIGHT * overlap(cx + BADGE_PAD, cy, w - 2 * BADGE_PAD, h, badges[i]!);
  // Past the drawing's top or bottom the canvas may cut it: hello-mesh under Linkerd at 1 s,
  // the discovery request's three-line caption below productpage's sidecar, the lowest box, was
  // "free" there and lost two lines under the canvas's edge.
  if (within) cover += OUTSIDE_WEIGHT * (w * h - overlap(cx, cy, w, h, within));
  return cover;
}
