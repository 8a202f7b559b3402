/**
 * Loads a scenario from YAML or JSON text. Every problem — YAML syntax, a wrong type, an unknown
 * key, a reference to a service that does not exist — is reported as `file:line:column: message`,
 * all of them at once, and nothing half-loads: either the whole scenario is valid or the caller
 * gets the list of problems.
 */
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { scenarioSchema, type Scenario } from './schema.ts';
import { allowedKeys, didYouMean, issueMessage, pathString } from './messages.ts';
import { checkReferences } from './references.ts';

/** One located problem in a scenario file. */
export interface ScenarioProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending field (`services[1].replicas`), empty for the whole file. */
  path: string;
  message: string;
}

/** A valid scenario plus where its parts are in the file (for "the config line that caused it"). */
export interface LoadedScenario extends Scenario {
  source: { file: string; lines: Record<string, number> };
}

export type LoadResult = { ok: true; scenario: LoadedScenario } | { ok: false; problems: ScenarioProblem[] };

/** `scenarios/retries.yaml:14:7: retries.attempts must be a whole number ≥ 0 (got "three")` */
export function formatProblem(p: ScenarioProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path} ` : ''}${p.message}`;
}

/** Thrown by {@link loadScenarioOrThrow}; carries every problem. */
export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

/** A problem found by a check that knows the path but not the position. */
export interface PathProblem {
  path: (string | number)[];
  message: string;
  /** Point at the key itself rather than its value. */
  atKey?: boolean;
}

export interface ParseOptions {
  /** `--set key=value` overrides, applied before validation (`policies.mtls`, `traffic[0].rate`). */
  overrides?: [string, string][];
}

/** Parses and validates `text` (YAML or JSON) read from `file`. Never throws. */
export function parseScenario(text: string, file: string, options: ParseOptions = {}): LoadResult {
  const lineCounter = new LineCounter();
  const at = (offset: number, path: string, message: string): ScenarioProblem => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, path, message };
  };

  if (text.replace(/#.*$/gm, '').trim() === '') {
    return { ok: false, problems: [{ file, line: 1, column: 1, path: '', message: 'the file is empty; a scenario needs at least id, title, duration and services' }] };
  }

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (err) {
    return { ok: false, problems: [{ file, line: 1, column: 1, path: '', message: `cannot be read as YAML: ${(err as Error).message}` }] };
  }
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => at(e.pos[0], '', `YAML syntax error: ${firstLine(e.message)}`)) };
  }
  if (!isMap(doc.contents)) {
    return { ok: false, problems: [at(doc.contents?.range?.[0] ?? 0, '', 'must be a mapping with id, title, duration and services at the top level')] };
  }

  const overridden: { path: (string | number)[]; text: string }[] = [];
  for (const [key, value] of options.overrides ?? []) {
    const path = parseKeyPath(key);
    if (!path) return { ok: false, problems: [{ file: '--set', line: 1, column: 1, path: '', message: `"${key}" is not a key path like policies.mtls or traffic[0].rate` }] };
    try {
      doc.setIn(path, parseDocument(value).contents);
    } catch (err) {
      return { ok: false, problems: [{ file: '--set', line: 1, column: 1, path: key, message: `cannot be set: ${(err as Error).message}` }] };
    }
    overridden.push({ path, text: `${key}=${value}` });
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, problems: [at(0, '', `cannot be read: ${(err as Error).message}`)] };
  }

  const locate = (p: PathProblem): ScenarioProblem => {
    const set = overridden.find((o) => o.path.every((seg, i) => String(p.path[i]) === String(seg)));
    if (set) return { file: `--set ${set.text}`, line: 1, column: 1, path: pathString(p.path), message: p.message };
    const { offset } = locateNode(doc, p.path, p.atKey ?? false);
    return at(offset, pathString(p.path), p.message);
  };

  const problems: ScenarioProblem[] = [];
  const parsed = scenarioSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as (string | number)[];
      if (issue.code === 'unrecognized_keys') {
        const allowed = allowedKeys(issue);
        const native = nativeKind(data, path);
        for (const key of issue.keys) {
          const guess = didYouMean(key, allowed);
          const hint = guess ? ` (did you mean "${guess}"?)` : allowed.length ? ` (expected one of ${allowed.join(', ')})` : '';
          const what = native ? `field "${key}" is not supported by mesh-sim in a ${native}` : `unknown key "${key}"`;
          problems.push(locate({ path: [...path, key], message: what + hint, atKey: true }));
        }
      } else {
        problems.push(locate({ path, message: issueMessage(issue) }));
      }
    }
  }
  // Reference checks read the raw data defensively, so they report alongside schema problems.
  for (const p of checkReferences(data)) problems.push(locate(p));

  if (problems.length > 0 || !parsed.success) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, problems: dedupe(problems) };
  }
  return { ok: true, scenario: { ...parsed.data, source: { file, lines: collectLines(doc, lineCounter) } } };
}

/** Like {@link parseScenario}, but throws a {@link ScenarioError}. */
export function loadScenarioOrThrow(text: string, file: string): LoadedScenario {
  const r = parseScenario(text, file);
  if (!r.ok) throw new ScenarioError(r.problems);
  return r.scenario;
}

/**
 * Finds the node at `path`, or the deepest existing ancestor (a missing key is reported where
 * its mapping starts). With `atKey`, points at the key of the last segment.
 */
function locateNode(doc: Document.Parsed, path: (string | number)[], atKey: boolean): { offset: number } {
  let node: Node | null | undefined = doc.contents as Node;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) return { offset };
      if (last && atKey && isScalar(pair.key)) return { offset: pair.key.range?.[0] ?? offset };
      node = pair.value as Node | null;
      offset = node?.range?.[0] ?? (isScalar(pair.key) ? pair.key.range?.[0] ?? offset : offset);
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return { offset };
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return { offset };
    }
  }
  return { offset };
}

/** `DestinationRule` when `path` is inside `istio[i]`/`linkerd[i]`, so messages name the kind. */
function nativeKind(data: unknown, path: (string | number)[]): string | undefined {
  if ((path[0] !== 'istio' && path[0] !== 'linkerd') || typeof path[1] !== 'number' || path.length < 3) return undefined;
  const list = (data as Record<string, unknown>)[path[0]];
  const item = Array.isArray(list) ? (list[path[1]] as Record<string, unknown> | undefined) : undefined;
  return typeof item?.kind === 'string' ? item.kind : undefined;
}

/** Line of every mapping key and list item, by path: decisions cite the line of their config. */
function collectLines(doc: Document.Parsed, lc: LineCounter): Record<string, number> {
  const lines: Record<string, number> = {};
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        lines[pathString(p)] = lc.linePos(pair.key.range?.[0] ?? 0).line;
        walk(pair.value, p);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, i];
        lines[pathString(p)] = lc.linePos((item as Node).range?.[0] ?? 0).line;
        walk(item, p);
      });
    }
  };
  walk(doc.contents, []);
  return lines;
}

/** `traffic[0].rate` → ['traffic', 0, 'rate']; undefined when malformed. */
function parseKeyPath(key: string): (string | number)[] | undefined {
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*$/.test(key)) return undefined;
  return key.match(/[A-Za-z_][\w-]*|\[\d+\]/g)!.map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function dedupe(problems: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = formatProblem(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
