/**
 * The CLI as a person runs it: a real process through the package's bin and through
 * `npm run sim --`, with real exit codes and streams. Slow (each start compiles TypeScript), so few.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, filesIn, problemLines } from '../scenario/fixtures.ts';
import { STACK_LINE } from './io.ts';
import { MESH_IDS } from '../../src/mesh/index.ts';

function run(command: string, args: string[]) {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const bin = (...args: string[]) => run(process.execPath, ['src/cli/bin.js', ...args]);

describe('src/cli/bin.js', { timeout: 60_000 }, () => {
  it('run --mesh linkerd prints a version-1 run report as JSON and exits 0', () => {
    const r = bin('run', 'scenarios/retries-flaky-pod.yaml', '--mesh', 'linkerd');
    expect([r.status, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      version: 1,
      scenario: 'retries-flaky-pod',
      mesh: 'linkerd',
      release: { version: '2.20', label: 'Linkerd 2.20' },
      seed: 7,
      simulatedMs: 12_000,
    });
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['requests', 'summary', 'pods', 'handshakes', 'certificates', 'ejections', 'footprint', 'events']),
    );
  });

  it('run --trace json prints the trace, and --trace text the same events one line each', () => {
    const json = bin('run', 'scenarios/hello-mesh.yaml', '--mesh', 'istio', '--trace', 'json');
    expect([json.status, json.stderr]).toEqual([0, '']);
    const trace = JSON.parse(json.stdout) as { scenario: { id: string }; mesh: string; events: { t: number; type: string }[] };
    expect(trace).toMatchObject({ scenario: { id: 'hello-mesh' }, mesh: 'istio' });
    expect(trace.events.length).toBeGreaterThan(10);
    expect(trace.events.map((e) => e.type)).toEqual(expect.arrayContaining(['request', 'flight', 'transition']));

    const text = bin('run', 'scenarios/hello-mesh.yaml', '--mesh', 'istio', '--trace', 'text');
    expect([text.status, text.stderr]).toEqual([0, '']);
    // Each event starts a line with its time (a narration may run on over more lines).
    const starts = text.stdout
      .split('\n')
      .map((l) => /^\s*(\d+)ms (\S+)/.exec(l))
      .filter((m) => m !== null);
    expect(starts.map((m) => [Number(m[1]), m[2]!.split('.')[0]])).toEqual(trace.events.map((e) => [e.t, e.type]));
  });

  it('validate on a broken file exits 2 with located messages on stderr and no stack trace', () => {
    const file = 'test/fixtures/broken/several-problems.yaml';
    const r = bin('validate', file);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`${problemLines(file).join('\n')}\n`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('bad usage exits 2 with the message and the usage', () => {
    const r = bin('run', 'scenarios/retries-flaky-pod.yaml', '--mesh', 'nomesh');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.split('\n')[0]).toBe(`mesh-sim: --mesh must be ${MESH_IDS.join(' or ')} (got "nomesh")`);
  });
});

describe('npm run sim --', { timeout: 60_000 }, () => {
  it('validates the library with exit 0, right after npm install (no build step)', () => {
    const files = filesIn('scenarios');
    const r = run('npm', ['run', '--silent', 'sim', '--', 'validate', ...files]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${files.length} scenario files valid\n`, '']);
  });
});
