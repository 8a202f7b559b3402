/**
 * The ways a box's badge list can be written, from the whole list to the most compact: where a
 * tight card (a compare pane's) leaves no free room for the whole list, a shorter form is tried
 * before the list covers words — its rows on one line with the newest first, then in shorter
 * words, then each kind as its symbol and count alone. Pure: the layer measures and places them.
 */
import type { BadgeView } from '../player/index.ts';
import { BADGE_LOOKS, COLOURS } from './palette.ts';

/** Rows of a box's list before "+N more". */
export const MAX_ROWS = 2;

/** A box's alike badges merged: their kind, words, how many, and the newest one's age. */
export interface BadgeRow {
  key: string;
  kind: BadgeView['kind'];
  text: string;
  count: number;
  age: number;
}

/** One line of a list as drawn: its words, its frame's colour, and the age it fades by. */
export interface BadgeLine {
  text: string;
  colour: number;
  age: number;
}

/**
 * A badge's words made shorter: "got 500" → "500", "retry 1 of 2" → "retry 1"; words already
 * short stay as they are.
 */
export function shortBadgeText(text: string): string {
  const got = /^got (\d+)$/.exec(text);
  if (got) return got[1]!;
  const retry = /^retry (\d+) of \d+$/.exec(text);
  if (retry) return `retry ${retry[1]}`;
  return text;
}

const times = (n: number): string => (n > 1 ? ` ×${n}` : '');

/**
 * The forms of a list (rows newest first), each a list of lines, the whole list first: up to
 * {@link MAX_ROWS} rows and "+N more"; the newest row alone on one line, "+N" for the others;
 * the same in shorter words; every kind's symbol and count on one line ("✕×4 ⚡×4"). A form that
 * reads as the one before it is left out. Without `shorter`, the whole list alone.
 */
export function badgeForms(rows: readonly BadgeRow[], shorter = true): BadgeLine[][] {
  const line = (row: BadgeRow, text: string): BadgeLine => ({ text, colour: BADGE_LOOKS[row.kind].colour, age: row.age });
  const full = (rows.length > MAX_ROWS + 1 ? rows.slice(0, MAX_ROWS) : rows).map((r) => line(r, `${BADGE_LOOKS[r.kind].symbol} ${r.text}${times(r.count)}`));
  if (rows.length > MAX_ROWS + 1) full.push({ text: `+${rows.length - MAX_ROWS} more`, colour: COLOURS.grey, age: rows[MAX_ROWS]!.age });
  if (!shorter) return [full];
  const newest = rows[0]!;
  const others = rows.length > 1 ? ` +${rows.length - 1}` : '';
  const forms = [
    full,
    [line(newest, `${BADGE_LOOKS[newest.kind].symbol} ${newest.text}${times(newest.count)}${others}`)],
    [line(newest, `${BADGE_LOOKS[newest.kind].symbol} ${shortBadgeText(newest.text)}${times(newest.count)}${others}`)],
    [line(newest, rows.map((r) => `${BADGE_LOOKS[r.kind].symbol}${r.count > 1 ? `×${r.count}` : ''}`).join(' '))],
  ];
  const key = (f: BadgeLine[]): string => f.map((l) => l.text).join('\n');
  return forms.filter((f, i) => i === 0 || key(f) !== key(forms[i - 1]!));
}
