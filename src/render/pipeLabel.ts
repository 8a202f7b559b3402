/**
 * Where an HBONE pipe's label goes (sceneStatic.ts writes one per pipe): beside the pipe, where it
 * covers nothing written, inside the drawing. The labels placed are words the link tags, badge
 * lists and packet captions keep off in turn.
 */
import type { Container, Text } from 'pixi.js';
import { anchors, type Box } from './geometry.ts';
import { overlap } from './freeSpot.ts';
import type { NodeBox } from './layoutTypes.ts';
import { lengthInside } from './polyline.ts';
import type { Point } from './linkRoute.ts';
import { KEEP_RIGHT, SHORT_LINK } from './packetTrack.ts';

/** How far along the pipe a label is tried, in order. */
const ALONG = [1 / 2, 1 / 3, 2 / 3, 1 / 6, 5 / 6];
/**
 * How far above and below a pipe its packets' captions go: a packet's keeping right, a caption's gap
 * from its packet and a row of it (packetTrack.ts; labelSpots.ts; packetLayer.ts: 11 px words with a 4 px outline).
 */
const CAPTION_REACH = KEEP_RIGHT + 9 + 17;

/**
 * Where a pipe's `w` × `h` label goes: above, below, two rows above, two rows below, right or
 * left of its middle, else of a point further along it (a third, two thirds, a sixth, five
 * sixths), else ending or starting there, one or two rows above or below (a short pipe between
 * two ztunnel strips has room only to one side of its middle) — the first spot that covers
 * nothing written and stays inside the drawing (`bounds`, which the fit shows whole); else —
 * `anyway` — the spot inside the drawing that covers least and nothing of `hard` (other pipes'
 * labels, what a label must keep off), or none. A spot one of `wires` runs along (the lines
 * packets fly along, but the pipe's own; inside it for longer than the label is high) covers as
 * much as that stretch of a line 4 units wide: a control-plane wire running level through
 * "HBONE tunnel · mTLS" struck it through (canary-split). One that crosses it upright strikes a
 * letter and costs nothing: a short pipe between two ztunnel strips has wires down beside it. `ends`: the boxes the
 * pipe joins; where a level pipe runs between two boxes taller than a row (two ztunnel strips), the
 * label is also tried just clear of them, above and below, before two rows away — further than one
 * row, but nearer the pipe than two (which left it on a card's edge, or on a wire, above).
 * On a level pipe a free spot clear of the rows right above and below it, where its packets'
 * captions go ({@link CAPTION_REACH}), comes first (between two strips, also tried just clear of
 * them ending where the pipe starts or starting where it ends): ambient-authz-fail-closed at
 * 1.001 s, "RST · mTLS" above its packet in the gap between two ztunnel strips was written on
 * "HBONE tunnel · mTLS", centred over the gap just clear of the strips. None such, the first free spot.
 */
export function pipeLabelSpot(
  obstacles: readonly Box[],
  bounds: Box,
  a: { x: number; y: number },
  b: { x: number; y: number },
  w: number,
  h: number,
  anyway: boolean,
  hard: readonly Box[] = [],
  wires: readonly (readonly Point[])[] = [],
  ends: readonly Box[] = [],
): { x: number; y: number } | null {
  const gap = 10;
  const level = Math.abs(b.y - a.y) < 1 && ends.length > 0;
  const top = Math.min(...ends.map((e) => e.y));
  const bottom = Math.max(...ends.map((e) => e.y + e.h));
  // Whether the label at (x, y) meets `o`: a box of no width or no height meets it too, though it
  // covers no area (freeSpot.ts overlap() would let it, and a label in the footprint picture moved).
  const meets = (x: number, y: number, o: Box): boolean => o.x < x + w && x < o.x + o.w && o.y < y + h && y < o.y + o.h;
  // The rows the captions take as the packets fly along a level pipe: its stretch, a caption's reach above and below.
  const lo = Math.min(a.x, b.x);
  const hi = Math.max(a.x, b.x);
  const rows = level ? { x: lo, y: a.y - CAPTION_REACH, w: hi - lo, h: 2 * CAPTION_REACH } : null;
  let best: { x: number; y: number } | null = null;
  let least = Infinity;
  let firstFree: { x: number; y: number } | null = null;
  for (const [f, sideways] of [...ALONG.map((f): [number, boolean] => [f, false]), ...ALONG.map((f): [number, boolean] => [f, true])]) {
    const x = a.x + (b.x - a.x) * f;
    const y = a.y + (b.y - a.y) * f;
    const spots = sideways
      ? [
          { x: x - w, y: y - gap - h },
          { x, y: y - gap - h },
          { x: x - w, y: y + gap },
          { x, y: y + gap },
          { x: x - w, y: y - gap - 2 * h },
          { x, y: y - gap - 2 * h },
          { x: x - w, y: y + gap + h },
          { x, y: y + gap + h },
        ]
      : [
          { x: x - w / 2, y: y - gap - h },
          { x: x - w / 2, y: y + gap },
          ...(level && top < y - gap && top - 1 - h > y - gap - 2 * h ? [{ x: x - w / 2, y: top - 1 - h }] : []),
          ...(level && bottom > y + gap && bottom + 1 < y + gap + h ? [{ x: x - w / 2, y: bottom + 1 }] : []),
          // Just clear of them, ending where the pipe starts or starting where it ends: beside the
          // rows its packets' captions take (a caption slides sideways off the label).
          ...(level && top < y - gap
            ? [
                { x: lo - w, y: top - 1 - h },
                { x: hi, y: top - 1 - h },
              ]
            : []),
          ...(level && bottom > y + gap
            ? [
                { x: lo - w, y: bottom + 1 },
                { x: hi, y: bottom + 1 },
              ]
            : []),
          { x: x - w / 2, y: y - gap - 2 * h },
          { x: x - w / 2, y: y + gap + h },
          { x: x + gap, y: y - h / 2 },
          { x: x - gap - w, y: y - h / 2 },
        ];
    for (const s of spots) {
      const outside = s.x < bounds.x || s.y < bounds.y || s.x + w > bounds.x + bounds.w || s.y + h > bounds.y + bounds.h;
      if (outside || hard.some((o) => meets(s.x, s.y, o))) continue;
      let cover = 0;
      for (const o of obstacles) cover += overlap({ ...s, w, h }, o);
      for (const line of wires) {
        const run = lengthInside(line, { ...s, w, h });
        if (run > h + 2) cover += 4 * run;
      }
      if (cover === 0 && !(rows && meets(s.x, s.y, rows))) return s;
      if (cover === 0) firstFree ??= s;
      if (cover < least) {
        least = cover;
        best = s;
      }
    }
  }
  if (firstFree) return firstFree;
  if (!anyway) return null;
  // The spot inside the drawing that covers least; else, nowhere inside the drawing, the middle's
  // spot above, moved inside — unless it covers `hard`.
  if (best) return best;
  const x = Math.min(bounds.x + bounds.w - w, Math.max(bounds.x, (a.x + b.x) / 2 - w / 2));
  const y = Math.min(bounds.y + bounds.h - h, Math.max(bounds.y, (a.y + b.y) / 2 - gap - h));
  return hard.some((o) => meets(x, y, o)) ? null : { x, y };
}

/**
 * Writes a label by each pipe where it covers nothing written (`obstacles`, which it adds to),
 * inside the drawing: what travels inside. A pipe with no such room goes without — but for the
 * first of its holder's pipes when none of them found room (the pipes a change deploys are faint
 * until then: one of them says it for all, and one of the others for those), unless its only
 * room is on a label already written or on what `keepOff` holds (boxes, titles, words: a label on
 * "waypoint-0" reads as neither). `make` writes a label in a holder; `endsOf` says where a pipe
 * runs (its longest stretch where it bends around boxes); `wiresBeside` the lines a pipe's label
 * keeps off (the wires but the pipe's own). Returns the labels' boxes.
 */
export function labelPipes(
  pipes: readonly [NodeBox, NodeBox][],
  holderOf: (pipe: [NodeBox, NodeBox]) => Container,
  make: (holder: Container) => Text,
  obstacles: Box[],
  bounds: Box,
  endsOf: (pipe: [NodeBox, NodeBox]) => [{ x: number; y: number }, { x: number; y: number }] = ([a, b]) => anchors(a, b),
  keepOff: readonly Box[] = [],
  wiresBeside: (pipe: [NodeBox, NodeBox]) => readonly (readonly Point[])[] = () => [],
): Box[] {
  const out: Box[] = [];
  const labelled = new Set<Container>();
  // Where the captions of the packets on a short level pipe between two ztunnel strips go, centred
  // over its gap: another pipe's label keeps off (ambient-waypoint-l7 at 5.331 s, the waypoint's
  // pipe label beside the gap under "200 · mTLS").
  const rows = pipes.map(([a, b]) => {
    const [l, r] = a.x < b.x ? [a, b] : [b, a];
    const gap = r.x - l.x - l.w;
    const y = a.y + a.h / 2;
    const level = Math.abs(b.y + b.h / 2 - y) < 1 && gap > 0 && gap < SHORT_LINK;
    return level ? { x: l.x + l.w + gap / 2 - 40, y: y - CAPTION_REACH, w: 80, h: 2 * CAPTION_REACH } : null;
  });
  for (const anyway of [false, true])
    for (const [i, pipe] of pipes.entries()) {
      const holder = holderOf(pipe);
      if (anyway && labelled.has(holder)) continue;
      const [ca, cb] = endsOf(pipe);
      const t = make(holder);
      const others = rows.filter((r, j): r is Box => r !== null && j !== i);
      // Never on another pipe's label: the two would read as neither (that one says it).
      const spot = pipeLabelSpot([...obstacles, ...others], bounds, ca, cb, t.width, t.height, anyway, [...out, ...keepOff], wiresBeside(pipe), pipe);
      if (!spot) {
        t.destroy();
        continue;
      }
      labelled.add(holder);
      t.position.set(spot.x, spot.y);
      const box = { x: spot.x, y: spot.y, w: t.width, h: t.height };
      obstacles.push(box);
      out.push(box);
    }
  return out;
}
