/**
 * YAML syntax errors in a course author's terms. The parser names what it expected; the author
 * needs what they typed wrong and where: the bracket or quote that never closes (pointed at where
 * it opens, not lines later where the parser gives up), `okRate: >= 0.99` that needs quotes, a
 * value holding ": ", a key without its space, a list item without its space, indentation slips.
 */
import { visit, type Document, type Node, type YAMLError } from 'yaml';
import { describe } from './units.ts';
import type { OffsetProblem } from './yamlErrors.ts';

/**
 * Errors that make the document unusable; at most one per line (later ones are echoes). `label`
 * is `YAML` or `JSON`, after the file's extension: the author should hear the language they wrote.
 */
export function syntaxProblems(doc: Document.Parsed, text: string, label = 'YAML'): OffsetProblem[] {
  const at = (offset: number, message: string): OffsetProblem => ({ offset, path: [], message: `${label} syntax error: ${message}` });
  const out: OffsetProblem[] = [];
  const lines = new Set<number>();
  const add = (p: OffsetProblem): void => {
    const line = lineOf(text, p.offset);
    if (lines.has(line)) return;
    lines.add(line);
    out.push(p);
  };
  const errors = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY'); // duplicateKeys reports those, with both lines
  // `-name: web`: YAML reads a key "-name" and complains about the next line; the dash is the slip.
  const dashes = errors.length === 0 ? [] : [...text.matchAll(/^([ \t]*)-[^\s-]/gm)].map((m) => m.index + m[1]!.length);
  for (const d of dashes) add(at(d, 'a list item needs a space after "-"'));
  for (const e of errors) {
    if (dashes.some((d) => lineOf(text, d) + 1 === lineOf(text, e.pos[0]))) continue; // an echo of the dash
    add(syntaxProblem(e, doc, text, at));
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * For a JSON file, JSON.parse's own verdict: it stops at the real slip, where YAML's error
 * recovery (the loader reads JSON as YAML, for positions) can wander lines away. Undefined when
 * the text parses, or when the engine's message gives no position (then YAML's errors serve).
 */
export function jsonSyntaxProblem(text: string): OffsetProblem | undefined {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  try {
    JSON.parse(text.slice(bom));
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    if (/Unexpected end of JSON input/.test(message))
      return { offset: text.length, path: [], message: 'JSON syntax error: the file ends before the JSON does; a closing } or ] is missing' };
    const at = /at position (\d+)/.exec(message);
    if (!at) return undefined;
    const what = message.replace(/ in JSON at position \d+[\s\S]*$/, '');
    return { offset: bom + Number(at[1]), path: [], message: `JSON syntax error: ${what.charAt(0).toLowerCase()}${what.slice(1)}` };
  }
}

function syntaxProblem(e: YAMLError, doc: Document.Parsed, text: string, at: (offset: number, message: string) => OffsetProblem): OffsetProblem {
  const msg = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const pos = e.pos[0];
  const rest = restOfLine(text, pos);
  if (e.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(msg)) {
    const [open, close] = msg.startsWith('Flow map') ? ['{', '}'] : ['[', ']'];
    const opener = unclosed(doc, text, pos, open!, close!);
    if (opener !== undefined) return at(opener, `this ${open} is never closed with ${close}`);
  }
  if (e.code === 'MISSING_CHAR' && /^Missing closing .?quote/.test(msg)) {
    const quote = msg.includes('"') ? '"' : "'";
    const opener = unclosed(doc, text, pos, quote, quote);
    if (opener !== undefined) return at(opener, `this ${quote} quote is never closed`);
  }
  // `okRate: >= 0.99`: ">" and "|" start block text in YAML, "@", "`" and "%" are reserved.
  const indicator = e.code === 'BAD_SCALAR_START' ? pos : /^(Block scalar header|Not a YAML token)/.test(msg) ? indicatorBefore(text, pos) : undefined;
  if (indicator !== undefined) {
    const value = restOfLine(text, indicator)
      .split(/\s*[,}\]]|\s+#/)[0]!
      .trim();
    return at(indicator, `a value that starts with ${describe(text[indicator])} must be in quotes: write ${describe(value)}`);
  }
  // Two values in a row inside { } or [ ]: in JSON and flow YAML alike, a comma is missing.
  if (/^Missing , between flow (map|sequence) items$/.test(msg) || (/^Unexpected .*scalar token/.test(msg) && insideFlow(doc, pos)))
    return at(pos, 'a "," is missing before this');
  if (e.code === 'MULTIPLE_DOCS') return at(pos, 'a scenario file holds one YAML document; remove this --- and what follows it');
  if (e.code === 'TAB_AS_INDENT') return at(pos, 'tabs are not allowed as indentation; indent with spaces');
  if (msg === 'Sequence item without - indicator' || msg === 'All mapping items must start at the same column')
    return at(lineContentStart(text, pos), 'this line is not lined up with the keys above it');
  if (msg === 'Nested mappings are not allowed in compact mappings' && /:\s/.test(rest))
    return at(pos, 'this value holds ": ", which YAML reads as another key; put the value in quotes');
  if (e.code === 'MULTILINE_IMPLICIT_KEY' && /^[^\s:#]+:[^\s:]/.test(rest))
    return at(pos, `a key needs a space after its ":" (got ${describe(rest.split(/\s/)[0])})`);
  if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY')
    return at(pos, 'this runs onto the next line; is that line indented too far, or is a ":" missing?');
  return at(pos, msg);
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

/** Whether `pos` lies inside a `{ }` or `[ ]` collection. */
function insideFlow(doc: Document.Parsed, pos: number): boolean {
  let inside = false;
  visit(doc, {
    Node(_key, node) {
      const flow = (node as { flow?: boolean }).flow === true;
      const range = (node as Node).range;
      if (flow && range && range[0] < pos && pos < range[2]) inside = true;
    },
  });
  return inside;
}

/** `okRate: > 0` fails at the 0; the `>` after the colon, earlier on the line, is the cause. */
function indicatorBefore(text: string, pos: number): number | undefined {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  const m = /:\s+[>|]/.exec(text.slice(start, pos + 1));
  return m ? start + m.index + m[0].length - 1 : undefined;
}

function restOfLine(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end === -1 ? undefined : end).replace(/\r$/, '');
}

/** The first non-blank character of the line holding `offset`. */
function lineContentStart(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return start + /^[ \t]*/.exec(text.slice(start))![0].length;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
