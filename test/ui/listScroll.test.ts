import { describe, expect, it } from 'vitest';
import { ListScroll, MAX_SCROLL_PX } from '../../src/ui/listScroll.ts';

const ROW = 24;
const VIEW = 230;

describe('a virtual list taller than an element may be', () => {
  it('is scrolled as it is while its rows fit', () => {
    const s = new ListScroll(ROW);
    expect(s.resize(1000, VIEW)).toBe(24_000);
    expect(s.scale).toBe(1);
    s.scrolled(4800);
    expect(s.top).toBe(4800);
    expect(s.rowsAt(195, 4800)).toBe(195 * ROW);
  });

  it('keeps its scrolled height under the cap and maps the scroll range onto every row', () => {
    const rows = 3_000_000;
    const s = new ListScroll(ROW);
    expect(s.resize(rows, VIEW)).toBe(MAX_SCROLL_PX);
    const bottom = MAX_SCROLL_PX - VIEW;
    // The bottom of the scroll range shows the last row, at the bottom of the view.
    s.scrolled(bottom);
    expect(s.top).toBeCloseTo(rows * ROW - VIEW, 3);
    const last = rows - 1;
    const lastY = s.rowsAt(Math.floor(s.top / ROW), bottom) + (last - Math.floor(s.top / ROW)) * ROW;
    expect(lastY + ROW).toBeCloseTo(bottom + VIEW, 3);
    // Halfway down the range is halfway through the rows.
    s.scrolled(bottom / 2);
    expect(s.top / ROW).toBeCloseTo((rows * ROW - VIEW) / 2 / ROW, 3);
    s.scrolled(0);
    expect(s.top).toBe(0);
  });

  it('puts the rows where it is asked, whatever the browser rounds the scroll position to', () => {
    const s = new ListScroll(ROW);
    s.resize(3_000_000, VIEW);
    const want = 2_345_678 * ROW;
    const scrollTop = s.scrollTopFor(want);
    expect(scrollTop).toBeLessThan(MAX_SCROLL_PX);
    s.settled(Math.round(scrollTop));
    // The scroll event for that position does not move the rows by the rounding × the scale.
    s.scrolled(Math.round(scrollTop));
    expect(s.top).toBe(want);
    // The first row drawn sits where the view's top is.
    const first = Math.floor(want / ROW);
    expect(s.rowsAt(first, Math.round(scrollTop))).toBe(Math.round(scrollTop));
  });

  it('moves by a wheel’s own distance, not that distance scaled', () => {
    const s = new ListScroll(ROW);
    s.resize(3_000_000, VIEW);
    s.settled(s.scrollTopFor(1_000 * ROW));
    s.settled(s.moveBy(3 * ROW));
    expect(s.top).toBe(1_003 * ROW);
    s.moveBy(-10_000 * ROW);
    expect(s.top).toBe(0);
    s.moveBy(1e12);
    expect(s.top).toBe(3_000_000 * ROW - VIEW);
  });
});
