/**
 * The scenario library, compiled when the site is built: every `scenarios/*.yaml` is read by the
 * loader the page would otherwise run (src/scenario), so that opening a library scenario needs
 * neither yaml nor zod nor the schemas. Two kinds of virtual module:
 * - `virtual:mesh-sim/library`: the index, in course order (course.ts; scenarios it does not list
 *   follow by name) — each scenario's key and title (as the loader reads it), and a loader per
 *   scenario, a dynamic import, so the page fetches only the one it opens;
 * - `virtual:mesh-sim/scenario/<key>`: that scenario's text and the loader's result for it
 *   (`{ ok: true, scenario }`, or `{ ok: false, problems }`), written as a JavaScript literal that
 *   keeps what JSON would lose (a key set to undefined, as zod leaves some).
 * test/ui/library.test.ts checks that each one is exactly what the loader makes of the text.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { parseScenario } from '../src/scenario/index.ts';
import { COURSE } from './course.ts';

const INDEX = 'virtual:mesh-sim/library';
const SCENARIO = 'virtual:mesh-sim/scenario/';

/** A value as JavaScript source (plain data only: objects, arrays, strings, numbers, booleans, null, undefined). */
export function toSource(value: unknown): string {
  if (value === undefined) return 'void 0';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(toSource).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}:${toSource(v)}`)
      .join(',')}}`;
  throw new Error(`cannot write ${Object.prototype.toString.call(value)} as plain data`);
}

/** The scenario files of `dir`, by key (file name without `.yaml`). */
function scenarioFiles(dir: string): { key: string; path: string; file: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ key: f.replace(/\.yaml$/, ''), path: join(dir, f), file: `scenarios/${f}` }));
}

/** The vite plugin. `root`: the project folder (scenarios/ is inside it). */
export function scenarioLibrary(root = process.cwd()): Plugin {
  const dir = resolve(root, 'scenarios');
  return {
    name: 'mesh-sim-scenario-library',
    resolveId(id) {
      if (id === INDEX || id.startsWith(SCENARIO)) return `\0${id}`;
      return null;
    },
    load(id) {
      if (id === `\0${INDEX}`) {
        const rank = (key: string): number => (COURSE.includes(key) ? COURSE.indexOf(key) : COURSE.length);
        const files = scenarioFiles(dir).sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
        const entries = files.map(({ key, path, file }) => {
          this.addWatchFile(path);
          const loaded = parseScenario(readFileSync(path, 'utf8'), file);
          const title = loaded.ok ? loaded.scenario.title : null;
          return `{key:${JSON.stringify(key)},title:${JSON.stringify(title)},load:()=>import(${JSON.stringify(SCENARIO + key)})}`;
        });
        return `export default [${entries.join(',')}];`;
      }
      if (id.startsWith(`\0${SCENARIO}`)) {
        const key = id.slice(SCENARIO.length + 1);
        const found = scenarioFiles(dir).find((s) => s.key === key);
        if (!found) throw new Error(`no scenario ${key} in ${dir}`);
        this.addWatchFile(found.path);
        const text = readFileSync(found.path, 'utf8');
        return `export const text = ${JSON.stringify(text)};\nexport const loaded = ${toSource(parseScenario(text, found.file))};`;
      }
      return null;
    },
  };
}
