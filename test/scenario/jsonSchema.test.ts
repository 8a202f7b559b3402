import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { percent, scenarioJsonSchema } from '../../src/scenario/index.ts';
import { VALID_FILES, readFixture, supportedKinds } from './fixtures.ts';
import { jsonSchemaErrors, subschemas } from './jsonSchemaCheck.ts';

const schema = scenarioJsonSchema();
const all = [...subschemas(schema)];
const valid = (file: string): unknown => parse(readFixture(file));

describe('scenarioJsonSchema', () => {
  it('is a draft 2020-12 schema with an id and a title, declared once at the root', () => {
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://mesh-sim.dev/scenario.schema.json',
      title: 'mesh-sim scenario',
      type: 'object',
    });
    expect(all.filter(([, s]) => '$schema' in s).map(([p]) => p)).toEqual(['#']);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('requires what the loader requires at the top level and nothing else', () => {
    expect(schema.required).toEqual(['id', 'title', 'duration', 'services']);
  });

  it('closes every object with fixed keys, as the loader does: an editor flags unknown keys too', () => {
    const open = all.filter(([, s]) => s.type === 'object' && s.properties !== undefined && s.additionalProperties !== false);
    expect(open.map(([p]) => p)).toEqual([]);
  });

  it('offers one schema per supported native kind', () => {
    const kinds = (list: string) =>
      (schema.properties as Record<string, { items: { anyOf: { properties: { kind: { const: string } } }[] } }>)[list]!.items.anyOf.map(
        (k) => k.properties.kind.const,
      );
    expect(kinds('istio')).toEqual(supportedKinds('istio'));
    expect(kinds('linkerd')).toEqual(supportedKinds('linkerd'));
    expect(supportedKinds('istio')).toEqual(expect.arrayContaining(['PeerAuthentication', 'DestinationRule', 'VirtualService', 'IstioOperator']));
    expect(supportedKinds('linkerd')).toEqual(expect.arrayContaining(['Service', 'Namespace', 'HTTPRoute', 'ServiceProfile']));
  });

  it('writes every pattern as a regular expression an editor can compile', () => {
    for (const [, s] of all) if (typeof s.pattern === 'string') expect(() => new RegExp(s.pattern as string, 'u')).not.toThrow();
  });

  it('uses only formats JSON Schema defines', () => {
    const standard = ['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex'];
    expect(all.filter(([, s]) => s.format !== undefined && !standard.includes(s.format as string)).map(([p, s]) => `${p}: ${s.format}`)).toEqual([]);
  });

  /* eslint-disable @typescript-eslint/no-explicit-any -- walking the generated JSON Schema */
  it('accepts exactly the percentages the loader accepts: text with a % sign, from 0% to 100%', () => {
    const rate = (schema.properties as any).faults.items.properties.errors.properties.rate as Record<string, unknown>;
    const samples: unknown[] = [
      '50%',
      '0%',
      '100%',
      '100.0%',
      '12.5%',
      ' 50% ',
      '007%',
      '0100%',
      '100.5%',
      '101%',
      '-5%',
      '-0%',
      '50',
      '0.5',
      50,
      0.5,
      0,
      '50 %',
      '%',
      '.5%',
      '5.%',
      '1e2%',
      'half',
    ];
    const byLoader = samples.filter((v) => percent.safeParse(v).success);
    const bySchema = samples.filter((v) => jsonSchemaErrors(rate, v).length === 0);
    expect(bySchema).toEqual(byLoader);
    expect(byLoader).toEqual(['50%', '0%', '100%', '100.0%', '12.5%', ' 50% ', '007%', '0100%']);
  });

  it.each(VALID_FILES)('accepts %s', (file) => {
    expect(jsonSchemaErrors(schema, valid(file))).toEqual([]);
  });

  it('flags what the loader flags: a misspelt key, a bad duration, a negative count, a rate without a unit', () => {
    const base = valid('test/fixtures/valid/canary-subsets.yaml') as Record<string, any>;
    const broken = (change: (s: Record<string, any>) => void): string[] => {
      const copy = structuredClone(base);
      change(copy);
      return jsonSchemaErrors(schema, copy);
    };
    expect(
      broken((s) => {
        s.services[1].replica = 2;
      }),
    ).toEqual(['/services/1: unknown key replica']);
    expect(
      broken((s) => {
        s.duration = '10 seconds';
      }),
    ).toEqual(['/duration: does not match ^\\s*(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+\\s*$']);
    expect(
      broken((s) => {
        s.traffic[2].count = -3;
      }),
    ).toEqual(['/traffic/2/count: below 1']);
    expect(
      broken((s) => {
        s.traffic[0].rate = '20';
      }),
    ).toEqual(['/traffic/0/rate: does not match ^\\s*(\\d+(?:\\.\\d+)?)\\/(s|m)\\s*$']);
    expect(
      broken((s) => {
        delete s.title;
      }),
    ).toEqual(['/: missing title']);
  });
});
