/**
 * Linkerd's policy.linkerd.io HTTPRoute at v1beta2, as its tasks apply it verbatim (linkerd.io
 * 2.13–2.15 tasks/configuring-dynamic-request-routing): the same resource as v1beta3 but for rule
 * `timeouts`, which came with v1beta3 (linkerd2 charts/linkerd-crds/templates/policy/httproute.yaml).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { problemLines } from '../scenario/fixtures.ts';

/** The task's route, as written there. */
const backendRouter = {
  apiVersion: 'policy.linkerd.io/v1beta2',
  kind: 'HTTPRoute',
  metadata: { name: 'backend-router', namespace: 'test' },
  spec: {
    parentRefs: [{ name: 'backend-a-podinfo', namespace: 'test', kind: 'Service', group: 'core', port: 9898 }],
    rules: [
      { matches: [{ headers: [{ name: 'x-request-id', value: 'alternative' }] }], backendRefs: [{ name: 'backend-b-podinfo', port: 9898 }] },
      { backendRefs: [{ name: 'backend-a-podinfo', port: 9898 }] },
    ],
  },
};

describe('the Linkerd dynamic request routing task (policy.linkerd.io/v1beta2 HTTPRoute)', () => {
  it('routes requests with x-request-id: alternative to backend B and the rest to backend A', () => {
    const r = run(
      {
        services: [
          { name: 'frontend', namespace: 'test' },
          { name: 'backend-a-podinfo', namespace: 'test', port: 9898 },
          { name: 'backend-b-podinfo', namespace: 'test', port: 9898 },
        ],
        traffic: [
          { from: 'frontend', to: 'backend-a-podinfo.test', at: '1s' },
          { from: 'frontend', to: 'backend-a-podinfo.test', at: '2s', headers: { 'x-request-id': 'alternative' } },
        ],
        linkerd: [backendRouter],
      },
      'linkerd',
    );
    const served = r.report.requests.map((q) => [q.headers['x-request-id'] ?? '-', q.status, q.tries.at(-1)!.pod]);
    expect(served).toEqual([
      ['-', 200, 'backend-a-podinfo-0'],
      ['alternative', 200, 'backend-b-podinfo-0'],
    ]);
  });

  it('refuses rule timeouts under v1beta2, at the key, naming the version that has them', () => {
    const file = `id: v1beta2
title: v1beta2
duration: 10s
services:
  - name: web
  - name: api
linkerd:
  - apiVersion: policy.linkerd.io/v1beta2
    kind: HTTPRoute
    metadata: { name: api }
    spec:
      parentRefs: [{ name: api, kind: Service, group: core }]
      rules:
        - timeouts: { request: 1s }
`;
    expect(problemLines('v1beta2.yaml', file)).toEqual([
      'v1beta2.yaml:14:11: linkerd[0].spec.rules[0].timeouts is not a field of policy.linkerd.io/v1beta2 HTTPRoute (timeouts came with policy.linkerd.io/v1beta3): use that apiVersion, or the timeout.linkerd.io annotations',
    ]);
    expect(problemLines('v1beta3.yaml', file.replace('v1beta2\n    kind', 'v1beta3\n    kind'))).toEqual(['ok']);
  });
});
