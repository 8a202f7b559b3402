/**
 * The scenario's config version by version, for the reference checks: the resources in force
 * after each change (kubectl apply: a resource replaces the one of the same kind, namespace and
 * name), and where in the file each one is written, so a problem is reported at its own line.
 */
import { isObj, list, str, type Obj } from './raw.ts';
import { nativeSections } from './nativeSections.ts';

/** A place in the file: keys and list indexes from its top. */
export type Path = (string | number)[];

/** One version of the config: policies (for a change, only its own) and the resources in force, by section. */
export interface Config {
  policies: unknown;
  sections: Record<string, unknown[]>;
  /** How messages name resource i of a section in this version. */
  where: (key: string) => (i: number) => string;
}
/** The resources in force by section, each with where it is written. */
export type Versioned = Record<string, { r: unknown; path: Path }[]>;

/** Each native section's raw list. */
export const sectionLists = (data: Obj): Record<string, unknown[]> => Object.fromEntries(nativeSections().map(({ key }) => [key, list(data[key])]));

export const indexed = (items: unknown[], at: Path): { r: unknown; path: Path }[] => items.map((r, i) => ({ r, path: [...at, i] }));

/** kubectl apply of `added` (written at `at`): a resource replaces the one of the same kind, namespace and name. */
export function applied(base: { r: unknown; path: Path }[], added: unknown[], at: Path): { r: unknown; path: Path }[] {
  const idOf = (r: unknown): string | undefined =>
    isObj(r) && typeof r.kind === 'string' && isObj(r.metadata) && typeof r.metadata.name === 'string'
      ? `${r.kind}/${str(r.metadata.namespace) ?? 'default'}/${r.metadata.name}`
      : undefined;
  const out = [...base];
  added.forEach((r, j) => {
    const id = idOf(r);
    const i = id === undefined ? -1 : out.findIndex((x) => idOf(x.r) === id);
    if (i >= 0) out[i] = { r, path: [...at, j] };
    else out.push({ r, path: [...at, j] });
  });
  return out;
}

/** A problem's path in a version of the config, as the path in the file (`changes[k]...`). */
export function relocate(path: Path, version: Versioned, change: Path): Path {
  const [head, i, ...rest] = path;
  if (typeof head === 'string' && Object.hasOwn(version, head) && typeof i === 'number') return [...(version[head]![i]?.path ?? [head, i]), ...rest];
  if (head === 'policies') return [...change, ...path];
  return path;
}
