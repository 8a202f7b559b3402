/**
 * Ways a course author's file goes wrong, as fast-check arbitraries: edits to the text (cut,
 * swapped letters, stray YAML punctuation, indentation slips, lost or doubled lines) and edits to
 * the data (a key removed, a value doubled or retyped, a key that does not belong).
 */
import fc from 'fast-check';
import { parse } from 'yaml';

type Path = (string | number)[];

/** An edit to the text as typed. */
export type TextEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'swap'; at: number }
  | { kind: 'noise'; at: number; text: string }
  | { kind: 'indent'; line: number; delta: number }
  | { kind: 'deleteLine'; line: number }
  | { kind: 'duplicateLine'; line: number };

/** An edit to the data the text holds (`pick` chooses a key or item among all of them). */
export type DataEdit =
  | { kind: 'deleteValue'; pick: number }
  | { kind: 'duplicateValue'; pick: number; to: number }
  | { kind: 'retype'; pick: number; value: unknown }
  | { kind: 'insertKey'; pick: number; key: string; value: unknown };

const NOISE = [
  ':',
  ': ',
  '- ',
  '-',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  ',',
  '&a ',
  '*a',
  '*nope',
  '!tag ',
  '!!str ',
  '#',
  '\t',
  '---\n',
  '...\n',
  '? ',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\n',
  '\r\n',
  '  ',
  '\u00a0',
  '\uFEFF',
  '<<: ',
  '~',
  'null',
  '\\',
  '\u0000',
];

/** Values a wrong edit might leave: other types, out-of-range numbers, broken units. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 2.5, 1e9, '', 'three', '150%', '-5%', '10 seconds', '0s', '20', '0/s', 'reviews-9', 'STRICT', [], {}, ['x'], {
    a: 1,
  }),
  fc.integer({ min: -5, max: 70_000 }),
  fc.string({ maxLength: 8 }),
);

const keyName = fc.oneof(
  fc.constantFrom(
    'name',
    'replica',
    'replicas',
    'servces',
    'durations',
    'kind',
    'spec',
    'metadata',
    'rate',
    'at',
    'count',
    'to',
    'from',
    'mtls',
    'on',
    'text',
    'p99',
    'host',
    '1',
    '',
  ),
  fc.string({ maxLength: 10 }),
);

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('noise' as const), at: fc.nat(), text: fc.constantFrom(...NOISE) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
);

export const dataEdit: fc.Arbitrary<DataEdit> = fc.oneof(
  fc.record({ kind: fc.constant('deleteValue' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateValue' as const), pick: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant('insertKey' as const), pick: fc.nat(), key: keyName, value: oddValue }),
);

/** A valid file to start from; its data is read once (parsing is most of the cost of a run). */
export interface Seed {
  file: string;
  text: string;
  data: unknown;
}

export function seed(file: string, text: string): Seed {
  return { file, text, data: parse(text, { merge: true, logLevel: 'error' }) };
}

/** The seed's text after the data edits (written back in the file's own language), then the text edits. */
export function mutate(s: Seed, dataEdits: readonly DataEdit[], textEdits: readonly TextEdit[]): string {
  let text = s.text;
  if (dataEdits.length > 0) {
    const data = structuredClone(s.data);
    for (const e of dataEdits) editData(data, e);
    text = s.file.endsWith('.json') ? JSON.stringify(data, null, 2) : toYaml(data);
  }
  return textEdits.reduce(editText, text);
}

function editText(text: string, m: TextEdit): string {
  const lines = text.split('\n');
  const line = (n: number) => n % Math.max(1, lines.length);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'swap': {
      const i = m.at % Math.max(1, text.length - 1);
      return text.slice(0, i) + text.charAt(i + 1) + text.charAt(i) + text.slice(i + 2);
    }
    case 'noise': {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'indent': {
      const i = line(m.line);
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return lines.join('\n');
    }
    case 'deleteLine':
      lines.splice(line(m.line), 1);
      return lines.join('\n');
    case 'duplicateLine':
      lines.splice(line(m.line), 0, lines[line(m.line)]!);
      return lines.join('\n');
  }
}

function editData(data: unknown, m: DataEdit): void {
  const paths = allPaths(data);
  if (paths.length === 0) return;
  const path = paths[m.pick % paths.length]!;
  const parent = get(data, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const last = path[path.length - 1]!;
  if (m.kind === 'deleteValue') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last as string];
  } else if (m.kind === 'duplicateValue') {
    const value = structuredClone(get(data, path));
    if (Array.isArray(parent)) parent.splice(last as number, 0, value);
    else set(data, paths[m.to % paths.length]!, value);
  } else if (m.kind === 'retype') {
    set(data, path, m.value);
  } else {
    const holder = get(data, path);
    if (holder !== null && typeof holder === 'object' && !Array.isArray(holder)) (holder as Record<string, unknown>)[m.key] = m.value;
    else if (!Array.isArray(parent)) parent[m.key] = m.value;
  }
}

function allPaths(data: unknown, path: Path = []): Path[] {
  if (Array.isArray(data)) return data.flatMap((v, i) => [[...path, i], ...allPaths(v, [...path, i])]);
  if (data !== null && typeof data === 'object') return Object.entries(data).flatMap(([k, v]) => [[...path, k], ...allPaths(v, [...path, k])]);
  return [];
}

function get(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], data);
}

function set(data: unknown, path: Path, value: unknown): void {
  (get(data, path.slice(0, -1)) as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

// A small block-style YAML writer: yaml's stringify is several times slower, and the data edits
// run thousands of times. Strings that could read as something else are JSON-quoted.
const PLAIN = /^[A-Za-z_][\w./-]*$/;
const RESERVED = /^(true|false|null|y|n|yes|no|on|off)$/i;
const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v);
  return v === undefined ? 'null' : String(v);
}

/** The text after `key:` or `-`; nested lines at `indent`. */
function after(v: unknown, indent: string): string {
  if (Array.isArray(v)) return v.length ? v.map((x) => `\n${indent}-${item(x, `${indent}  `)}`).join('') : ' []';
  if (isMapping(v)) {
    const entries = Object.entries(v);
    return entries.length ? entries.map(([k, x]) => `\n${indent}${scalar(k)}:${after(x, `${indent}  `)}`).join('') : ' {}';
  }
  return ` ${scalar(v)}`;
}

/** A list item; a mapping starts on the dash's line (`- name: web`), as authors write it. */
function item(v: unknown, indent: string): string {
  if (!isMapping(v) || Object.keys(v).length === 0) return after(v, indent);
  return ` ${Object.entries(v)
    .map(([k, x], i) => `${i ? `\n${indent}` : ''}${scalar(k)}:${after(x, `${indent}  `)}`)
    .join('')}`;
}

export function toYaml(data: unknown): string {
  return `${after(data, '').replace(/^[\n ]/, '')}\n`;
}
