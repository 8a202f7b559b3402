/**
 * Where a virtual list's rows are when the list is taller than an element may be. Browsers cap an
 * element's height (Chromium about 2^25 px, 33.5 M; Firefox about 17.9 M), and a 10-minute run's
 * event list is millions of rows, so past {@link MAX_SCROLL_PX} the list's scrollable height stays
 * at that and the scroll position stands for a position in the rows in proportion: the top of the
 * scroll range is the first row, its bottom the last. A wheel moves the rows by the wheel's own
 * distance (the list calls {@link ListScroll.moveBy}), not that distance scaled, and the keys move
 * row by row; only dragging the scroll bar jumps in proportion — its resolution is the track's
 * few hundred pixels whatever the height.
 */

/** The tallest the list's scrollable content is made: well under every browser's limit. */
export const MAX_SCROLL_PX = 500_000;

export class ListScroll {
  /** Where the view's top is in the rows' own pixels (0 … content − view). */
  private offset = 0;
  private contentPx = 0;
  private viewPx = 1;
  /** The scroll position this class set last, to tell its own scroll events from the learner's. */
  private setAt = NaN;

  constructor(
    readonly rowPx: number,
    readonly maxPx = MAX_SCROLL_PX,
  ) {}

  /** Sizes for `rows` rows in a view `viewPx` tall; returns the height to give the scrolled content. */
  resize(rows: number, viewPx: number): number {
    this.contentPx = rows * this.rowPx;
    this.viewPx = Math.max(1, viewPx);
    this.offset = this.clamp(this.offset);
    return this.spacerPx;
  }

  /** The scrolled content's height: the rows', or {@link maxPx} when they are taller. */
  get spacerPx(): number {
    return Math.min(this.contentPx, this.maxPx);
  }

  /** Rows' pixels per scroll pixel: 1 unless the rows are taller than {@link maxPx}. */
  get scale(): number {
    if (this.contentPx <= this.maxPx) return 1;
    return (this.contentPx - this.viewPx) / Math.max(1, this.maxPx - this.viewPx);
  }

  /** The view's top in the rows' pixels. */
  get top(): number {
    return this.offset;
  }

  /**
   * The learner scrolled to `scrollTop` (a scroll event): the rows follow in proportion, unless
   * it is where {@link scrollTopFor} put it (the rows are where they were asked to be).
   */
  scrolled(scrollTop: number): void {
    if (this.scale !== 1 && Math.abs(scrollTop - this.setAt) < 1.5) return;
    this.setAt = NaN;
    this.offset = this.clamp(scrollTop * this.scale);
  }

  /** Puts the view's top at `px` in the rows' pixels; returns the scroll position to set. */
  scrollTopFor(px: number): number {
    this.offset = this.clamp(px);
    return this.offset / this.scale;
  }

  /** Remembers the scroll position the browser took for {@link scrollTopFor}'s (it may round it). */
  settled(scrollTop: number): void {
    this.setAt = scrollTop;
  }

  /** Moves the rows by `px` of their own (a wheel); returns the scroll position to set. */
  moveBy(px: number): number {
    return this.scrollTopFor(this.offset + px);
  }

  /** Where the row box goes in the scrolled content so that the rows from `first` on are in place, for a view scrolled to `scrollTop`. */
  rowsAt(first: number, scrollTop: number): number {
    return this.scale === 1 ? first * this.rowPx : scrollTop + first * this.rowPx - this.offset;
  }

  private clamp(px: number): number {
    return Math.max(0, Math.min(px, this.contentPx - this.viewPx));
  }
}
