/**
 * build/pixiLean.ts: the page's 'pixi.js' is a module re-exporting classes from their own files.
 * Every value src/ imports from 'pixi.js' must be among them, taken from the file that defines it
 * in the installed pixi.js (a rename or a move in a pixi.js release fails here, not in the page).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pixiLeanSource } from '../../build/pixiLean.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LIB = join(ROOT, 'node_modules/pixi.js/lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Names src/ imports from 'pixi.js' as values (not `type` imports). */
function valueImports(): Set<string> {
  const names = new Set<string>();
  for (const file of sources(join(ROOT, 'src')))
    for (const m of readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'pixi\.js'/g)) {
      if (m[1]) continue;
      for (const part of m[2]!.split(',').map((s) => s.trim())) if (part && !part.startsWith('type ')) names.add(part.split(/\s+as\s+/)[0]!);
    }
  return names;
}

describe("the page's pixi.js (build/pixiLean.ts)", () => {
  const source = pixiLeanSource(LIB);
  const exported = new Map<string, string>();
  for (const m of source.matchAll(/export \{ ([^}]+) \} from "([^"]+)";/g)) for (const name of m[1]!.split(', ')) exported.set(name, m[2]!);

  it('exports every value src/ imports from pixi.js', () => {
    const wanted = [...valueImports()].sort();
    expect(wanted.length).toBeGreaterThan(5);
    expect(wanted.filter((n) => !exported.has(n))).toEqual([]);
  });

  it('takes each from the file of pixi.js that exports it', () => {
    for (const [name, file] of exported) {
      const text = readFileSync(file, 'utf8');
      expect(new RegExp(`export \\{[^}]*\\b${name}\\b[^}]*\\}`).test(text), `${name} in ${file}`).toBe(true);
    }
  });

  it('registers the texture sources text and generated textures need, and not the video source', () => {
    expect(source).toMatch(/extensions\.add\(ImageSource, CanvasSource, BufferImageSource\)/);
    expect(source).not.toMatch(/VideoSource|spritesheet|index\.mjs/);
  });
});
