/**
 * YAML-level problems, said so a course author can fix them: the bracket or quote that is never
 * closed is pointed at where it opens (the parser notices only lines later), a key set twice
 * names the line of its first setting, and an alias without an anchor names the anchor.
 */
import { isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type YAMLError } from 'yaml';

type Path = (string | number)[];

/** A problem at an offset in the text; `path` when it is known. */
export interface OffsetProblem {
  offset: number;
  path: Path;
  message: string;
  /** Offset of an earlier, related spot ("first on line N"). */
  firstAt?: number;
}

/**
 * Errors that make the document unusable; at most one per line (later ones are echoes). `label`
 * is `YAML` or `JSON`, after the file's extension: the author should hear the language they wrote.
 */
export function syntaxProblems(doc: Document.Parsed, text: string, label = 'YAML'): OffsetProblem[] {
  const out: OffsetProblem[] = [];
  const lines = new Set<number>();
  for (const e of doc.errors) {
    if (e.code === 'DUPLICATE_KEY') continue; // reported by duplicateKeys, with both lines
    const p = syntaxProblem(e, doc, text, label);
    const line = lineOf(text, p.offset);
    if (lines.has(line)) continue;
    lines.add(line);
    out.push(p);
  }
  return out;
}

function syntaxProblem(e: YAMLError, doc: Document.Parsed, text: string, label: string): OffsetProblem {
  const at = (offset: number, message: string): OffsetProblem => ({ offset, path: [], message: `${label} syntax error: ${message}` });
  const msg = firstLine(e.message);
  if (e.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(msg)) {
    const [open, close] = msg.startsWith('Flow map') ? ['{', '}'] : ['[', ']'];
    const opener = unclosed(doc, text, e.pos[0], open!, close!);
    if (opener !== undefined) return at(opener, `this ${open} is never closed with ${close}`);
  }
  if (e.code === 'MISSING_CHAR' && /^Missing closing .?quote/.test(msg)) {
    const quote = msg.includes('"') ? '"' : "'";
    const opener = unclosed(doc, text, e.pos[0], quote, quote);
    if (opener !== undefined) return at(opener, `this ${quote} quote is never closed`);
  }
  if (/^Missing , between flow (map|sequence) items$/.test(msg)) return at(e.pos[0], 'a "," is missing before this');
  if (e.code === 'MULTIPLE_DOCS') return at(e.pos[0], 'a scenario file holds one YAML document; remove this --- and what follows it');
  if (e.code === 'TAB_AS_INDENT') return at(e.pos[0], 'tabs are not allowed as indentation; indent with spaces');
  // Indentation slips, said in the author's terms rather than the parser's.
  if (msg === 'Sequence item without - indicator' || msg === 'All mapping items must start at the same column')
    return at(lineContentStart(text, e.pos[0]), 'this line is not lined up with the keys above it');
  if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY')
    return at(e.pos[0], 'this runs onto the next line; is that line indented too far, or is a ":" missing?');
  return at(e.pos[0], msg);
}

/** The last `open` before `pos` whose node does not end with `close`. */
function unclosed(doc: Document.Parsed, text: string, pos: number, open: string, close: string): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Node(_key, node) {
      const range = (node as Node).range;
      if (!range || range[0] >= pos || text[range[0]] !== open) return;
      const body = text.slice(range[0] + 1, range[1]).trimEnd();
      if (!body.endsWith(close) && (found === undefined || range[0] > found)) found = range[0];
    },
  });
  return found;
}

/** Problems YAML itself tolerates but a scenario must not: unknown tags. */
export function warningProblems(doc: Document.Parsed): OffsetProblem[] {
  return doc.warnings
    .filter((w) => w.code === 'TAG_RESOLVE_FAILED')
    .map((w) => ({ offset: w.pos[0], path: [], message: `YAML tag ${firstLine(w.message).replace(/^Unresolved tag:\s*/, '')} is not supported; write a plain value` }));
}

/** Keys set twice in one mapping: YAML would keep one of them silently. */
export function duplicateKeys(doc: Document.Parsed): OffsetProblem[] {
  const out: OffsetProblem[] = [];
  const walk = (node: unknown, path: Path): void => {
    if (isMap(node)) {
      const first = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const earlier = first.get(key);
        if (earlier === undefined) first.set(key, offset);
        else out.push({ offset, path: [...path, key], message: 'is set twice', firstAt: earlier });
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return out;
}

/**
 * What would stop toJS (or make it print a warning) in one pass: `*name` with no `&name` before
 * it, and keys that are lists or mappings (`? [a, b]`) where a scenario's keys are names.
 */
export function structuralProblems(doc: Document.Parsed): OffsetProblem[] {
  const out: OffsetProblem[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined)
        out.push({ offset: node.range?.[0] ?? 0, path: [], message: `alias *${node.source} refers to no anchor &${node.source} above it` });
    },
    Pair(_key, pair) {
      if (pair.key !== null && !isScalar(pair.key))
        out.push({ offset: (pair.key as Node).range?.[0] ?? 0, path: [], message: `a key must be a plain name, not ${isSeq(pair.key) ? 'a list' : 'a mapping'}` });
    },
  });
  return out;
}

/** Offset of the first alias, where "too many aliases" is reported. */
export function firstAlias(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** The first non-blank character of the line holding `offset`. */
function lineContentStart(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const lead = /^[ \t]*/.exec(text.slice(start))![0].length;
  return start + lead;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
