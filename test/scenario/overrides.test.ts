import { describe, expect, it } from 'vitest';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';
import { parseKeyPath } from '../../src/scenario/overrides.ts';

const FILE = 'tiny.yaml';
const TEXT = `id: tiny
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

function withSets(sets: [string, string][], text = TEXT) {
  return parseScenario(text, FILE, { overrides: sets });
}
function loaded(sets: [string, string][]) {
  const r = withSets(sets);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}
function lines(sets: [string, string][], text = TEXT): string[] {
  const r = withSets(sets, text);
  return r.ok ? ['ok'] : r.problems.map(formatProblem);
}

describe('--set overrides', () => {
  describe('when they fit the file', () => {
    it('sets a key the file leaves out', () => {
      expect(loaded([['policies.mtls', 'strict']]).policies).toEqual({ mtls: 'strict' });
    });

    it('reads values as YAML: numbers, booleans and flow mappings keep their type', () => {
      const s = loaded([
        ['services[1].replicas', '3'],
        ['services[0].meshed', 'false'],
        ['network', '{ latency: 5ms }'],
      ]);
      expect([s.services[1]!.replicas, s.services[0]!.meshed, s.network.latency]).toEqual([3, false, 5]);
    });

    it('keeps text YAML would change: a comparison, a "#", an empty value', () => {
      const s = loaded([
        ['expect.istio.okRate', '>= 0.5'],
        ['title', 'Retries #2'],
        ['description', ''],
      ]);
      expect(s.expect.istio!.okRate).toEqual({ op: '>=', value: 0.5, text: '>= 0.5' });
      expect([s.title, s.description]).toEqual(['Retries #2', '']);
    });

    it('adds a list item right after the last, and builds missing lists from [0]', () => {
      const s = loaded([
        ['traffic[1]', '{ from: api, to: web, rate: 2/s }'],
        ['policies.retries[0]', '{ service: api, attempts: 1 }'],
      ]);
      expect(s.traffic.map((t) => t.from)).toEqual(['web', 'api']);
      expect(s.policies.retries).toEqual([{ service: 'api', attempts: 1 }]);
    });

    it('applies in order, so a later override wins', () => {
      expect(
        loaded([
          ['seed', '3'],
          ['seed', '4'],
        ]).seed,
      ).toBe(4);
    });
  });

  describe('when they do not fit', () => {
    it('reports a bad value against the override, not the file', () => {
      expect(lines([['policies.mtls', 'strct']])).toEqual([
        '--set policies.mtls=strct:1:1: policies.mtls must be one of strict, permissive, off (got "strct"; did you mean "strict"?)',
      ]);
    });

    it('reports an unknown key with a suggestion', () => {
      expect(lines([['policies.mtl', 'strict']])).toEqual(['--set policies.mtl=strict:1:1: policies.mtl is an unknown key (did you mean "mtls"?)']);
    });

    it('reports a problem inside a value it set', () => {
      expect(lines([['traffic[0]', '{ from: web }']])).toEqual(['--set traffic[0]={ from: web }:1:1: traffic[0].to is required']);
    });

    it('refuses an index that would leave a gap in a list', () => {
      expect(lines([['traffic[5].rate', '1/s']])).toEqual([
        '--set traffic[5].rate=1/s:1:1: traffic[5].rate cannot be set: traffic has 1 item, so traffic[5] would leave a gap',
      ]);
      expect(lines([['faults[1]', '{ pod: api-0, crash: { at: 1s } }']])).toEqual([
        '--set faults[1]={ pod: api-0, crash: { at: 1s } }:1:1: faults[1] cannot be set: faults has no items yet, so it starts at faults[0]',
      ]);
    });

    it('refuses to reach through a value that is not a mapping or a list', () => {
      expect(lines([['duration.ms', '5']])).toEqual(['--set duration.ms=5:1:1: duration.ms cannot be set: duration is "2s", not a mapping or a list']);
      expect(lines([['services.name', 'x']])).toEqual([
        '--set services.name=x:1:1: services.name cannot be set: services is a list; name an item like services[0].name',
      ]);
      expect(lines([['traffic[0][1]', 'x']])).toEqual(['--set traffic[0][1]=x:1:1: traffic[0][1] cannot be set: traffic[0] is a mapping, not a list']);
    });

    it('refuses a malformed key path', () => {
      expect(lines([['policies..mtls', 'strict']])).toEqual([
        '--set policies..mtls=strict:1:1: "policies..mtls" is not a key path like policies.mtls or traffic[0].rate',
      ]);
    });

    it('reports the file first, in line order, then the overrides; the others still apply', () => {
      const text = TEXT.replace('at: 1s', 'at: soon');
      expect(
        lines(
          [
            ['seed', '-1'],
            ['policies.mtls', 'strict'],
            ['bogus..key', '1'],
          ],
          text,
        ),
      ).toEqual([
        'tiny.yaml:10:9: traffic[0].at must be a duration like 250ms, 10s, 2m or 24h (got "soon")',
        '--set seed=-1:1:1: seed must be a whole number from 0 to 4294967295 (got -1)',
        '--set bogus..key=1:1:1: "bogus..key" is not a key path like policies.mtls or traffic[0].rate',
      ]);
    });

    it('still blames the file for a problem the override did not cause', () => {
      // The override removes the service the file's traffic names: the traffic line is what to fix.
      expect(lines([['services[1].name', 'backend']])).toEqual([
        'tiny.yaml:9:9: traffic[0].to names a service or external host "api" that the scenario does not declare',
      ]);
    });
  });
});

describe('parseKeyPath', () => {
  it('splits dotted keys and list indexes', () => {
    expect(parseKeyPath('traffic[0].rate')).toEqual(['traffic', 0, 'rate']);
    expect(parseKeyPath('expect.istio.okRate')).toEqual(['expect', 'istio', 'okRate']);
    expect(parseKeyPath('faults[12]')).toEqual(['faults', 12]);
  });

  it.each(['', '.mtls', 'policies.', 'a..b', '[0]', 'traffic[x]', 'traffic[-1]', 'a b'])('rejects %j', (key) => {
    expect(parseKeyPath(key)).toBeUndefined();
  });
});
