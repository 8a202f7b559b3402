/**
 * YAML-level problems beyond syntax (yamlSyntax.ts), said so a course author can fix them: a key
 * set twice names the line of its first setting, an alias without an anchor names the anchor,
 * and tags and non-name keys, which YAML accepts, are refused rather than misread.
 */
import { isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

type Path = (string | number)[];

/** A problem at an offset in the text; `path` when it is known. */
export interface OffsetProblem {
  offset: number;
  path: Path;
  message: string;
  /** Offset of an earlier, related spot ("first on line N"). */
  firstAt?: number;
}

/** Problems YAML itself tolerates but a scenario must not: unknown tags. */
export function warningProblems(doc: Document.Parsed): OffsetProblem[] {
  return doc.warnings
    .filter((w) => w.code === 'TAG_RESOLVE_FAILED')
    .map((w) => ({
      offset: w.pos[0],
      path: [],
      message: `YAML tag ${firstLine(w.message).replace(/^Unresolved tag:\s*/, '')} is not supported; write a plain value`,
    }));
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
        out.push({
          offset: (pair.key as Node).range?.[0] ?? 0,
          path: [],
          message: `a key must be a plain name, not ${isSeq(pair.key) ? 'a list' : 'a mapping'}`,
        });
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

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
