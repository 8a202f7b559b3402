import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/index.ts';
import { filesIn, problemLines } from '../scenario/fixtures.ts';
import { STACK_LINE, cli } from './io.ts';
import { MESH_IDS } from '../../src/mesh/index.ts';

const LIBRARY = filesIn('scenarios');
// A fixed copy of an early retries-flaky-pod: the library's own scenarios keep evolving as lessons.
const FLAKY = 'test/fixtures/valid/flaky.yaml';
const BROKEN = 'test/fixtures/broken/several-problems.yaml';
const MISS = 'test/fixtures/check/expect-miss.yaml';

describe('mesh-sim validate', () => {
  it('exits 0 and says so when every file is valid', () => {
    const r = cli('validate', ...LIBRARY);
    expect([r.code, r.out, r.err]).toEqual([0, [`${LIBRARY.length} scenario files valid`], []]);
  });

  it('exits 2 with every located problem on stderr, nothing on stdout, and no stack trace', () => {
    const r = cli('validate', BROKEN);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual(problemLines(BROKEN));
    expect(r.err).toHaveLength(4);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('checks every file given, reporting only the broken ones', () => {
    const r = cli('validate', FLAKY, BROKEN, 'test/fixtures/broken/empty.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([...problemLines(BROKEN), ...problemLines('test/fixtures/broken/empty.yaml')]);
  });

  it('says in words why a file cannot be read', () => {
    expect(cli('validate', 'no/such/file.yaml')).toMatchObject({ code: 2, err: ['no/such/file.yaml: cannot read the file: no such file'] });
    expect(cli('validate', 'test/fixtures')).toMatchObject({ code: 2, err: ['test/fixtures: cannot read the file: it is a directory, not a scenario file'] });
  });
});

describe('mesh-sim run', () => {
  it('prints a version-1 run report with the fields DESIGN.md promises', () => {
    const r = cli('run', FLAKY, '--mesh', 'linkerd');
    expect([r.code, r.err]).toEqual([0, []]);
    expect(r.out).toHaveLength(1);
    const report = JSON.parse(r.out[0]!);
    expect(report).toMatchObject({ version: 1, scenario: 'flaky-fixture', mesh: 'linkerd', seed: 7, simulatedMs: 10_000, events: expect.any(Number) });
    // 20 requests a second for 10 simulated seconds.
    expect(report.requests).toHaveLength(200);
    for (const req of report.requests) {
      expect(req).toEqual({
        id: expect.stringMatching(/^req-\d{6}$/),
        from: 'productpage-0',
        to: 'reviews',
        method: 'GET',
        path: '/reviews/1',
        headers: {},
        startMs: expect.any(Number),
        endMs: expect.any(Number),
        status: expect.any(Number),
        attempts: expect.any(Number),
        tries: expect.any(Array),
        mtls: expect.any(Boolean),
        ...(req.reason === undefined ? {} : { reason: expect.any(String) }),
      });
      expect(req.endMs).toBeGreaterThanOrEqual(req.startMs);
      // One entry per attempt, each naming the pod that served it.
      expect(req.tries).toHaveLength(req.attempts);
      for (const t of req.tries)
        expect(t).toEqual({
          attempt: expect.any(Number),
          pod: expect.stringMatching(/^reviews-\d$/),
          status: expect.any(Number),
          startMs: expect.any(Number),
          endMs: expect.any(Number),
        });
    }
    const { summary } = report;
    expect(summary).toMatchObject({
      total: 200,
      latencyMs: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
    });
    expect(summary.ok + summary.failed).toBe(200);
    expect(Object.values(summary.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(200);
    // The scenario's lesson: Linkerd retries nothing unless asked.
    expect(summary.retries).toBe(0);
    expect(report.pods.map((p: { name: string; service: string }) => `${p.service}/${p.name}`)).toEqual([
      'productpage/productpage-0',
      'reviews/reviews-0',
      'reviews/reviews-1',
      'reviews/reviews-2',
    ]);
    for (const p of report.pods)
      expect(p).toEqual({
        name: expect.any(String),
        service: expect.any(String),
        received: expect.any(Number),
        ok: expect.any(Number),
        failed: expect.any(Number),
      });
    for (const h of report.handshakes)
      expect(h).toMatchObject({
        client: expect.any(String),
        server: expect.any(String),
        clientIdentity: expect.any(String),
        serverIdentity: expect.any(String),
        ok: expect.any(Boolean),
        atMs: expect.any(Number),
      });
    for (const c of report.certificates)
      expect(c).toEqual({ workload: expect.any(String), identity: expect.any(String), issuedAtMs: expect.any(Number), expiresAtMs: expect.any(Number) });
    expect(report.ejections).toEqual(expect.any(Array));
  });

  it('gives the same report for the same seed, and takes --seed and --set', () => {
    const a = cli('run', FLAKY, '--mesh', 'istio', '--seed', '3');
    const b = cli('run', FLAKY, '--mesh=istio', '--seed=3');
    expect(a.out).toEqual(b.out);
    expect(JSON.parse(a.out[0]!).seed).toBe(3);
    const short = JSON.parse(cli('run', FLAKY, '--mesh', 'istio', '--set', 'duration=2s').out[0]!);
    expect(short.simulatedMs).toBe(2000);
    expect(short.requests.every((req: { startMs: number }) => req.startMs < 2000)).toBe(true);
  });

  it('reports an override that does not fit against the override, with exit 2', () => {
    const r = cli('run', FLAKY, '--mesh', 'istio', '--set', 'policies.mtls=strct');
    expect([r.code, r.out]).toEqual([2, []]);
    expect(r.err).toEqual(['--set policies.mtls=strct:1:1: policies.mtls must be one of strict, permissive, off (got "strct"; did you mean "strict"?)']);
  });
});

describe('mesh-sim check', () => {
  it('exits 0 when the library meets every expectation under each mesh it names', () => {
    const r = cli('check', ...LIBRARY);
    expect([r.code, r.err]).toEqual([0, []]);
    expect(r.out.length).toBeGreaterThanOrEqual(LIBRARY.length);
    for (const line of r.out) expect(line).toMatch(new RegExp(`^ok {3}scenarios/[\\w-]+\\.yaml \\[(${MESH_IDS.join('|')})\\] .*✓`));
  });

  it('runs each mesh meshes names, in its order, even one without an expect block', () => {
    const file = 'test/fixtures/check/named-no-expect.yaml';
    const r = cli('check', file);
    expect([r.code, r.err]).toEqual([0, []]);
    expect(r.out).toEqual([`ok   ${file} [linkerd] no expect block; ran 10 requests`, `ok   ${file} [istio] total 10 ✓`]);
  });

  it('says there is nothing to check in a file that names no mesh', () => {
    const file = 'test/fixtures/check/names-no-mesh.yaml';
    expect(cli('check', file)).toMatchObject({ code: 0, out: [`${file}: no expect block — nothing to check`], err: [] });
  });

  it('exits 1 and names the miss when an expectation is not met', () => {
    const r = cli('check', MISS);
    expect([r.code, r.err]).toEqual([1, []]);
    expect(r.out).toEqual([`FAIL ${MISS} [istio] okRate 1 ✗ (expected > 1)`, expect.stringMatching(new RegExp(`^ok {3}${MISS} \\[linkerd\\] total \\d+ ✓$`))]);
  });

  it('exits 2 when a file is invalid, even if others pass', () => {
    const r = cli('check', FLAKY, BROKEN);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(problemLines(BROKEN));
  });
});

describe('mesh-sim schema', () => {
  it('prints the JSON Schema', () => {
    const r = cli('schema');
    expect([r.code, r.err]).toEqual([0, []]);
    expect(JSON.parse(r.out.join('\n'))).toEqual(scenarioJsonSchema());
  });
});

describe('bad usage', () => {
  it.each([
    [['run', FLAKY, '--mesh', 'nomesh'], `--mesh must be ${MESH_IDS.join(' or ')} (got "nomesh")`],
    [['run', FLAKY, '--mesh', 'istio', '--seed', '-1'], '--seed must be a whole number from 0 to 4294967295 (got "-1")'],
    [['run', FLAKY, '--mesh', 'istio', '--seed', '4294967296'], '--seed must be a whole number from 0 to 4294967295 (got "4294967296")'],
    [['run', FLAKY], 'run needs --mesh'],
    [['run', '--mesh', 'istio'], 'run takes exactly one scenario file'],
    [['run', FLAKY, '--mesh'], '--mesh needs a value'],
    [['run', FLAKY, '--mesh', 'istio', '--set', 'duration'], '--set needs key=value (got "duration")'],
    [['run', FLAKY, '--mesh', 'istio', '--sed', '3'], 'unknown option --sed (did you mean --seed?)'],
    [['valdate', FLAKY], 'unknown command "valdate" (did you mean "validate"?)'],
    [['validate'], 'validate needs at least one file'],
    [['validate', FLAKY, '--mesh', 'istio'], 'validate takes only files'],
    [['schema', FLAKY], 'schema takes no files'],
    [[], 'a command is required'],
  ])('%j: says what is wrong, shows the usage, exits 2', (argv, message) => {
    const r = cli(...argv);
    expect([r.code, r.out]).toEqual([2, []]);
    expect(r.err[0]!.split('\n')[0]).toBe(`mesh-sim: ${message}`);
    expect(r.stderr).toContain('usage: mesh-sim <command>');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('reads a missing scenario file as a clear message, not a stack trace', () => {
    const r = cli('run', 'missing.yaml', '--mesh', 'linkerd');
    expect([r.code, r.out, r.err]).toEqual([2, [], ['missing.yaml: cannot read the file: no such file']]);
  });

  it.each([['--help'], ['-h'], ['help'], ['run', '--help']])('%j prints the usage to stdout and exits 0', (...argv) => {
    const r = cli(...argv);
    expect([r.code, r.err]).toEqual([0, []]);
    expect(r.out[0]).toMatch(/^usage: mesh-sim <command>\n {2}run <scenario> --mesh istio\|linkerd/);
  });
});
