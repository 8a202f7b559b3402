/**
 * No runtime import cycles in src: a module that imports itself through others can be read
 * half-initialised (a `const` in the temporal dead zone, an undefined function), depending on
 * which module an entry point loads first. Type-only imports vanish when compiled and are
 * excepted; so are dynamic `import()`s, which load after every module has initialised.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The relative modules `file` imports or re-exports at run time. */
export function runtimeImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const s of sf.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly ||
          (!c.name &&
            c.namedBindings !== undefined &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) spec = s.moduleSpecifier;
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
      const typeOnly =
        s.isTypeOnly || (s.exportClause !== undefined && ts.isNamedExports(s.exportClause) && s.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) spec = s.moduleSpecifier;
    }
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) out.push(resolve(dirname(file), spec.text));
  }
  return out;
}

/** Every cycle's members (strongly connected components of more than one module, or a module importing itself). */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

describe('import cycles', () => {
  it('finds a cycle, and none when the back edge is type-only (the checker itself)', () => {
    const a = resolve('x/a.ts');
    const b = resolve('x/b.ts');
    expect(runtimeImports(a, "import { f } from './b.ts';")).toEqual([b]);
    expect(runtimeImports(b, "import type { F } from './a.ts';\nimport { type G } from './a.ts';\nexport type { H } from './a.ts';")).toEqual([]);
    expect(runtimeImports(b, "import {\n  type G,\n  g,\n} from './a.ts';\nexport * from './a.ts';")).toEqual([a, a]);
    expect(
      cyclesOf(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([[a, b]]);
    expect(
      cyclesOf(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });

  it('src has no runtime import cycle', () => {
    const graph = new Map(files('src').map((f) => [resolve(f), runtimeImports(f)]));
    const cycles = cyclesOf(graph).map((c) => c.map((f) => relative('.', f)).join(' ↔ '));
    expect(cycles).toEqual([]);
  });
});
