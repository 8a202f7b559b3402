/**
 * From zod issues to problems a course author can act on: one problem per unknown key (with the
 * key it probably meant), a union's real complaint instead of "unexpected form", a bad record
 * key pointed at the key, and every message quoting what the file holds at that spot.
 */
import type { core } from 'zod';
import { allowedKeys, didYouMean, issueMessage, withGot, type RawValue } from './messages.ts';
import { describe } from './units.ts';
import type { PathProblem } from './load.ts';
import { sectionEntry } from './catalog.ts';

type Path = (string | number)[];

/** What `data` holds at `path`; `present` is false when a key along the way is absent. */
function rawAt(data: unknown, path: readonly PropertyKey[]): RawValue {
  let v: unknown = data;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number' && seg < v.length) v = v[seg];
    else if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, String(seg))) v = (v as Record<string, unknown>)[String(seg)];
    else return { present: false, value: undefined };
  }
  return { present: true, value: v };
}

/** The problems one zod issue stands for; `prefix` is the path of the union it came from. */
export function issueProblems(issue: core.$ZodIssue, data: unknown, prefix: Path = []): PathProblem[] {
  const path = [...prefix, ...(issue.path as Path)];
  const raw = rawAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(key, allowedKeys(issue), raw.value, data, [...path, key]));
    case 'invalid_union':
      return unionProblems(issue, data, path, raw);
    case 'invalid_key': {
      // A record key is wrong (`byStatus: { abc: 1 }`): the problem is the key, so point at it.
      const inner = issue.issues[0];
      const key = path[path.length - 1];
      const message = inner ? issueMessage(inner, { present: true, value: key }) : `is not an allowed key`;
      return [{ path, message: withGot(message, { present: true, value: key }), atKey: true }];
    }
    default: {
      const atKey = (issue as { params?: { atKey?: boolean } }).params?.atKey === true;
      return [{ path, message: issueMessage(issue, raw), ...(atKey ? { atKey } : {}) }];
    }
  }
}

/** Did a union option reject the value outright (wrong type), rather than something inside it? */
const rejectsOutright = (issues: core.$ZodIssue[]): boolean =>
  issues.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union'));

function unionProblems(issue: core.$ZodIssueInvalidUnion, data: unknown, path: Path, raw: RawValue): PathProblem[] {
  if (!raw.present) return [{ path, message: 'is required' }];
  // One option took the value's shape ({ p50, p90 } for { p50, p99 }): its complaints are the real ones.
  const fitting = issue.errors.filter((errs) => !rejectsOutright(errs));
  if (fitting.length === 1) return fitting[0]!.flatMap((i) => issueProblems(i, data, path));
  if (/^Invalid/.test(issue.message) && fitting.length === 0) {
    // No message of its own: say what each option wants ("one of 5xx, ..., or a whole number ≥ 100").
    const roots = issue.errors.map((errs) => errs.find((i) => i.path.length === 0)!);
    const wants = roots.map((root) => issueMessage(root, raw).replace(/ \(got [^)]*\)$/, ''));
    const words = roots.flatMap((root) => (root.code === 'invalid_value' ? root.values.map(String) : []));
    const guess = typeof raw.value === 'string' ? didYouMean(raw.value, words) : undefined;
    if (wants.every((w) => w.startsWith('must be ')))
      return [
        {
          path,
          message: `must be ${wants.map((w) => w.slice('must be '.length)).join(', or ')} (got ${describe(raw.value)}${guess ? `; did you mean ${describe(guess)}?` : ''})`,
        },
      ];
  }
  return [{ path, message: issueMessage(issue, raw) }];
}

function unknownKey(key: string, allowed: string[], holder: unknown, data: unknown, path: Path): PathProblem {
  const native = nativeKind(data, path);
  // `{ p50, p90 }` means p99, not the p50 already there.
  const present = typeof holder === 'object' && holder !== null ? Object.keys(holder) : [];
  const guess =
    didYouMean(
      key,
      allowed.filter((k) => !present.includes(k)),
    ) ?? didYouMean(key, allowed);
  const list = allowed.join(', ');
  const hint = guess ? ` (did you mean ${describe(guess)}?)` : !allowed.length ? '' : native ? ` (supported here: ${list})` : ` (expected one of ${list})`;
  const what = native ? `is not a ${native} field that mesh-sim supports` : 'is an unknown key';
  return { path, message: what + hint, atKey: true };
}

/**
 * `DestinationRule` when `path` is inside a native section's entry (`istio[i]`) or a change's
 * (`changes[k].istio[i]`), so messages name the kind.
 */
function nativeKind(data: unknown, path: Path): string | undefined {
  const at = path[0] === 'changes' && typeof path[1] === 'number' ? 2 : 0;
  if (typeof path[at] !== 'string' || !sectionEntry(path[at]) || typeof path[at + 1] !== 'number' || path.length < at + 3) return undefined;
  const kind = rawAt(data, [...path.slice(0, at + 2), 'kind']).value;
  return typeof kind === 'string' ? kind : undefined;
}
