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
import { statusRoom, titleWords } from './freeSpot.ts';

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
 * box ({@link labelSpot}'s `bodies`): {@link obstaclesOf} without the boxes, and each box's caption
 * (a strip's at its left, others' centred).
 */
export function wordsOf(layout: Layout): Box[] {
  const out = writing(layout, true);
  for (const b of layout.boxes) {
    const w = textWidth(b.caption, FONT.text, true);
    const strip = b.role === 'node-proxy';
    out.push({ x: strip ? b.x + STRIP_CAPTION_X : b.x + (b.w - w) / 2, y: (strip ? stripCaptionY(b) : b.y + b.h / 2) - 7, w, h: 14 });
  }
  return out;
}

/**
 * The cluster's and the bands' top and bottom lines, a unit either side: a caption across one is
 * struck through (certificate-rotation under ambient at 20 h, "GET /orders · mTLS" below the pipe
 * between the two ztunnel strips, across node-1's and node-2's bottom lines). A band's upright
 * line strikes a letter and is not counted (pipeLabel.ts); the cluster's, dark and thick, cuts the
 * words in two: it counts 4 units either side (egress-control in compare at 3 s, Linkerd's
 * "GET /v1/orders" across it and over a packet to api.partner.com just outside it; a unit either
 * side weighed less than the spot below, over the sidecar's edge).
 */
export function frameLines(layout: Layout): Box[] {
  const { x, y, w, h } = layout.cluster;
  const level = [layout.cluster, ...layout.bands].flatMap((f) => [f.y, f.y + f.h].map((at) => ({ x: f.x, y: at - 1, w: f.w, h: 2 })));
  return [...level, { x: x - 4, y, w: 8, h }, { x: x + w - 4, y, w: 8, h }];
}

/**
 * `asWritten`: a pod's title as wide as its words and its state chip's room, not its whole row
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
/** The spots slid sideways (above, below, two rows above and below) and how many slid spots there are, eight of each. */
const SLID_FROM = [0, 1, 4, 5];
const SLID = 8 * SLID_FROM.length;

/**
 * The top-left corner for a `w` × `h` label next to point (x, y), `gap` away from it: above, below,
 * right, left, two rows above, two rows below, then starting or ending there above and below
 * (right-up, right-down, left-up, left-down), then so two rows above and below (where a short link
 * between two wide boxes leaves no room nearer), then above, below and two rows above and below
 * slid sideways by up to half the label (between two boxes' captions, where the centred spot covers
 * the end of one) — the first that covers nothing, else the first that covers least, a badge list
 * or a link's tag in `badges` (words on a plate) costing {@link BADGE_WEIGHT} times its area.
 * `within`: the label is drawn inside it, each spot moved in sideways before it is weighed (as it
 * is drawn), and what is still past its top or bottom costs {@link OUTSIDE_WEIGHT} times its area.
 * `bodies`: boxes whose covering costs {@link BODY_WEIGHT} times their area (their captions in
 * `obstacles`). Allocates only the answer (a packet's caption moves every frame).
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
): { x: number; y: number } {
  let bestX = 0;
  let bestY = 0;
  let bestCover = Infinity;
  for (let n = 0; n < 14 + SLID; n++) {
    // Past the fourteen, above, below, two rows above and below again, slid sideways an eighth of
    // the label at a time, each way in turn, up to half of it.
    const i = n < 14 ? n : SLID_FROM[(n - 14) >> 3]!;
    const k = n < 14 ? 0 : ((n - 14) & 7) + 2;
    const slide = ((k >> 1) * (k & 1 ? -w : w)) / 8;
    const right = i === 2 || i === 6 || i === 7 || i === 10 || i === 11;
    const left = i === 3 || i === 8 || i === 9 || i === 12 || i === 13;
    let cx = (right ? x + gap : left ? x - gap - w : x - w / 2) + slide;
    if (within) cx = Math.max(within.x, Math.min(cx, within.x + within.w - w));
    const up = i === 0 || i === 6 || i === 8;
    const down = i === 1 || i === 7 || i === 9;
    const up2 = i === 4 || i === 10 || i === 12;
    const down2 = i === 5 || i === 11 || i === 13;
    const cy = up ? y - gap - h : down ? y + gap : up2 ? y - gap - 2 * h : down2 ? y + gap + h : y - h / 2;
    let cover = 0;
    for (const o of obstacles) cover += overlap(cx, cy, w, h, o);
    for (const o of bodies) cover += BODY_WEIGHT * overlap(cx, cy, w, h, o);
    // A list's words, inside its frame's padding: touching a frame is not covering its words (timeouts
    // under Istio at 6.1 s: "GET /ratings/0" 1 px from "↻ retry 1 of 3 ×2" went onto "config v1 ✓" instead).
    for (const o of badges) cover += BADGE_WEIGHT * overlap(cx + BADGE_PAD, cy + 1, w - 2 * BADGE_PAD, h - 2, o);
    // Past the drawing's top or bottom the canvas may cut it: hello-mesh under Linkerd at 1 s,
    // the discovery request's three-line caption below productpage's sidecar, the lowest box, was
    // "free" there and lost two lines under the canvas's edge.
    if (within) cover += OUTSIDE_WEIGHT * (w * h - overlap(cx, cy, w, h, within));
    if (cover === 0) return { x: cx, y: cy };
    if (cover < bestCover) {
      bestCover = cover;
      bestX = cx;
      bestY = cy;
    }
  }
  return { x: bestX, y: bestY };
}
