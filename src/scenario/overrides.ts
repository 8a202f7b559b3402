/**
 * `--set key=value` overrides (`policies.mtls=strict`, `traffic[0].rate=5/s`), applied to the
 * parsed document before validation so they are checked like the file itself. A problem with an
 * override is reported against the override (`--set traffic[5].rate=1/s:1:1: ...`).
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { pathString } from './messages.ts';
import { describe } from './units.ts';

type Path = (string | number)[];

/** An override that was applied: problems under `path` are reported against `text`. */
export interface AppliedOverride {
  path: Path;
  /** `policies.mtls=strict`, as the command line gave it. */
  text: string;
}

/** An override that could not apply (malformed key, index past the end), reported against `text`. */
export interface OverrideProblem {
  text: string;
  path: string;
  message: string;
}

/** Applies each override to `doc`; the ones that cannot apply are problems, the rest still apply. */
export function applyOverrides(doc: Document.Parsed, overrides: readonly [string, string][]): { applied: AppliedOverride[]; problems: OverrideProblem[] } {
  const applied: AppliedOverride[] = [];
  const problems: OverrideProblem[] = [];
  for (const [key, value] of overrides) {
    const text = `${key}=${value}`;
    const path = parseKeyPath(key);
    if (!path) {
      problems.push({ text, path: '', message: `${describe(key)} is not a key path like policies.mtls or traffic[0].rate` });
      continue;
    }
    const blocked = blockedAt(doc, path);
    if (blocked) {
      problems.push({ text, path: key, message: `cannot be set: ${blocked}` });
      continue;
    }
    doc.setIn(path, valueNode(doc, value));
    applied.push({ path, text });
  }
  return { applied, problems };
}

/** Why `path` cannot be set in `doc` (a scalar in the way, a list index past the end), if it cannot. */
function blockedAt(doc: Document.Parsed, path: Path): string | undefined {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = pathString(path.slice(0, i));
    if (node === undefined || node === null) {
      // Missing from here on: setIn creates mappings, and a list only when it starts at [0].
      if (typeof seg === 'number' && seg > 0) return `${here} has no items yet, so it starts at ${here}[0]`;
      return undefined;
    }
    if (isSeq(node)) {
      if (typeof seg !== 'number') return `${here} is a list; name an item like ${here}[0].${seg}`;
      if (seg > node.items.length) return `${here} has ${node.items.length} item${node.items.length === 1 ? '' : 's'}, so ${here}[${seg}] would leave a gap`;
      node = node.items[seg];
    } else if (isMap(node)) {
      if (typeof seg === 'number') return `${here || 'the scenario'} is a mapping, not a list`;
      node = node.get(seg, true);
    } else {
      const value = isScalar(node) ? node.value : node;
      return `${here} is ${describe(value)}, not a mapping or a list`;
    }
  }
  return undefined;
}

/**
 * The value as YAML (`3` is a number, `{ mtls: strict }` a mapping), except where YAML would
 * change what was typed: `>= 0.99` (a block scalar), `a #1` (a comment), or text YAML cannot read.
 */
function valueNode(doc: Document.Parsed, value: string): Node {
  if (value === '' || /(^|\s)#/.test(value)) return doc.createNode(value);
  const parsed = parseDocument(value);
  const node = parsed.contents;
  if (parsed.errors.length > 0 || !node || (isScalar(node) && (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL'))) return doc.createNode(value);
  return node as Node;
}

/** `traffic[0].rate` → ['traffic', 0, 'rate']; undefined when malformed. */
export function parseKeyPath(key: string): Path | undefined {
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*$/.test(key)) return undefined;
  return key.match(/[A-Za-z_][\w-]*|\[\d+\]/g)!.map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
}
