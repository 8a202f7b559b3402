/**
 * A mesh added without touching a shared file: test/extensions/linkerdCopy.ts registers Linkerd's
 * profile as `linkerd-copy`, reading section `linkerdcopy:`. Every library scenario, rewritten
 * to that id and section, must load, check its references, apply its changes, narrate and
 * simulate exactly as under Linkerd — in this process and through the command line as a process.
 */
import '../extensions/linkerdCopy.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESH_CATALOG, meshCatalog, namedMeshes, parseScenario, formatProblem, scenarioJsonSchema, loadScenarioOrThrow } from '../../src/scenario/index.ts';
import { MESH_IDS, PROFILES, checkExpectations, simulate } from '../../src/mesh/index.ts';
import { formatTrace } from '../../src/sim/index.ts';
import { knobGroups } from '../../src/player/knobs.ts';
import { MESHES } from '../../src/player/meshes.ts';
import { COPY_ID, COPY_SECTION, rewriteForCopy } from '../extensions/linkerdCopyScenario.ts';
import { ROOT } from '../scenario/fixtures.ts';

/** The copy's words mapped back to Linkerd's, to compare a copy's run with Linkerd's. */
const asLinkerd = (text: string): string => text.replaceAll(COPY_SECTION, 'linkerd').replaceAll(COPY_ID, 'linkerd').replaceAll('Linkerd copy', 'Linkerd');

const files = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const library = files.map((f) => ({ file: `scenarios/${f}`, text: readFileSync(join(ROOT, 'scenarios', f), 'utf8') }));

describe('a mesh registered at run time (linkerd-copy, section linkerdcopy)', () => {
  it('joins the catalog, the profiles and the player’s mesh list after the shipped ones', () => {
    const shipped = MESH_CATALOG.map((m) => m.id);
    expect(meshCatalog().map((m) => m.id)).toEqual([...shipped, COPY_ID]);
    expect(MESH_IDS).toEqual([...shipped, COPY_ID]);
    expect(Object.keys(PROFILES)).toEqual(MESH_IDS);
    expect(MESHES.map((m) => m.id)).toEqual(MESH_IDS);
  });

  it('gets its section, its changes section, its expect key and its narration value in the schema', () => {
    const json = scenarioJsonSchema() as { properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(json.properties[COPY_SECTION].type).toBe('array');
    expect(Object.keys(json.properties.changes.items.properties)).toContain(COPY_SECTION);
    expect(Object.keys(json.properties.expect.properties)).toContain(COPY_ID);
    expect(json.properties.narration.items.properties.mesh.enum).toContain(COPY_ID);
  });

  it('has its section checked as Linkerd’s is, with problems located in its own section', () => {
    const text = rewriteForCopy(readFileSync(join(ROOT, 'scenarios/authorization.yaml'), 'utf8')).replace(
      /(kind: Server\n(?:.*\n)*?\s+podSelector:\s*\{?\s*matchLabels:\s*\{\s*app:\s*)reviews/,
      '$1reviewz',
    );
    const r = parseScenario(text, 'authorization.yaml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^authorization\.yaml:\d+:\d+: linkerdcopy\[\d+\]\.spec\.podSelector\.matchLabels selects no pod/),
    ]);
  });

  it('offers its section’s settings as knobs, to itself only', () => {
    const { file, text } = library.find((l) => l.file.endsWith('authorization.yaml'))!;
    const copy = rewriteForCopy(text);
    const groups = knobGroups(loadScenarioOrThrow(copy, file), copy).filter((g) => g.section?.key === COPY_SECTION);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect([g.title.startsWith('Linkerd copy: '), g.meshes]).toEqual([true, [COPY_ID]]);
  });

  for (const { file, text } of library) {
    const original = loadScenarioOrThrow(text, file);
    if (!namedMeshes(original).includes('linkerd')) continue;
    it(`${file}, rewritten for it, names it, meets its expect block and runs exactly as under Linkerd`, () => {
      const copy = loadScenarioOrThrow(rewriteForCopy(text), file);
      // The schema lists a registered mesh's expect key after the shipped ones: compare as sets.
      expect([...namedMeshes(copy)].sort()).toEqual(
        namedMeshes(original)
          .map((m) => (m === 'linkerd' ? COPY_ID : m))
          .sort(),
      );
      const mine = simulate(copy, PROFILES[COPY_ID]!);
      const theirs = simulate(original, PROFILES.linkerd!);
      expect(checkExpectations(mine.report, copy.expect[COPY_ID]!).filter((r) => !r.pass)).toEqual([]);
      expect(mine.trace.mesh).toBe(COPY_ID);
      expect(asLinkerd(formatTrace(mine.trace.events))).toBe(formatTrace(theirs.trace.events));
      expect(asLinkerd(JSON.stringify(mine.report))).toBe(JSON.stringify(theirs.report));
    });
  }
});

describe('the command line with MESH_SIM_EXTENSIONS', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-sim-copy-'));
  const copyOf = (name: string): string => {
    const path = join(dir, name);
    writeFileSync(path, rewriteForCopy(readFileSync(join(ROOT, 'scenarios', name), 'utf8')));
    return path;
  };
  const cli = (env: Record<string, string>, ...args: string[]) => {
    const r = spawnSync(process.execPath, ['src/cli/bin.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const withCopy = { MESH_SIM_EXTENSIONS: 'test/extensions/linkerdCopy.ts' };

  it('run --mesh linkerd-copy prints the report Linkerd gives for the original file', () => {
    const mine = cli(withCopy, 'run', copyOf('config-push.yaml'), '--mesh', COPY_ID);
    expect([mine.status, mine.stderr]).toEqual([0, '']);
    const theirs = cli({}, 'run', 'scenarios/config-push.yaml', '--mesh', 'linkerd');
    expect(JSON.parse(mine.stdout)).toMatchObject({ mesh: COPY_ID, scenario: 'config-push' });
    expect(asLinkerd(mine.stdout)).toBe(theirs.stdout);
  });

  it('check runs a rewritten file under each mesh it names, the copy included', () => {
    const r = cli(withCopy, 'check', copyOf('retries-flaky-pod.yaml'), copyOf('authorization.yaml'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => /^(ok|FAIL) +\S+\/(\S+) \[(\S+)\]/.exec(l)?.slice(1).join(' ')),
    ).toEqual(
      // Each mesh the rewritten file names (Istio, the copy, and any other mesh written for), in the order check runs them.
      ['retries-flaky-pod.yaml', 'authorization.yaml'].flatMap((f) =>
        namedMeshes(loadScenarioOrThrow(rewriteForCopy(readFileSync(join(ROOT, 'scenarios', f), 'utf8')), f)).map((m) => `ok ${f} ${m}`),
      ),
    );
    expect(r.stdout).toMatch(new RegExp(`^ok +\\S+/authorization\\.yaml \\[${COPY_ID}\\]`, 'm'));
  });

  it('without the variable, the mesh and its section are unknown', () => {
    const run = cli({}, 'run', copyOf('timeouts.yaml'), '--mesh', COPY_ID);
    expect([run.status, run.stderr.split('\n')[0]]).toEqual([2, `mesh-sim: --mesh must be ${MESH_CATALOG.map((m) => m.id).join(' or ')} (got "${COPY_ID}")`]);
    const check = cli({}, 'validate', copyOf('authorization.yaml'));
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/authorization\.yaml:\d+:1: linkerdcopy is an unknown key /);
    expect(check.stderr).toMatch(/authorization\.yaml:\d+:5: changes\[0\]\.linkerdcopy is an unknown key/);
    expect(check.stderr).toMatch(/authorization\.yaml:\d+:3: expect\.linkerd-copy is an unknown key/);
  });

  it('names a module it cannot load and exits 2', () => {
    const r = cli({ MESH_SIM_EXTENSIONS: 'test/extensions/nothing.ts' }, 'validate', 'scenarios/timeouts.yaml');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^mesh-sim: MESH_SIM_EXTENSIONS: cannot load test\/extensions\/nothing\.ts: /);
  });
});
