/**
 * Mesh differences live in the mesh profiles and the mesh catalog: no file in src/mesh outside
 * profiles/, and none in src/player, src/render or src/ui, names a mesh — not as a string
 * (`'istio'`), a property (`scenario.linkerd`) or an object key (`{ istio: … }`). Code that
 * needs a mesh reads it from the catalog (src/scenario/catalog.ts) or a profile.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Today's meshes and those the next issues add. */
const IDS = ['istio', 'linkerd', 'ambient', 'consul', 'osm', 'nsm'];
const id = `(?:${IDS.join('|')})`;
const NAMING = [
  new RegExp(`(['"\`])${id}\\1`), // a string: 'istio'
  new RegExp(`\\.${id}\\b(?![-.\\w])`), // a property: scenario.linkerd (not .istio.io)
  new RegExp(`(?:^|[{,(]\\s*)${id}\\??\\s*:(?!:)`), // a key: { istio: … }
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(p) ? [p] : [];
  });
}

/** The code of a file without its comments (strings kept: they are what names a mesh). */
function code(text: string): string[] {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => line.replace(/(^|[^:'"`])\/\/.*$/, '$1'));
}

export function meshNamesIn(paths: string[]): string[] {
  return paths.flatMap((f) => code(readFileSync(f, 'utf8')).flatMap((line, i) => (NAMING.some((r) => r.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [])));
}

describe('mesh names', () => {
  const areas = {
    'src/mesh outside profiles/': files('src/mesh').filter((f) => !f.startsWith(join('src/mesh/profiles'))),
    'src/player': files('src/player'),
    'src/render': files('src/render'),
    'src/ui': files('src/ui'),
  };
  for (const [area, paths] of Object.entries(areas)) {
    it(`no file in ${area} names a mesh`, () => {
      expect(paths.length).toBeGreaterThan(0);
      expect(meshNamesIn(paths)).toEqual([]);
    });
  }

  it('finds a mesh named as a string, a property or a key, and not in comments or longer names', () => {
    const probe = join(import.meta.dirname, 'fixtures', 'meshNames.probe.ts.txt');
    expect(meshNamesIn([probe]).map((l) => l.replace(/^.*?:(\d+):.*$/, '$1'))).toEqual(['2', '3', '4', '5', '6', '7']);
  });
});
