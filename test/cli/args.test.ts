import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs } from '../../src/cli/args.ts';

describe('parseArgs', () => {
  it('reads run with every option, in either --opt value or --opt=value form', () => {
    expect(
      parseArgs(['run', 'a.yaml', '--mesh', 'istio', '--seed=42', '--set', 'policies.mtls=strict', '--set=expect.istio.okRate=>= 0.5', '--trace', 'text']),
    ).toEqual({
      command: 'run',
      files: ['a.yaml'],
      mesh: 'istio',
      seed: 42,
      trace: 'text',
      sets: [
        ['policies.mtls', 'strict'],
        ['expect.istio.okRate', '>= 0.5'],
      ],
    });
  });

  it('splits --set at the first "=", so values may contain one', () => {
    expect(parseArgs(['run', 'a.yaml', '--mesh', 'linkerd', '--set', 'title=a=b']).sets).toEqual([['title', 'a=b']]);
  });

  it('takes files for validate and check, and skips a bare --', () => {
    expect(parseArgs(['validate', 'a.yaml', '--', 'b.json'])).toEqual({ command: 'validate', files: ['a.yaml', 'b.json'], sets: [] });
    expect(parseArgs(['check', 'a.yaml'])).toEqual({ command: 'check', files: ['a.yaml'], sets: [] });
  });

  it('accepts the seed range of the scenario file, 0 to 2^32 - 1', () => {
    expect(parseArgs(['run', 'a.yaml', '--mesh', 'istio', '--seed', '0']).seed).toBe(0);
    expect(parseArgs(['run', 'a.yaml', '--mesh', 'istio', '--seed', '4294967295']).seed).toBe(4294967295);
    for (const bad of ['-1', '1.5', '1e3', 'seven', '4294967296', ''])
      expect(() => parseArgs(['run', 'a.yaml', '--mesh', 'istio', '--seed', bad])).toThrow(UsageError);
  });

  it('asks for help', () => {
    expect(parseArgs(['--help']).command).toBe('help');
    expect(parseArgs(['check', '-h']).command).toBe('help');
  });
});
