/**
 * Where a path of the scenario is in the text: problems point at the offending key or value,
 * and a loaded scenario remembers the line of every key so decisions can cite their config.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { pathString } from './messages.ts';

/** 1-based line and column of a text offset. */
export type LinePos = (offset: number) => { line: number; col: number };

/**
 * Line and column by offset, counted from the text itself. yaml's LineCounter is fed by its lexer,
 * which skips line starts while it recovers from a syntax error: after `  ],` out of place, it
 * put a problem on line 3, column 30 of a four-character line. YAML's line breaks are \r\n, \n
 * and \r.
 */
export function linePositions(text: string): LinePos {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
}

/**
 * Offset of the node at `path`, or of the deepest existing ancestor (a missing key is reported
 * where its mapping starts). With `atKey`, the key of the last segment.
 */
export function locateNode(doc: Document.Parsed, path: readonly (string | number)[], atKey: boolean): number {
  let node: Node | null | undefined = doc.contents as Node;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      // The last one: a key set twice (itself reported) holds its last value, as toJS reads it.
      const pair = [...node.items].reverse().find((it) => isPair(it) && isScalar(it.key) && keyString(it.key.value) === String(seg));
      if (!pair) return offset;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (last && atKey && keyOffset !== undefined) return keyOffset;
      node = pair.value as Node | null;
      // `key:` with nothing after it has no value node: point at the key.
      offset = node?.range?.[0] ?? keyOffset ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** A key as toJS writes it: `~` (null) becomes the empty string. */
function keyString(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Line of every mapping key and list item, by path: decisions cite the line of their config. */
export function collectLines(doc: Document.Parsed, linePos: LinePos): Record<string, number> {
  const lines: Record<string, number> = {};
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        lines[pathString(p)] = linePos(pair.key.range?.[0] ?? 0).line;
        walk(pair.value, p);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, i];
        lines[pathString(p)] = linePos((item as Node).range?.[0] ?? 0).line;
        walk(item, p);
      });
    }
  };
  walk(doc.contents, []);
  return lines;
}
