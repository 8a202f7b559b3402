import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../src/embed/commands.ts';
import { message } from '../../src/embed/protocol.ts';

const schema = commandSchema(['istio', 'linkerd']);
const env = { source: 'mesh-sim', version: 1 } as const;
const accepts = (m: unknown): boolean => schema.safeParse(m).success;

describe(commandSchema, () => {
  it.each([
    { ...env, type: 'play' },
    { ...env, type: 'pause' },
    { ...env, type: 'step' },
    { ...env, type: 'step', index: 12 },
    { ...env, type: 'seek', t: 2500 },
    { ...env, type: 'seek', t: 0 },
    { ...env, type: 'setMesh', mesh: 'linkerd' },
    { ...env, type: 'setMesh', mesh: 'compare' },
    { ...env, type: 'setMesh', mesh: 'compare', with: ['istio', 'linkerd', 'istio'] },
    // Counts and `with` without compare pass the schema: the embed answers them with an error event.
    { ...env, type: 'setMesh', mesh: 'compare', with: ['istio'] },
    { ...env, type: 'loadScenario', id: 'hello-mesh' },
    { ...env, type: 'loadScenario', url: '/lessons/3.yaml' },
  ])('accepts %o', (m) => {
    expect(schema.parse(m)).toEqual(m);
  });

  describe('when a message is malformed or hostile', () => {
    it.each<[string, unknown]>([
      ['a string', JSON.stringify({ ...env, type: 'play' })],
      ['null', null],
      ['a number', 42],
      ['an array', [env.source, env.version, 'play']],
      ['no envelope', { type: 'play' }],
      ['another source', { source: 'other', version: 1, type: 'play' }],
      ['another version', { ...env, version: 2, type: 'play' }],
      ['the version as a string', { ...env, version: '1', type: 'play' }],
      ['an unknown type', { ...env, type: 'eval', code: 'alert(1)' }],
      ['an extra key', { ...env, type: 'play', speed: 10 }],
      ['a prototype key', JSON.parse('{"source":"mesh-sim","version":1,"type":"play","__proto__":{"polluted":true}}')],
      ['t as a string', { ...env, type: 'seek', t: '1000' }],
      ['a negative t', { ...env, type: 'seek', t: -1 }],
      ['t NaN', { ...env, type: 'seek', t: Number.NaN }],
      ['t Infinity', { ...env, type: 'seek', t: Number.POSITIVE_INFINITY }],
      ['a fractional step', { ...env, type: 'step', index: 1.5 }],
      ['an unknown mesh', { ...env, type: 'setMesh', mesh: 'nomesh' }],
      ['an unknown mesh in with', { ...env, type: 'setMesh', mesh: 'compare', with: ['istio', 'nomesh'] }],
      ['compare in with', { ...env, type: 'setMesh', mesh: 'compare', with: ['compare', 'istio'] }],
      ['with as text', { ...env, type: 'setMesh', mesh: 'compare', with: 'istio,linkerd' }],
      ['a huge with', { ...env, type: 'setMesh', mesh: 'compare', with: Array<string>(17).fill('istio') }],
      ['loadScenario with neither id nor url', { ...env, type: 'loadScenario' }],
      ['loadScenario with both', { ...env, type: 'loadScenario', id: 'hello-mesh', url: '/x.yaml' }],
      ['an id with a path', { ...env, type: 'loadScenario', id: '../../etc/passwd' }],
      ['a huge url', { ...env, type: 'loadScenario', url: 'x'.repeat(5000) }],
    ])('refuses %s', (_what, m) => {
      expect(accepts(m)).toBe(false);
    });

    it('leaves Object.prototype alone', () => {
      schema.safeParse(JSON.parse('{"source":"mesh-sim","version":1,"type":"play","__proto__":{"polluted":true}}'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});

describe(message, () => {
  it('wraps an event in the envelope', () => {
    expect(message({ type: 'resize', height: 480 })).toEqual({ source: 'mesh-sim', version: 1, type: 'resize', height: 480 });
  });
});
