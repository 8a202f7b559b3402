/**
 * Where a card over the picture goes (the question offered at the start, a checkpoint): at the
 * spot among a few around the picture's edges that covers the least of what the learner must see
 * (the control plane, the evidence a checkpoint points at), then the least of the rest of the
 * picture, preferring the top centre when nothing is covered.
 */

/** A box in client (viewport) CSS pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MARGIN = 10;

/** The area `a` and `b` share. */
export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The narrower forms a card tries, widest first, when its natural width covers the picture's boxes, CSS px. */
const NARROW_PX = [300, 260, 220];

/**
 * Moves `card` (positioned absolutely in `frame`) to the candidate spot covering least of `must`
 * (weighed far above the rest), then of `rather`, then of the frame's own controls (its zoom
 * buttons); earlier candidates win ties. When every spot at the card's own width covers some of
 * `rather` (a wide question across the top of a picture that fills the frame), the card tries
 * narrower forms ({@link NARROW_PX}, taller) — one may fit the room beside the control plane —
 * and keeps the one that covers least. Returns the spot chosen, in client pixels.
 */
export function placeCard(card: HTMLElement, frame: HTMLElement, must: readonly Rect[], rather: readonly Rect[]): Rect {
  const f = frame.getBoundingClientRect();
  const boxOf = (z: Element): Rect => {
    const r = z.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  };
  // In compare mode each pane's label strip (its name, its difference note) weighs as the frame's controls.
  const strips = [...frame.querySelectorAll(':scope > .pane > .pane-label:not([hidden]), :scope > .pane > .pane-diff:not([hidden])')].map(boxOf);
  const controls = [...[...frame.querySelectorAll(':scope > .zoom')].map(boxOf), ...strips];
  // The top spots sit under the first row's strips, not on the panes' names.
  const top = Math.max(MARGIN, ...strips.filter((c) => c.h > 0 && c.y < f.top + 40).map((c) => c.y + c.h - f.top + 4));
  card.style.maxWidth = '';
  let best = bestSpot(f, top, card.offsetWidth, card.offsetHeight, must, rather, controls);
  let bestWidth = '';
  for (const px of NARROW_PX) {
    if (best.covered <= 0 || card.offsetWidth <= px) break;
    card.style.maxWidth = `${px}px`;
    const narrow = bestSpot(f, top, card.offsetWidth, card.offsetHeight, must, rather, controls);
    if (narrow.score < best.score) {
      best = narrow;
      bestWidth = card.style.maxWidth;
    }
  }
  card.style.maxWidth = bestWidth;
  card.style.left = `${best.x}px`;
  card.style.top = `${best.y}px`;
  card.style.transform = 'none';
  return { x: f.left + best.x, y: f.top + best.y, w: best.w, h: best.h };
}

/** The spot (relative to the frame, its top spots `top` down) for a `w` × `h` card, its score, and how much of `rather` it covers. */
function bestSpot(
  f: DOMRect,
  top: number,
  w: number,
  h: number,
  must: readonly Rect[],
  rather: readonly Rect[],
  controls: readonly Rect[],
): { x: number; y: number; w: number; h: number; score: number; covered: number } {
  const xs = [(f.width - w) / 2, MARGIN, f.width - w - MARGIN - 44];
  const ys = [top, f.height - h - MARGIN, (f.height - h) / 2];
  let best: { x: number; y: number; w: number; h: number; score: number; covered: number } | null = null;
  let order = 0;
  for (const y of ys)
    for (const x of xs) {
      const spot = { x: f.left + Math.max(0, x), y: f.top + Math.max(0, y), w, h };
      const cover = (rects: readonly Rect[]): number => rects.reduce((sum, r) => sum + overlap(spot, r), 0);
      const covered = cover(rather);
      const score = cover(must) * 1e6 + cover(controls) * 1e3 + covered + order++ * 1e-3;
      if (!best || score < best.score) best = { x: spot.x - f.left, y: spot.y - f.top, w, h, score, covered };
    }
  return best!;
}

/** Where a pane draws its boxes and control plane, in client pixels (null before it is drawn). */
export type OnScreen = (pane: number) => { boxes: (Rect & { id: string })[]; controlPlane: Rect | null } | null;

/**
 * Keeps the workbench's cards over the picture — the question offered at the start and the
 * checkpoint dialog — off the control plane, and the dialog off the evidence "Show me" pointed at;
 * placed again whenever a card changes size and after each jump.
 */
export class CardPlacer {
  private dialog: HTMLDialogElement | null = null;
  /** The nodes of the evidence shown ("Show me"), until the dialog closes. */
  private evidence: { pane: number; nodes: string[] } | null = null;
  /** Each card's size as last placed. */
  private readonly placedSizes = new Map<HTMLElement, string>();

  constructor(
    private readonly start: HTMLElement,
    private readonly onScreen: OnScreen | undefined,
    private readonly panes: () => number,
  ) {
    this.observe(start);
  }

  /** The checkpoint dialog, once loaded. */
  setDialog(dialog: HTMLDialogElement): void {
    this.dialog = dialog;
    this.observe(dialog);
  }

  /**
   * Places the cards again when `card` changes size — but not when it is the size placing gave
   * it: a card placed in a narrower form would otherwise be placed again, measured at its own
   * width first, and go back and forth between its forms every frame.
   */
  private observe(card: HTMLElement): void {
    new ResizeObserver(() => {
      if (this.placedSizes.get(card) !== `${card.offsetWidth}×${card.offsetHeight}`) this.place();
    }).observe(card);
  }

  /** Moves the cards shown (both live in the picture's frame, the start card's parent). */
  place(): void {
    const dialog = this.dialog?.open ? this.dialog : null;
    const cards = [...(this.start.hidden ? [] : [this.start]), ...(dialog ? [dialog] : [])];
    const frame = this.start.parentElement;
    if (!cards.length || !frame || !this.onScreen) return;
    const shots = Array.from({ length: this.panes() }, (_, i) => this.onScreen!(i));
    if (shots.every((s) => !s)) return;
    const planes = shots.flatMap((s) => (s?.controlPlane ? [s.controlPlane] : []));
    const boxes = shots.flatMap((s) => s?.boxes ?? []);
    const evidence = this.evidence;
    const shown = evidence ? (shots[evidence.pane]?.boxes ?? []).filter((b) => evidence.nodes.includes(b.id)) : [];
    for (const card of cards) {
      placeCard(card, frame, card === dialog ? [...planes, ...shown] : planes, boxes);
      this.placedSizes.set(card, `${card.offsetWidth}×${card.offsetHeight}`);
    }
  }

  /** Places the cards again once the picture has drawn its next frame (after a jump or a show). */
  soon(): void {
    requestAnimationFrame(() => requestAnimationFrame(() => this.place()));
  }

  /** The dialog now shows event `e` of pane `pane` (null: nothing, a new question or closed). */
  showing(pane: number, e: { node?: unknown; from?: unknown; to?: unknown } | null): void {
    this.evidence = e ? { pane, nodes: [e.node, e.from, e.to].filter((n): n is string => typeof n === 'string') } : null;
    this.soon();
  }
}
