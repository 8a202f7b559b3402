import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { problemLines } from './fixtures.ts';
import {
  compare,
  comparison,
  describe as describeValue,
  durationLiteral,
  durationMs,
  formatDuration,
  parseDuration,
  subMillisecond,
  percent,
  positiveDurationMs,
  ratePerSec,
} from '../../src/scenario/units.ts';

/** The single message a unit schema gives for `input`. */
function messageFor(schema: z.ZodType, input: unknown): string {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  expect(r.error.issues).toHaveLength(1);
  return r.error.issues[0]!.message;
}

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['2m', 120_000],
    ['24h', 86_400_000],
    ['1.5s', 1500],
    ['0s', 0],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    [' 3s ', 3000],
    ['0.0004s', 0],
    ['0.0006s', 1],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['10', '10 s', '10S', '-5s', 's', '', '1d', '1.s', '.5s', '10sec', '1e3ms', '5s5'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('round-trips through the literal a file would write', () => {
    for (const ms of [0, 1, 999, 1000, 1500, 60_000, 90_000, 3_600_000]) expect(parseDuration(durationLiteral(ms))).toBe(ms);
  });

  it('formats for people: 250ms, 1.5s, 1m 30s, 2h 0m', () => {
    expect([250, 1500, 90_000, 120_000, 7_200_000].map(formatDuration)).toEqual(['250ms', '1.5s', '1m 30s', '2m', '2h 0m']);
  });
});

describe('durationMs messages', () => {
  it('says what a duration looks like and quotes what it got', () => {
    expect(messageFor(durationMs, '10 seconds')).toBe('must be a duration like 250ms, 10s, 2m or 24h (got "10 seconds")');
    expect(messageFor(durationMs, 10)).toBe('must be a duration like 250ms, 10s, 2m or 24h (got 10)');
    expect(messageFor(positiveDurationMs, '0ms')).toBe('must be longer than 0ms');
  });
});

describe('percent', () => {
  it.each([
    ['50%', 0.5],
    ['0%', 0],
    ['100%', 1],
    ['12.5%', 0.125],
    [' 5% ', 0.05],
  ])('reads %j as %d', (v, f) => {
    expect(percent.parse(v)).toBe(f);
  });

  it('rejects what is out of range or not a percentage, quoting it', () => {
    expect(messageFor(percent, '150%')).toBe('must be between 0% and 100% (got 150%)');
    expect(messageFor(percent, 101)).toBe('must be between 0% and 100% (got 101%)');
    expect(messageFor(percent, '-1%')).toBe('must be between 0% and 100% (got -1%)');
    expect(messageFor(percent, 'half')).toBe('must be a percentage like 50% (got "half")');
    // A bare number could be a fraction or a percent: the author must say which.
    expect(messageFor(percent, 0.5)).toBe('must be written with a % sign, like 0.5% (or 50% if you meant a fraction) (got 0.5)');
    expect(messageFor(percent, 25)).toBe('must be written with a % sign, like 25% (got 25)');
    expect(messageFor(percent, true)).toBe('must be a percentage like 50% (got true)');
  });
});

describe('ratePerSec', () => {
  it.each([
    ['20/s', 20],
    ['300/m', 5],
    ['0.5/s', 0.5],
    [' 2/s ', 2],
  ])('reads %j as %d per second', (v, r) => {
    expect(ratePerSec.parse(v)).toBe(r);
  });

  it.each(['0/s', '20', '20/h', '20 per second', '-1/s'])('rejects %j', (v) => {
    expect(messageFor(ratePerSec, v)).toBe(`must be a rate above zero like 20/s or 300/m (got "${v}")`);
  });

  it('rejects a number, saying a rate has a unit', () => {
    expect(messageFor(ratePerSec, 20)).toBe('must be a rate like 20/s or 300/m (got 20)');
  });
});

describe('comparison', () => {
  it('reads operators, units and bare numbers', () => {
    expect(comparison.parse('>= 0.99')).toEqual({ op: '>=', value: 0.99, text: '>= 0.99' });
    expect(comparison.parse('< 250ms')).toEqual({ op: '<', value: 250, text: '< 250ms' });
    expect(comparison.parse('<2s')).toEqual({ op: '<', value: 2000, text: '<2s' });
    expect(comparison.parse('!= 5%')).toEqual({ op: '!=', value: 0.05, text: '!= 5%' });
    expect(comparison.parse('3')).toEqual({ op: '==', value: 3, text: '3' });
    expect(comparison.parse(0)).toEqual({ op: '==', value: 0, text: '== 0' });
  });

  it('compares with each operator', () => {
    const c = (t: string) => comparison.parse(t);
    expect([compare(1, c('>= 1')), compare(1, c('> 1')), compare(1, c('<= 1')), compare(1, c('< 1')), compare(1, c('== 1')), compare(1, c('!= 1'))]).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('rejects what it cannot read', () => {
    expect(messageFor(comparison, 'high')).toBe('must be a comparison like ">= 0.99", "< 250ms" or a number (got "high")');
  });
});

describe('describe', () => {
  it('quotes a wrong value the way messages show it', () => {
    expect([undefined, null, 'x', 3, true, [1], { a: 1 }].map(describeValue)).toEqual(['nothing', 'an empty value', '"x"', '3', 'true', 'a list', 'a mapping']);
  });
});

describe('durations between whole milliseconds', () => {
  it('finds the whole milliseconds either side, and none for a whole number of them', () => {
    expect(['0.1ms', '1.0005s', '1.5ms', '1.005s', '1.5s', '0.0006s', '250ms'].map(subMillisecond)).toEqual([
      [0, 1],
      [1000, 1001],
      [1, 2],
      undefined,
      undefined,
      [0, 1],
      undefined,
    ]);
  });

  it('are a located error, not silently rounded: the engine counts whole milliseconds', () => {
    const file = `id: fine
title: Fine
duration: 10s
services:
  - name: web
  - name: reviews
    latency: 0.1ms
    calls: [{ to: ratings, timeout: 1.5ms }]
  - name: ratings
traffic:
  - { from: web, to: reviews, at: 1.0005s }
linkerd:
  - apiVersion: v1
    kind: Service
    metadata:
      name: ratings
      annotations: { timeout.linkerd.io/request: 0.5ms }
istio:
  - apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: { name: ratings }
    spec:
      hosts: [ratings]
      http:
        - route: [{ destination: { host: ratings } }]
          timeout: 0.0005s
`;
    expect(problemLines('fine.yaml', file)).toEqual([
      `fine.yaml:7:14: services[1].latency must be whole milliseconds: mesh-sim's clock counts whole milliseconds (got "0.1ms"; write 0ms or 1ms)`,
      `fine.yaml:8:37: services[1].calls[0].timeout must be whole milliseconds: mesh-sim's clock counts whole milliseconds (got "1.5ms"; write 1ms or 2ms)`,
      `fine.yaml:11:35: traffic[0].at must be whole milliseconds: mesh-sim's clock counts whole milliseconds (got "1.0005s"; write 1000ms or 1001ms)`,
      `fine.yaml:17:50: linkerd[0].metadata.annotations["timeout.linkerd.io/request"] must be whole milliseconds: mesh-sim's clock counts whole milliseconds (got "0.5ms"; write 0ms or 1ms)`,
      `fine.yaml:26:20: istio[0].spec.http[0].timeout must be whole milliseconds: mesh-sim's clock counts whole milliseconds (got "0.0005s"; write 0ms or 1ms)`,
    ]);
  });
});
