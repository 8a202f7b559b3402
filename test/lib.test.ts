/**
 * The package's `exports` map: another tool imports the headless core by the package's name and
 * gets the same run as the code inside (a separate Node process, resolving `mesh-sim` the way a
 * dependant would).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/index.ts';
import { simulate, profileById } from '../src/mesh/index.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('the mesh-sim package', () => {
  it('exports parseScenario, simulate and profileById by its name, giving the same report as the sources', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { parseScenario, simulate, profileById } from 'mesh-sim';
      import { scenarioJsonSchema } from 'mesh-sim/scenario';
      const r = parseScenario(readFileSync('scenarios/hello-mesh.yaml', 'utf8'), 'hello-mesh.yaml');
      if (!r.ok) throw new Error('invalid');
      const { report } = simulate(r.scenario, profileById('linkerd'));
      process.stdout.write(JSON.stringify({ report, schema: typeof scenarioJsonSchema }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const got = JSON.parse(out) as { report: unknown; schema: string };
    const loaded = parseScenario(readFileSync(resolve(ROOT, 'scenarios/hello-mesh.yaml'), 'utf8'), 'hello-mesh.yaml');
    if (!loaded.ok) throw new Error('invalid');
    expect(got.report).toEqual(JSON.parse(JSON.stringify(simulate(loaded.scenario, profileById('linkerd')!).report)));
    expect(got.schema).toBe('function');
  });

  it('names its license, and ships the LICENSE file', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { license: string; files: string[] };
    expect(pkg.license).toBe('MIT');
    expect(pkg.files).toContain('LICENSE');
    expect(readFileSync(resolve(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
});
