/**
 * Loads a scenario from YAML or JSON text. Every problem — YAML syntax, a wrong type, an unknown
 * key, a reference to a service that does not exist — is reported as `file:line:column: message`,
 * all of them at once, and nothing half-loads: either the whole scenario is valid or the caller
 * gets the list of problems.
 */
import { isMap, parseDocument } from 'yaml';
import { scenarioSchema, type Scenario } from './schema.ts';
import { pathString } from './messages.ts';
import { issueProblems } from './issues.ts';
import { checkReferences } from './references.ts';
import { checkNodes } from './nodeReferences.ts';
import { checkIgnoredSettings } from './ignored.ts';
import { checkReleases } from './meshReleases.ts';
import { applyOverrides, type AppliedOverride } from './overrides.ts';
import { keyServices } from './serviceKeys.ts';
import { duplicateKeys, firstAlias, structuralProblems, warningProblems, type OffsetProblem } from './yamlErrors.ts';
import { jsonSyntaxProblem, syntaxProblems } from './yamlSyntax.ts';
import { collectLines, linePositions, locateNode } from './locate.ts';
import { formatProblem, type ScenarioProblem } from './problem.ts';

export { formatProblem, type ScenarioProblem } from './problem.ts';

/** A valid scenario plus where its parts are in the file (for "the config line that caused it"). */
export interface LoadedScenario extends Scenario {
  source: { file: string; lines: Record<string, number> };
  /**
   * Where each entry of each native section sits in the file (`istio[2]`, `changes[0].istio[1]`),
   * by section key, when they do not come straight from those lists (a scenario as changed by
   * `changes`).
   */
  resourcePaths?: Record<string, string[]>;
}

/** Either the whole scenario, valid, or every problem found: nothing half-loads. */
export type LoadResult = { ok: true; scenario: LoadedScenario } | { ok: false; problems: ScenarioProblem[] };

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
  /** An earlier spot the message refers to; the loader appends its line (`first on line 7`). */
  first?: { path: (string | number)[]; text: string };
}

/** How to read a scenario beyond its text. */
export interface ParseOptions {
  /** `--set key=value` overrides, applied before validation (`policies.mtls`, `traffic[0].rate`). */
  overrides?: [string, string][];
}

/** Parses and validates `text` (YAML or JSON) read from `file`. Never throws. */
export function parseScenario(text: string, file: string, options: ParseOptions = {}): LoadResult {
  try {
    return parse(text, file, options);
  } catch (err) {
    // A bug in mesh-sim, not in the file: still a located answer, never a stack trace.
    return {
      ok: false,
      problems: [
        { file, line: 1, column: 1, path: '', message: `internal error in mesh-sim while reading this file (${(err as Error).message}); please report it` },
      ],
    };
  }
}

function parse(text: string, file: string, options: ParseOptions): LoadResult {
  const linePos = linePositions(text);
  let end: number | undefined;
  const at = (offset: number, path: string, message: string): ScenarioProblem => {
    end ??= lastCharOffset(text);
    const pos = linePos(Math.min(offset, end));
    return { file, line: pos.line, column: pos.col, path, message };
  };
  const atOffset = (p: OffsetProblem): ScenarioProblem =>
    at(p.offset, pathString(p.path), p.firstAt === undefined ? p.message : `${p.message} (first on line ${linePos(p.firstAt).line})`);
  // Override problems follow the file's, in command-line order.
  const setOrder = new Map((options.overrides ?? []).map(([k, v], i) => [`--set ${k}=${v}`, i + 1]));
  const fail = (problems: ScenarioProblem[]): LoadResult => ({ ok: false, problems: sortAndDedupe(problems, (p) => setOrder.get(p.file) ?? 0) });

  if (text.replace(/#.*$/gm, '').trim() === '') {
    return fail([{ file, line: 1, column: 1, path: '', message: 'the file is empty; a scenario needs at least id, title, duration and services' }]);
  }

  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
  // Keys set twice and unknown tags do not hide the rest; broken syntax does.
  const yamlProblems = [...duplicateKeys(doc), ...warningProblems(doc)].map(atOffset);
  const json = /\.json$/i.test(file);
  const jsonSlip = json ? jsonSyntaxProblem(text) : undefined;
  if (jsonSlip) return fail([atOffset(jsonSlip)]);
  const syntax = syntaxProblems(doc, text, json ? 'JSON' : 'YAML');
  if (syntax.length > 0) return fail([...syntax.map(atOffset), ...yamlProblems]);
  // Either would stop toJS (or make it print a warning): report them and stop here.
  const structural = structuralProblems(doc);
  if (structural.length > 0) return fail([...structural.map(atOffset), ...yamlProblems]);
  if (!isMap(doc.contents)) {
    return fail([at(doc.contents?.range?.[0] ?? 0, '', 'must be a mapping with id, title, duration and services at the top level')]);
  }

  const { applied, problems: setProblems } = applyOverrides(doc, options.overrides ?? []);
  const problems: ScenarioProblem[] = [
    ...yamlProblems,
    ...setProblems.map((p) => ({ file: `--set ${p.text}`, line: 1, column: 1, path: p.path, message: p.message })),
  ];

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const tooMany = /alias count/i.test((err as Error).message);
    const message = tooMany ? 'its aliases repeat too much data (more than 100 copies); write the values out' : `cannot be read: ${(err as Error).message}`;
    return fail([...problems, at(firstAlias(doc), '', message)]);
  }

  const locate = (p: PathProblem): ScenarioProblem => {
    const set = overrideOf(applied, p.path);
    const problem = set
      ? { file: `--set ${set.text}`, line: 1, column: 1, path: pathString(p.path), message: p.message }
      : at(locateNode(doc, p.path, p.atKey ?? false), pathString(p.path), p.message);
    if (p.first) problem.message += ` (${p.first.text} ${placeOf(p.first.path, set ? 0 : problem.line)})`;
    return problem;
  };
  const placeOf = (path: (string | number)[], line: number): string => {
    if (overrideOf(applied, path)) return `by --set ${pathString(path)}`;
    const first = linePos(locateNode(doc, path, false)).line;
    return first === line ? 'earlier on this line' : `on line ${first}`;
  };

  const parsed = scenarioSchema().safeParse(data, { reportInput: true });
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(...issueProblems(issue, data).map(locate));
  // Reference checks read the raw data defensively, so they report alongside schema problems.
  for (const p of [...checkReferences(data), ...checkNodes(data), ...checkIgnoredSettings(data), ...checkReleases(data)]) problems.push(locate(p));

  if (problems.length > 0 || !parsed.success) return fail(problems);
  return { ok: true, scenario: { ...keyServices(parsed.data), source: { file, lines: collectLines(doc, linePos) } } };
}

/** Like {@link parseScenario}, but throws a {@link ScenarioError}. */
export function loadScenarioOrThrow(text: string, file: string, options: ParseOptions = {}): LoadedScenario {
  const r = parseScenario(text, file, options);
  if (!r.ok) throw new ScenarioError(r.problems);
  return r.scenario;
}

/** The override that set `path` or one of its ancestors. */
function overrideOf(applied: AppliedOverride[], path: (string | number)[]): AppliedOverride | undefined {
  return applied.find((o) => o.path.length <= path.length && o.path.every((seg, i) => String(path[i]) === String(seg)));
}

/** The text's last character, so a problem at the very end still names a line that exists. */
function lastCharOffset(text: string): number {
  return Math.max(0, text.replace(/\s+$/, '').length - 1);
}

/** `\u0000` for a control character: whatever a message quotes, a problem stays one line. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Problems by `source` (0 for the file), then line and column; exact repeats once. */
function sortAndDedupe(problems: ScenarioProblem[], source: (p: ScenarioProblem) => number): ScenarioProblem[] {
  const sorted = problems
    .map((p) => ({ ...p, path: oneLine(p.path), message: oneLine(p.message) }))
    .sort((a, b) => source(a) - source(b) || a.line - b.line || a.column - b.column);
  const seen = new Set<string>();
  return sorted.filter((p) => {
    const k = formatProblem(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
