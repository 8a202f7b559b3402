/**
 * Settings the simulation would accept and then not act on are refused where they are written,
 * with what does control that behaviour: a course author must never believe a setting took effect.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';
import { problemLines } from './fixtures.ts';

const BASE = `id: ignored
title: Ignored settings
duration: 10s
services:
  - name: web
  - name: api
`;
const lines = (more: string): string[] => problemLines('ignored.yaml', BASE + more);

describe('faults', () => {
  it("needs a pod for a certificate fault, which changes one pod's certificate", () => {
    expect(lines('faults:\n  - service: api\n    certificate: { expireAt: 2s }\n')).toEqual([
      "ignored.yaml:9:18: faults[0].certificate needs pod: a certificate fault changes one pod's certificate (name one of api's pods, not the service)",
    ]);
    expect(lines('faults:\n  - pod: api-0\n    certificate: { expireAt: 2s }\n')).toEqual(['ok']);
  });

  it('needs a certificate fault to change something', () => {
    expect(lines('faults:\n  - pod: api-0\n    certificate: {}\n')).toEqual([
      'ignored.yaml:9:18: faults[0].certificate must set expireAt or identity (or both)',
    ]);
  });

  it('refuses from and until on a crash, which crash.at and restartAfter time', () => {
    expect(lines('faults:\n  - pod: api-0\n    crash: { at: 1s, restartAfter: 2s }\n    from: 2s\n    until: 3s\n')).toEqual([
      'ignored.yaml:10:5: faults[0].from has no effect on a crash: crash.at and crash.restartAfter set when the pod stops and comes back',
      'ignored.yaml:11:5: faults[0].until has no effect on a crash: crash.at and crash.restartAfter set when the pod stops and comes back',
    ]);
  });

  it('refuses from and until on a certificate fault, which certificate.expireAt times, and says how to time the rest', () => {
    expect(lines('faults:\n  - pod: api-0\n    certificate: { expireAt: 5s }\n    errors: { status: 503, rate: 10% }\n    until: 3s\n')).toEqual([
      'ignored.yaml:11:5: faults[0].until has no effect on a certificate: certificate.expireAt sets when it expires; put errors in a fault of its own to time it with from and until',
    ]);
  });

  it('keeps from and until where they act: errors, a link, the control plane', () => {
    const ok =
      'faults:\n  - pod: api-0\n    errors: { status: 503, rate: 10% }\n    from: 1s\n    until: 3s\n  - pod: web-0\n    link: { to: api-0 }\n    from: 1s\n  - controlPlane: down\n    until: 4s\n';
    expect(lines(ok)).toEqual(['ok']);
  });

  it('refuses a second certificate fault for a pod, which the simulation would not apply', () => {
    expect(
      lines('faults:\n  - pod: api-0\n    certificate: { expireAt: 5s }\n  - pod: api-0\n    certificate: { identity: { serviceAccount: web } }\n'),
    ).toEqual([
      'ignored.yaml:11:18: faults[1].certificate is a second certificate fault for pod "api-0", and only the first would apply: merge them (first declared on line 9)',
    ]);
  });
});

describe('traffic', () => {
  const traffic = (mode: string) => `traffic:\n  - from: web\n    to: api\n    ${mode}\n`;

  it('refuses concurrency without count: a rate or a single request sets its own pace', () => {
    expect(lines(`${traffic('rate: 10/s')}    concurrency: 4\n`)).toEqual([
      'ignored.yaml:11:5: traffic[0].concurrency has no effect with rate: an open-loop source sends at its rate, however many requests are waiting (concurrency is for count, a closed loop)',
    ]);
    expect(lines(`${traffic('at: 1s')}    concurrency: 1\n`)).toEqual([
      'ignored.yaml:11:5: traffic[0].concurrency has no effect with at: the source sends one request (concurrency is for count, a closed loop)',
    ]);
    expect(lines(`${traffic('count: 20')}    concurrency: 4\n`)).toEqual(['ok']);
  });

  it('refuses stop with at, and keeps it with rate and count', () => {
    expect(lines(`${traffic('at: 1s')}    stop: 5s\n`)).toEqual([
      'ignored.yaml:11:5: traffic[0].stop has no effect with at: the source sends one request (stop ends a rate or count source)',
    ]);
    expect(lines(`${traffic('rate: 10/s')}    stop: 5s\n`)).toEqual(['ok']);
    expect(lines(`${traffic('count: 20')}    stop: 5s\n`)).toEqual(['ok']);
  });

  it('reports a concurrency set on the command line against the --set', () => {
    const r = parseScenario(BASE + traffic('rate: 10/s'), 'ignored.yaml', { overrides: [['traffic[0].concurrency', '4']] });
    expect(r.ok ? ['ok'] : r.problems.map(formatProblem)).toEqual([
      '--set traffic[0].concurrency=4:1:1: traffic[0].concurrency has no effect with rate: an open-loop source sends at its rate, however many requests are waiting (concurrency is for count, a closed loop)',
    ]);
  });
});
