import { describe, expect, it } from 'vitest';
import { podNames, serviceOfHost } from '../../src/scenario/index.ts';
import { problemLines } from './fixtures.ts';

const BASE = `id: refs
title: References
duration: 10s
services:
  - name: web
  - name: reviews
    versions: [v1, v2]
`;
const lines = (more: string): string[] => problemLines('refs.yaml', BASE + more);

describe('podNames', () => {
  it('names pods <service>-<i>, or <service>-<version>-<i> per version', () => {
    expect(podNames('reviews', 3, undefined)).toEqual(['reviews-0', 'reviews-1', 'reviews-2']);
    expect(podNames('reviews', 2, ['v1', 'v2'])).toEqual(['reviews-v1-0', 'reviews-v1-1', 'reviews-v2-0', 'reviews-v2-1']);
  });
});

describe('serviceOfHost', () => {
  const services = [{ name: 'reviews' }, { name: 'orders', namespace: 'shop' }];
  it('reads a short name, name.namespace and the cluster FQDN', () => {
    expect(['reviews', 'reviews.default', 'reviews.default.svc.cluster.local', 'orders.shop'].map((h) => serviceOfHost(h, services))).toEqual(['reviews', 'reviews', 'reviews', 'orders']);
  });
  it('rejects another namespace or a domain that is not the cluster', () => {
    expect(['reviews.shop', 'orders.default', 'reviews.default.example.com', 'ratings'].map((h) => serviceOfHost(h, services))).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('checkReferences, through the loader', () => {
  it('says which namespace a service runs in when a host names another', () => {
    expect(lines('traffic:\n  - from: web\n    to: reviews.prod\n    at: 1s\n')).toEqual([
      'refs.yaml:10:9: traffic[0].to names a service or external host "reviews.prod" that the scenario does not declare (service reviews runs in namespace default: reviews.default)',
    ]);
  });

  it('points at the pod name, the key, when expect.received names a pod that does not exist', () => {
    expect(lines("expect:\n  istio: { received: { reviews-v3-0: '> 0' } }\n")).toEqual([
      'refs.yaml:9:24: expect.istio.received.reviews-v3-0 names a pod "reviews-v3-0" that the scenario does not declare (service reviews has pods reviews-v1-0, reviews-v2-0)',
    ]);
  });

  it('checks services named by policies and faults, with a suggestion', () => {
    expect(lines('faults:\n  - service: webb\n    crash: { at: 1s }\npolicies:\n  retries:\n    - service: reviewz\n      attempts: 2\n')).toEqual([
      'refs.yaml:9:14: faults[0].service names a service "webb" that the scenario does not declare (did you mean "web"?)',
      'refs.yaml:13:16: policies.retries[0].service names a service "reviewz" that the scenario does not declare (did you mean "reviews"?)',
    ]);
  });

  it('checks that DestinationRule subsets select pods and VirtualService subsets exist', () => {
    const dr = 'istio:\n  - apiVersion: networking.istio.io/v1\n    kind: DestinationRule\n    metadata: { name: reviews }\n    spec:\n      host: reviews\n      subsets:\n        - name: v3\n          labels: { version: v3 }\n';
    const vs = '  - apiVersion: networking.istio.io/v1\n    kind: VirtualService\n    metadata: { name: reviews }\n    spec:\n      hosts: [reviews]\n      http:\n        - route:\n            - destination: { host: reviews, subset: v1 }\n';
    expect(lines(dr + vs)).toEqual([
      'refs.yaml:16:30: istio[0].spec.subsets[0].labels.version selects no pod: service "reviews" has versions v1, v2',
      'refs.yaml:24:53: istio[1].spec.http[0].route[0].destination.subset names subset "v1" that no DestinationRule for "reviews" defines',
    ]);
  });

  it('checks the namespace of a PeerAuthentication and the Service an HTTPRoute attaches to', () => {
    const pa = 'istio:\n  - apiVersion: security.istio.io/v1\n    kind: PeerAuthentication\n    metadata: { name: default, namespace: prod }\n    spec: { mtls: { mode: STRICT } }\n';
    const route = 'linkerd:\n  - apiVersion: gateway.networking.k8s.io/v1\n    kind: HTTPRoute\n    metadata: { name: r }\n    spec:\n      parentRefs: [{ name: review }]\n      rules:\n        - backendRefs: [{ name: reviews }]\n';
    expect(lines(pa + route)).toEqual([
      'refs.yaml:11:43: istio[0].metadata.namespace names namespace "prod" where no service runs (the mesh-wide root namespace is istio-system)',
      'refs.yaml:18:28: linkerd[0].spec.parentRefs[0].name names a service "review" that the scenario does not declare (did you mean "reviews"?)',
    ]);
  });

  it('names the first declaration of a repeated external host, and a narration after the end', () => {
    expect(lines('external:\n  - host: api.example.com\n  - host: api.example.com\nnarration:\n  - at: 11s\n    text: Too late.\n')).toEqual([
      'refs.yaml:10:11: external[1].host declares external host "api.example.com" a second time (first declared on line 9)',
      'refs.yaml:12:9: narration[0].at is after the end of the run (duration 10s)',
    ]);
  });
});
