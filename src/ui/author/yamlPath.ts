/**
 * Where the cursor is in a scenario file, read from the lines' indentation rather than a parse:
 * while an author types, the file is often not valid YAML, and completion must still know that
 * `re|` sits in `istio[2].spec.http[0]` of a VirtualService. Block-style YAML only (what
 * scenarios are written in); flow collections (`{ a: 1 }`) are not entered.
 */

/** One step of a path: a mapping key, or a list item (with its `kind:` when it has one). */
export type PathStep = { key: string } | { item: true; kind?: string };

/** What the cursor is on: a key being typed, or the value after `key:`. */
export interface CursorContext {
  mode: 'key' | 'value';
  /** The mapping the key is in (for `value`: the mapping holding `key`). */
  path: PathStep[];
  /** The key whose value is typed (value mode). */
  key?: string;
  /** The word typed so far, and where it starts (an offset in the text). */
  prefix: string;
  from: number;
  /** Keys already present in the same mapping. */
  siblings: string[];
}

interface LineShape {
  /** Columns of `- ` list markers, left to right. */
  dashes: number[];
  key: string | null;
  keyCol: number;
  /** What follows `key:` on the line (empty when the value is a block below). */
  value: string;
}

const KEY = /^((?:"[^"]*"|'[^']*'|[^\s#'"\-?:,[\]{}][^:#]*?|-[^\s:#][^:#]*?)):(?=\s|$)/;

/** A line's list markers and key; null for a blank or comment line. */
export function lineShape(line: string): LineShape | null {
  let at = line.length - line.trimStart().length;
  if (at === line.length || line[at] === '#') return null;
  const dashes: number[] = [];
  while (line[at] === '-' && (at + 1 === line.length || line[at + 1] === ' ')) {
    dashes.push(at);
    at += 1;
    while (line[at] === ' ') at++;
  }
  const m = KEY.exec(line.slice(at));
  if (!m) return { dashes, key: null, keyCol: at, value: line.slice(at).trim() };
  const key = m[1]!.replace(/^["']|["']$/g, '');
  const value = line
    .slice(at + m[0].length)
    .replace(/\s+#.*$/, '')
    .trim();
  return { dashes, key, keyCol: at, value };
}

/** The value of `kind:` in the list item that starts on line `start` with its first key at `keyCol`. */
function itemKind(lines: readonly string[], start: number, dashCol: number, keyCol: number): string | undefined {
  for (let i = start; i < lines.length; i++) {
    const shape = lineShape(lines[i]!);
    if (!shape) continue;
    const left = shape.dashes[0] ?? shape.keyCol;
    if (i > start && left <= dashCol) return undefined;
    if (shape.key === 'kind' && shape.keyCol === keyCol && shape.value) return shape.value.replace(/^["']|["']$/g, '');
  }
  return undefined;
}

/**
 * The path of the mapping that holds a key at column `col` on line `lineIndex`, whose own line
 * has list markers at `dashes` (a new item's first key), by walking up the lines.
 */
export function pathAt(lines: readonly string[], lineIndex: number, col: number, dashes: readonly number[] = []): PathStep[] {
  const steps: PathStep[] = [];
  let inItem = false;
  for (let d = dashes.length - 1; d >= 0; d--) {
    steps.unshift({ item: true, ...kindOf(lines, lineIndex, dashes[d]!, d === dashes.length - 1 ? col : dashes[d + 1]!) });
    col = dashes[d]!;
    inItem = true;
  }
  for (let i = lineIndex - 1; i >= 0; i--) {
    if (col === 0 && !inItem) break;
    const shape = lineShape(lines[i]!);
    if (!shape) continue;
    if (shape.key !== null && (shape.keyCol < col || (inItem && shape.keyCol === col && shape.value === '' && shape.dashes.length === 0))) {
      steps.unshift({ key: shape.key });
      col = shape.keyCol;
      inItem = false;
    }
    for (let d = shape.dashes.length - 1; d >= 0; d--) {
      const dash = shape.dashes[d]!;
      if (dash >= col) continue;
      const first = d === shape.dashes.length - 1 ? shape.keyCol : shape.dashes[d + 1]!;
      steps.unshift({ item: true, ...kindOf(lines, i, dash, first) });
      col = dash;
      inItem = true;
    }
  }
  return steps;
}

function kindOf(lines: readonly string[], start: number, dashCol: number, keyCol: number): { kind?: string } {
  const kind = itemKind(lines, start, dashCol, keyCol);
  return kind === undefined ? {} : { kind };
}

/** Keys at column `col` in the mapping around line `lineIndex` (not counting that line). */
function siblingsAt(lines: readonly string[], lineIndex: number, col: number, ownDash: boolean): string[] {
  const keys: string[] = [];
  const scan = (from: number, step: 1 | -1): void => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const shape = lineShape(lines[i]!);
      if (!shape) continue;
      const left = shape.dashes[0] ?? shape.keyCol;
      if (left < col) {
        // A list item's first key shares its line with the dash: it is a sibling of the keys below.
        if (step === -1 && shape.dashes.length && shape.keyCol === col && shape.key) keys.push(shape.key);
        return;
      }
      if (step === 1 && shape.dashes.length && left <= col) return;
      if (left === col && shape.key && shape.dashes.length === 0) keys.push(shape.key);
    }
  };
  if (!ownDash) scan(lineIndex - 1, -1);
  scan(lineIndex + 1, 1);
  return keys;
}

/** What the cursor at `offset` in `text` is typing, or null where nothing is offered (a comment, a flow collection, a text block). */
export function contextAt(text: string, offset: number): CursorContext | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  const before = line.slice(0, offset - lineStart);
  const lines = text.split('\n');
  const lineIndex = text.slice(0, lineStart).split('\n').length - 1;
  const dashes: number[] = [];
  let at = before.length - before.trimStart().length;
  while (before[at] === '-' && before[at + 1] === ' ') {
    dashes.push(at);
    at += 2;
    while (before[at] === ' ') at++;
  }
  const rest = before.slice(at);
  const keyTyped = /^[\w./-]*$/.exec(rest);
  if (keyTyped) {
    return {
      mode: 'key',
      path: pathAt(lines, lineIndex, at, dashes),
      prefix: rest,
      from: lineStart + at,
      siblings: siblingsAt(lines, lineIndex, at, dashes.length > 0),
    };
  }
  const value = /^([\w./-]+):[ \t]+([\w./-]*)$/.exec(rest);
  if (value) {
    return {
      mode: 'value',
      path: pathAt(lines, lineIndex, at, dashes),
      key: value[1]!,
      prefix: value[2]!,
      from: lineStart + before.length - value[2]!.length,
      siblings: [],
    };
  }
  return null;
}

/** The key under `offset` (as hovered), with the path of its mapping; or `kind`'s value. */
export function keyAt(text: string, offset: number): { path: PathStep[]; key: string; from: number; to: number; kindValue?: string } | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  const shape = lineShape(line);
  if (!shape?.key) return null;
  const col = offset - lineStart;
  const lines = text.split('\n');
  const lineIndex = text.slice(0, lineStart).split('\n').length - 1;
  const path = pathAt(lines, lineIndex, shape.keyCol, shape.dashes);
  if (col >= shape.keyCol && col <= shape.keyCol + shape.key.length)
    return { path, key: shape.key, from: lineStart + shape.keyCol, to: lineStart + shape.keyCol + shape.key.length };
  if (shape.key === 'kind' && shape.value) {
    const valueCol = line.indexOf(shape.value, shape.keyCol + shape.key.length + 1);
    if (col >= valueCol && col <= valueCol + shape.value.length)
      return { path, key: 'kind', kindValue: shape.value, from: lineStart + valueCol, to: lineStart + valueCol + shape.value.length };
  }
  return null;
}
