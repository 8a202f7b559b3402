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
 * - `virtual:mesh-sim/run/<key>.<mesh>`: that scenario's run as written under one of the meshes it
 *   is offered under, made when the site is built (libraryRuns.ts); the index has a loader for each.
 * test/ui/library.test.ts checks that each one is exactly what the loader makes of the text.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { parseScenario } from '../src/scenario/index.ts';
import { COURSE } from './course.ts';
import { RUN, prebuiltMeshes, prebuiltRunSource } from './libraryRuns.ts';

const INDEX = 'virtual:mesh-sim/library';
const SCENARIO = 'virtual:mesh-sim/scenario/';

/** The typed arrays {@link toSource} writes (a packed run's columns). */
const TYPED = ['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'];

/**
 * A value as JavaScript source (plain data only: objects, arrays, strings, numbers, booleans, null,
 * undefined; and typed arrays and array buffers, a packed run's columns, each a copy of its bytes).
 */
export function toSource(value: unknown): string {
  if (value === undefined) return 'void 0';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(toSource).join(',')}]`;
  if (ArrayBuffer.isView(value) && TYPED.includes(value.constructor.name))
    return `new ${value.constructor.name}([${Array.from(value as unknown as ArrayLike<number>, toSource).join(',')}])`;
  // A buffer as 32-bit words when it divides into them (fewer characters), else as bytes: the same bytes either way.
  if (value instanceof ArrayBuffer) return `${toSource(value.byteLength % 4 === 0 ? new Int32Array(value) : new Uint8Array(value))}.buffer`;
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
      if (id === INDEX || id.startsWith(SCENARIO) || id.startsWith(RUN)) return `\0${id}`;
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
          const runs = prebuiltMeshes(loaded).map((mesh) => `${JSON.stringify(mesh)}:()=>import(${JSON.stringify(`${RUN}${key}.${mesh}`)})`);
          return `{key:${JSON.stringify(key)},title:${JSON.stringify(title)},load:()=>import(${JSON.stringify(SCENARIO + key)}),runs:{${runs.join(',')}}}`;
        });
        return `export default [${entries.join(',')}];`;
      }
      const scenario = id.startsWith(`\0${SCENARIO}`) ? id.slice(SCENARIO.length + 1) : id.startsWith(`\0${RUN}`) ? id.slice(RUN.length + 1) : null;
      if (scenario !== null) {
        const [key, mesh] = scenario.split('.') as [string, string | undefined];
        const found = scenarioFiles(dir).find((s) => s.key === key);
        if (!found) throw new Error(`no scenario ${key} in ${dir}`);
        this.addWatchFile(found.path);
        const text = readFileSync(found.path, 'utf8');
        const loaded = parseScenario(text, found.file);
        if (mesh !== undefined) return prebuiltRunSource(text, found.file, loaded, mesh);
        return `export const text = ${JSON.stringify(text)};\nexport const loaded = ${toSource(loaded)};`;
      }
      return null;
    },
  };
}
