/**
 * The layer rules of DESIGN.md, read from the import lines: imports point down only, and the
 * headless core has no DOM, pixi.js, Math.random, Date.now or performance.now.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ORDER = ['sim', 'scenario', 'lesson', 'mesh', 'player', 'render', 'ui', 'embed', 'cli'];
/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  sim: [],
  scenario: ['sim'],
  /** Lesson packages (manifests, zip, the tracker): pure, shared by the CLI, the authoring view and the launcher. */
  lesson: ['sim', 'scenario'],
  mesh: ['sim', 'scenario'],
  player: ['sim', 'scenario', 'mesh'],
  render: ['sim', 'player'],
  ui: ['sim', 'scenario', 'lesson', 'player', 'render'],
  embed: ['sim', 'scenario', 'lesson', 'player', 'render', 'ui'],
  cli: ['sim', 'scenario', 'lesson', 'mesh'],
};
const CORE = ['sim', 'scenario', 'lesson', 'mesh', 'player'];

function files(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  } catch {
    return [];
  }
}

describe('layers', () => {
  for (const layer of ORDER) {
    const sources = files(join('src', layer));
    if (sources.length === 0) continue;
    it(`src/${layer} imports only ${ALLOWED[layer]!.join(', ') || 'nothing'} from other layers`, () => {
      const bad: string[] = [];
      for (const f of sources) {
        for (const m of readFileSync(f, 'utf8').matchAll(/from ['"](\.\.?\/[^'"]+)['"]/g)) {
          const target = join(f, '..', m[1]!).split(/[\\/]/)[1];
          if (target && target !== layer && ORDER.includes(target) && !ALLOWED[layer]!.includes(target)) bad.push(`${f} → ${m[1]}`);
        }
      }
      expect(bad).toEqual([]);
    });
    if (CORE.includes(layer)) {
      it(`src/${layer} stays headless and deterministic`, () => {
        const bad: string[] = [];
        for (const f of sources) {
          readFileSync(f, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/^\s*(\/\/|\*)/.test(line)) return;
              if (/from ['"](pixi\.js|@pixi\/)|(^|[^.\w])(document|window)\.|Math\.random\(|Date\.now\(|performance\.now\(/.test(line))
                bad.push(`${f}:${i + 1}: ${line.trim()}`);
            });
        }
        expect(bad).toEqual([]);
      });
    }
  }
});
