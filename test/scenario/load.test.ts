import { describe, expect, it } from 'vitest';
import { MESH_CATALOG, loadScenarioOrThrow, parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { VALID_FILES, problemLines, readFixture } from './fixtures.ts';

const MINIMAL = `id: tiny
title: Tiny
duration: 2s
services:
  - name: web
  - name: api
traffic:
  - from: web
    to: api
    at: 1s
`;

function load(text: string, file = 'tiny.yaml') {
  const r = parseScenario(text, file);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.scenario;
}

describe('parseScenario', () => {
  describe('with a valid file', () => {
    it.each(VALID_FILES)('loads %s', (file) => {
      expect(problemLines(file)).toEqual(['ok']);
    });

    it('fills every default the schema promises', () => {
      const s = load(MINIMAL);
      expect(s.seed).toBe(1);
      expect(s.startup).toBe('warm');
      expect(s.network).toEqual({ latency: 1, endpointDelay: 500 });
      expect(s.services[0]).toEqual({ name: 'web', namespace: 'default', port: 80, meshed: true, replicas: 1, latency: 5, calls: [] });
      expect(s.traffic[0]).toEqual({ from: 'web', to: 'api', at: 1000, concurrency: 1, start: 0, method: 'GET', path: '/', headers: {}, bodyBytes: 0 });
      expect([s.external, s.faults, s.istio, s.linkerd, s.narration, s.checkpoints]).toEqual([[], [], [], [], [], []]);
      expect([s.policies, s.expect]).toEqual([{}, {}]);
    });

    it('reads units: durations in ms, percentages as fractions, rates per second', () => {
      const s = load(`${MINIMAL}    stop: 1m30s\nfaults:\n  - pod: api-0\n    errors: { status: 503, rate: 12.5% }\n`.replace('at: 1s', 'rate: 120/m'));
      expect(s.traffic[0]).toMatchObject({ rate: 2, stop: 90_000 });
      expect(s.faults[0]).toMatchObject({ errors: { status: 503, rate: 0.125 } });
    });

    it('reads the same scenario from JSON', () => {
      const json = JSON.stringify({
        id: 'tiny',
        title: 'Tiny',
        duration: '2s',
        services: [{ name: 'web' }, { name: 'api' }],
        traffic: [{ from: 'web', to: 'api', at: '1s' }],
      });
      const { source: a, ...fromJson } = load(json, 'tiny.json');
      const { source: b, ...fromYaml } = load(MINIMAL);
      expect(fromJson).toEqual(fromYaml);
      expect([a.file, b.file]).toEqual(['tiny.json', 'tiny.yaml']);
    });

    it('remembers the line of every key and list item, so decisions can cite them', () => {
      const { source } = load(MINIMAL);
      expect(source.lines).toMatchObject({ id: 1, services: 4, 'services[0]': 5, 'services[1].name': 6, 'traffic[0]': 8, 'traffic[0].at': 10 });
    });

    it('accepts a byte-order mark and Windows line endings, and still counts lines right', () => {
      expect(load(`\uFEFF${MINIMAL}`).id).toBe('tiny');
      const crlf = MINIMAL.replace(/\n/g, '\r\n').replace('at: 1s', 'at: soon');
      expect(problemLines('crlf.yaml', crlf)).toEqual(['crlf.yaml:10:9: traffic[0].at must be a duration like 250ms, 10s, 2m or 24h (got "soon")']);
    });

    it('resolves anchors, aliases and merge keys', () => {
      const text = `${MINIMAL}faults:\n  - &flaky\n    pod: api-0\n    errors: { status: 503, rate: 50% }\n  - <<: *flaky\n    pod: web-0\n`;
      expect(load(text).faults.map((f) => [f.pod, f.errors?.rate])).toEqual([
        ['api-0', 0.5],
        ['web-0', 0.5],
      ]);
    });
  });

  describe('with a broken file', () => {
    it('reports a problem per unknown key, each with its own suggestion', () => {
      expect(problemLines('t.yaml', MINIMAL.replace('  - name: api\n', '  - name: api\n    replica: 2\n    latncy: 5ms\n'))).toEqual([
        't.yaml:7:5: services[1].replica is an unknown key (did you mean "replicas"?)',
        't.yaml:8:5: services[1].latncy is an unknown key (did you mean "latency"?)',
      ]);
    });

    it('lists the allowed keys when none is close', () => {
      expect(problemLines('t.yaml', `${MINIMAL}expect: { nomesh: {} }\n`)).toEqual([
        `t.yaml:11:11: expect.nomesh is an unknown key (expected one of ${MESH_CATALOG.map((m) => m.id).join(', ')})`,
      ]);
    });

    it('reports schema and reference problems together, in line order, each once', () => {
      expect(problemLines('t.yaml', MINIMAL.replace('to: api', 'to: apu').replace('duration: 2s', 'duration: 2'))).toEqual([
        't.yaml:3:11: duration must be a duration like 250ms, 10s, 2m or 24h (got 2)',
        't.yaml:9:9: traffic[0].to names a service or external host "apu" that the scenario does not declare (did you mean "api"?)',
      ]);
    });

    it('reports a key set twice without hiding the other problems', () => {
      expect(problemLines('t.yaml', `${MINIMAL}seed: 1\nseed: -2\n`)).toEqual([
        't.yaml:12:1: seed is set twice (first on line 11)',
        't.yaml:12:7: seed must be a whole number from 0 to 4294967295 (got -2)',
      ]);
    });

    it('refuses YAML features a scenario does not use: tags, several documents, keys that are lists', () => {
      expect(problemLines('t.yaml', MINIMAL.replace('title: Tiny', 'title: !include title.txt'))).toEqual([
        't.yaml:2:8: YAML tag !include is not supported; write a plain value',
      ]);
      expect(problemLines('t.yaml', `${MINIMAL}---\nid: other\n`)).toEqual([
        't.yaml:11:1: YAML syntax error: a scenario file holds one YAML document; remove this --- and what follows it',
      ]);
      expect(problemLines('t.yaml', `${MINIMAL}? [a, b]\n: 1\n`)).toEqual(['t.yaml:11:3: a key must be a plain name, not a list']);
    });

    it('stops an alias bomb at the first alias instead of expanding it', () => {
      const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
      expect(problemLines('t.yaml', bomb + MINIMAL)).toEqual(['t.yaml:2:8: its aliases repeat too much data (more than 100 copies); write the values out']);
    });

    it('points at the end of the text, never past it, when the parser stops there', () => {
      expect(problemLines('t.yaml', `${MINIMAL}narration:\n  - at: [1s\n\n\n`)).toEqual(['t.yaml:12:9: YAML syntax error: this [ is never closed with ]']);
    });

    it('names the whole top level when it is not a mapping', () => {
      expect(problemLines('t.yaml', '"just a string"\n')).toEqual(['t.yaml:1:1: must be a mapping with id, title, duration and services at the top level']);
      expect(problemLines('t.json', '[]')).toEqual(['t.json:1:1: must be a mapping with id, title, duration and services at the top level']);
    });

    it('reports each missing required key where the mapping starts', () => {
      expect(problemLines('t.json', '{}')).toEqual(['id', 'title', 'duration', 'services'].map((k) => `t.json:1:1: ${k} is required`));
    });
  });
});

describe('loadScenarioOrThrow', () => {
  it('returns the scenario, or throws every problem as located lines', () => {
    expect(loadScenarioOrThrow(MINIMAL, 'tiny.yaml').id).toBe('tiny');
    const text = readFixture('test/fixtures/broken/several-problems.yaml');
    let error: unknown;
    try {
      loadScenarioOrThrow(text, 'several.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems).toHaveLength(4);
    expect((error as ScenarioError).message.split('\n')[0]).toBe('several.yaml:4:11: duration must be a duration like 250ms, 10s, 2m or 24h (got "ten")');
  });
});
