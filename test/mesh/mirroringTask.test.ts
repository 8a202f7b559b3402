/**
 * Istio's Mirroring task (istio.io tasks/traffic-management/mirroring): httpbin v1 and v2, all
 * traffic routed to v1 and mirrored to v2 with `mirror` / `mirrorPercentage`. The copy is fire and
 * forget — curl's answers all come from v1 while v2's log shows every request too — and its Host
 * gets a `-shadow` suffix before Istio 1.28 only (DISABLE_SHADOW_HOST_SUFFIX, default true from
 * 1.28: istio/istio pilot/pkg/features/pilot.go; the 1.27 compatibility profile sets it false).
 * FIDELITY B5.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { stringify } from 'yaml';

const routeWithMirror = (mirror: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'httpbin' },
  spec: { hosts: ['httpbin'], http: [{ route: [{ destination: { host: 'httpbin', subset: 'v1' }, weight: 100 }], ...mirror }] },
});
const subsets = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'httpbin' },
  spec: { host: 'httpbin', subsets: ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })) },
};
const MIRROR = { mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100 } };

function mirroring(mirror: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return run(
    {
      duration: '3s',
      services: [{ name: 'curl' }, { name: 'httpbin', port: 8000, versions: ['v1', 'v2'] }],
      traffic: [{ from: 'curl', to: 'httpbin', path: '/headers', rate: '10/s', stop: '1s' }],
      istio: [subsets, routeWithMirror(mirror)],
      ...extra,
    },
    'istio',
  );
}
const received = (r: ReturnType<typeof run>, pod: string) => r.report.pods.find((p) => p.name === pod)?.received ?? 0;

describe('Istio task: Mirroring', () => {
  it('every request is answered by v1, and v2 receives a copy of each (current Istio: the Host unchanged)', () => {
    const r = mirroring(MIRROR);
    const sent = r.report.requests;
    expect(sent.length).toBe(10);
    for (const q of sent) {
      expect(q.status).toBe(200);
      expect(q.tries.map((t) => t.pod)).toEqual(['httpbin-v1-0']);
    }
    expect(received(r, 'httpbin-v1-0')).toBe(10);
    expect(received(r, 'httpbin-v2-0')).toBe(10);
    const copies = r.decisions('mirror');
    expect(copies).toHaveLength(10);
    expect(copies[0]!.summary).toContain('Host httpbin)');
    expect(copies[0]!.cause.source).toMatch(/FIDELITY B5/);
  });

  it('Istio 1.27 (before DISABLE_SHADOW_HOST_SUFFIX) sends the copy with Host httpbin-shadow', () => {
    const r = mirroring(MIRROR, { meshVersions: { istio: '1.27' } });
    expect(received(r, 'httpbin-v2-0')).toBe(10);
    expect(r.decisions('mirror')[0]!.summary).toContain('Host httpbin-shadow)');
  });

  it('the copy is fire and forget: a slow, failing mirror changes nothing for curl, and its failures are never retried', () => {
    // Istio 1.23, whose default retry policy retries 503 (FIDELITY B1): a retried copy would show.
    const r = mirroring(MIRROR, {
      meshVersions: { istio: '1.23' },
      faults: [
        { pod: 'httpbin-v2-0', errors: { rate: '100%', status: 503 } },
        { pod: 'httpbin-v2-0', delay: { time: '2s' } },
      ],
    });
    for (const q of r.report.requests) {
      expect(q.status).toBe(200);
      expect(q.endMs - q.startMs).toBeLessThan(100);
    }
    // One copy per request reached v2 (a 503 there would be retried were it not a mirror).
    expect(received(r, 'httpbin-v2-0')).toBe(10);
    expect(r.decisions('retry')).toHaveLength(0);
  });

  it('mirrorPercentage sets the share copied; 0 copies none (route.go MirrorPercent)', () => {
    expect(received(mirroring({ ...MIRROR, mirrorPercentage: { value: 0 } }), 'httpbin-v2-0')).toBe(0);
    const half = received(mirroring({ ...MIRROR, mirrorPercentage: { value: 50 } }), 'httpbin-v2-0');
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(10);
    // mirror without mirrorPercentage copies every request.
    expect(received(mirroring({ mirror: { host: 'httpbin', subset: 'v2' } }), 'httpbin-v2-0')).toBe(10);
  });

  it('mirrors: one copy to each destination', () => {
    const r = mirroring({
      mirrors: [{ destination: { host: 'httpbin', subset: 'v2' } }, { destination: { host: 'httpbin', subset: 'v1' }, percentage: { value: 100 } }],
    });
    expect(received(r, 'httpbin-v2-0')).toBe(10);
    expect(received(r, 'httpbin-v1-0')).toBe(20);
  });

  it('a mirror naming an unknown subset or host is a located error', () => {
    const text = stringify({
      id: 't',
      title: 't',
      duration: '1s',
      services: [{ name: 'curl' }, { name: 'httpbin', versions: ['v1', 'v2'] }],
      istio: [subsets, routeWithMirror({ mirror: { host: 'httpbin', subset: 'v3' }, mirrors: [{ destination: { host: 'httpbim' } }] })],
    });
    const r = parseScenario(text, 'm.yaml');
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^m\.yaml:\d+:\d+: istio\[1\]\.spec\.http\[0\]\.mirror\.subset names subset "v3" that no DestinationRule for "httpbin" defines$/),
      expect.stringMatching(/^m\.yaml:\d+:\d+: istio\[1\]\.spec\.http\[0\]\.mirrors\[0\]\.destination\.host names a service or external host "httpbim"/),
    ]);
  });
});
