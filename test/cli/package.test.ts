/**
 * `mesh-sim package`: a lesson zip from a scenario file and a build; a scenario with problems is
 * refused with the same `file:line:column` lines as `validate` (exit 2); bad usage names what is
 * allowed. The build is a stand-in folder (`--dist`): the end-to-end tests package the real one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { problemLines } from '../scenario/fixtures.ts';
import { STACK_LINE, cli, type CliRun } from './io.ts';
import { MESH_CATALOG } from '../../src/scenario/index.ts';

/** The shipped meshes' ids, as messages list them. */
const ALL = MESH_CATALOG.map((m) => m.id);

/** The message line of a usage error (the usage follows it). */
const first = (r: CliRun): string => r.err[0]!.split('\n')[0]!;

const FLAKY = 'test/fixtures/valid/flaky.yaml';
const BROKEN = 'test/fixtures/broken/several-problems.yaml';
const dir = mkdtempSync(join(tmpdir(), 'mesh-sim-package-'));
const dist = join(dir, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>sim</title>');
writeFileSync(join(dist, 'lesson.html'), '<!doctype html><title>lesson</title>');
writeFileSync(join(dist, 'assets/main.js'), 'export {}');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mesh-sim package', () => {
  it('writes a zip with the build, the scenario, its configuration and the manifest, and says what it wrote', () => {
    const out = join(dir, 'flaky.zip');
    const r = cli('package', FLAKY, '--format', 'scorm2004', '-o', out, '--dist', dist, '--mesh', 'linkerd', '--mastery', '0.5');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([expect.stringMatching(new RegExp(`^${out}: .+ as scorm2004, 6 files, \\d+ KB$`))]);
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['assets/main.js', 'imsmanifest.xml', 'index.html', 'lesson.html', 'lesson/lesson.json', 'lesson/scenario.yaml']);
    expect(Buffer.from(files['lesson/scenario.yaml']!).toString()).toBe(readFileSync(FLAKY, 'utf8'));
    expect(JSON.parse(Buffer.from(files['lesson/lesson.json']!).toString())).toMatchObject({ format: 'scorm2004', mesh: 'linkerd' });
  });

  it('refuses a scenario with problems: every problem at file:line:column, exit 2, no zip', () => {
    const out = join(dir, 'broken.zip');
    const r = cli('package', BROKEN, '--format', 'cmi5', '-o', out, '--dist', dist);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual(problemLines(BROKEN));
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
  });

  it('names the allowed formats for an unknown --format, and asks for one when it is missing', () => {
    const r = cli('package', FLAKY, '--format', 'scorm3');
    expect(r.code).toBe(2);
    expect(first(r)).toBe('mesh-sim: --format must be one of scorm12, scorm2004, cmi5 (got "scorm3")');
    expect(first(cli('package', FLAKY))).toBe('mesh-sim: package needs --format (one of scorm12, scorm2004, cmi5)');
  });

  it('checks its other options', () => {
    expect(first(cli('package', FLAKY, '--format', 'cmi5', '--mastery', '80'))).toMatch(/^mesh-sim: --mastery must be a number from 0 to 1/);
    expect(first(cli('package', FLAKY, '--format', 'cmi5', '--id', 'lesson 3'))).toMatch(/^mesh-sim: --id must be an IRI/);
    expect(first(cli('package', FLAKY, '--format', 'cmi5', '--mesh', 'nomesh'))).toBe(`mesh-sim: --mesh must be ${ALL.join(' or ')} or compare (got "nomesh")`);
    expect(first(cli('package', FLAKY, FLAKY, '--format', 'cmi5'))).toBe('mesh-sim: package takes exactly one scenario file');
    expect(first(cli('validate', FLAKY, '--format', 'cmi5'))).toBe('mesh-sim: validate takes only files');
    const missing = cli('package', FLAKY, '--format', 'cmi5', '--dist', join(dir, 'nowhere'), '-o', join(dir, 'x.zip'));
    expect([missing.code, missing.err[0]]).toEqual([2, `--dist ${join(dir, 'nowhere')}: cannot read the build: no such file`]);
  });
});
