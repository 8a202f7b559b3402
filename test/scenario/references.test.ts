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
    expect(['reviews', 'reviews.default', 'reviews.default.svc.cluster.local', 'orders.shop'].map((h) => serviceOfHost(h, services))).toEqual([
      'reviews',
      'reviews',
      'reviews',
      'orders',
    ]);
  });
  it('rejects another namespace or a domain that is not the cluster', () => {
    expect(['reviews.shop', 'orders.default', 'reviews.default.example.com', 'ratings'].map((h) => serviceOfHost(h, services))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
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
    const dr =
      'istio:\n  - apiVersion: networking.istio.io/v1\n    kind: DestinationRule\n    metadata: { name: reviews }\n    spec:\n      host: reviews\n      subsets:\n        - name: v3\n          labels: { version: v3 }\n';
    const vs =
      '  - apiVersion: networking.istio.io/v1\n    kind: VirtualService\n    metadata: { name: reviews }\n    spec:\n      hosts: [reviews]\n      http:\n        - route:\n            - destination: { host: reviews, subset: v1 }\n';
    expect(lines(dr + vs)).toEqual([
      'refs.yaml:16:30: istio[0].spec.subsets[0].labels.version selects no pod: service "reviews" has versions v1, v2',
      'refs.yaml:24:53: istio[1].spec.http[0].route[0].destination.subset names subset "v1" that no DestinationRule for "reviews" defines',
    ]);
  });

  it('checks the namespace of a PeerAuthentication and the Service an HTTPRoute attaches to', () => {
    const pa =
      'istio:\n  - apiVersion: security.istio.io/v1\n    kind: PeerAuthentication\n    metadata: { name: default, namespace: prod }\n    spec: { mtls: { mode: STRICT } }\n';
    const route =
      'linkerd:\n  - apiVersion: gateway.networking.k8s.io/v1\n    kind: HTTPRoute\n    metadata: { name: r }\n    spec:\n      parentRefs: [{ name: review }]\n      rules:\n        - backendRefs: [{ name: reviews }]\n';
    expect(lines(pa + route)).toEqual([
      'refs.yaml:11:43: istio[0].metadata.namespace names namespace "prod" where no service runs (the mesh-wide root namespace is istio-system)',
      'refs.yaml:18:28: linkerd[0].spec.parentRefs[0].name names a service "review" that the scenario does not declare (did you mean "reviews"?)',
    ]);
  });

  it('reads the root namespace from meshConfig.rootNamespace, for PeerAuthentication as for AuthorizationPolicy', () => {
    const operator =
      'istio:\n  - apiVersion: install.istio.io/v1alpha1\n    kind: IstioOperator\n    metadata: { name: mesh }\n    spec: { meshConfig: { rootNamespace: mesh-root } }\n';
    const pa = (ns: string) =>
      `  - apiVersion: security.istio.io/v1\n    kind: PeerAuthentication\n    metadata: { name: default, namespace: ${ns} }\n    spec: { mtls: { mode: STRICT } }\n`;
    const ap = (ns: string) => `  - apiVersion: security.istio.io/v1\n    kind: AuthorizationPolicy\n    metadata: { name: allow-all, namespace: ${ns} }\n`;
    expect(lines(operator + pa('mesh-root') + ap('mesh-root'))).toEqual(['ok']);
    expect(lines(operator + pa('istio-system') + ap('istio-system'))).toEqual([
      'refs.yaml:15:43: istio[1].metadata.namespace names namespace "istio-system" where no service runs (the mesh-wide root namespace is mesh-root)',
      'refs.yaml:19:45: istio[2].metadata.namespace names namespace "istio-system" where no service runs (the mesh-wide root namespace is mesh-root)',
    ]);
  });

  it('names the first declaration of a repeated external host, and a narration after the end', () => {
    expect(lines('external:\n  - host: api.example.com\n  - host: api.example.com\nnarration:\n  - at: 11s\n    text: Too late.\n')).toEqual([
      'refs.yaml:10:11: external[1].host declares external host "api.example.com" on port 443 a second time (a host may be listed once per port) (first declared on line 9)',
      'refs.yaml:12:9: narration[0].at is after the end of the run (duration 10s)',
    ]);
  });
});

describe('checkReferences on changes', () => {
  const dr =
    'istio:\n  - apiVersion: networking.istio.io/v1\n    kind: DestinationRule\n    metadata: { name: reviews }\n    spec:\n      host: reviews\n      subsets: [{ name: v1, labels: { version: v1 } }]\n';

  it('checks the policies and resources a change applies, where the change writes them', () => {
    const change = `changes:
  - at: 2s
    policies:
      retries: [{ service: reviewz, attempts: 2 }]
    istio:
      - apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: ratings }
        spec: { host: ratings }
`;
    expect(lines(dr + change)).toEqual([
      'refs.yaml:18:28: changes[0].policies.retries[0].service names a service "reviewz" that the scenario does not declare (did you mean "reviews"?)',
      'refs.yaml:23:23: changes[0].istio[0].spec.host names a service or external host "ratings" that the scenario does not declare',
    ]);
  });

  it('checks a change against the config in force when it applies: earlier subsets count, later ones do not', () => {
    const vs = (subset: string) => `      - apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: reviews }
        spec:
          hosts: [reviews]
          http: [{ route: [{ destination: { host: reviews, subset: ${subset} } }] }]
`;
    const drV2 =
      '      - apiVersion: networking.istio.io/v1\n        kind: DestinationRule\n        metadata: { name: reviews }\n        spec: { host: reviews, subsets: [{ name: v2, labels: { version: v2 } }] }\n';
    expect(lines(`${dr}changes:\n  - at: 1s\n    istio:\n${vs('v1')}  - at: 2s\n    istio:\n${drV2}  - at: 3s\n    istio:\n${vs('v1')}`)).toEqual([
      // The DestinationRule of changes[1] replaced the one that defined v1.
      'refs.yaml:37:68: changes[2].istio[0].spec.http[0].route[0].destination.subset names subset "v1" that no DestinationRule for "reviews" defines',
    ]);
  });

  it('checks the security resources of a change, naming the resource it clashes with by its place in the file', () => {
    const server = (name: string) => `      - apiVersion: policy.linkerd.io/v1beta3
        kind: Server
        metadata: { name: ${name} }
        spec: { podSelector: { matchLabels: { app: web } }, port: 80 }
`;
    const top = `linkerd:\n${server('web').replace(/^ {4}/gm, '')}`;
    expect(lines(`${top}changes:\n  - at: 1s\n    linkerd:\n${server('web-http')}`)).toEqual([
      'refs.yaml:19:30: changes[0].linkerd[0].spec.podSelector selects the same pods and port as linkerd[0]; Linkerd rejects overlapping Servers',
    ]);
  });

  it('reports a resource a change declares twice, and a change after the end of the run', () => {
    const route = '      - apiVersion: v1\n        kind: Service\n        metadata: { name: reviews }\n';
    expect(lines(`changes:\n  - at: 11s\n    linkerd:\n${route}${route}`)).toEqual([
      'refs.yaml:9:9: changes[0].at is after the end of the run (duration 10s)',
      'refs.yaml:16:27: changes[0].linkerd[1].metadata.name declares Service "reviews" a second time, and kubectl apply would keep only the last one (first declared on line 13)',
    ]);
  });

  it('names the kind of a resource in a change when one of its fields is unknown', () => {
    expect(
      lines(
        'changes:\n  - at: 1s\n    istio:\n      - apiVersion: networking.istio.io/v1\n        kind: DestinationRule\n        metadata: { name: reviews }\n        spec: { host: reviews, hots: x }\n',
      ),
    ).toEqual(['refs.yaml:14:32: changes[0].istio[0].spec.hots is not a DestinationRule field that mesh-sim supports (did you mean "host"?)']);
  });
});
