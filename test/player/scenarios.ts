/**
 * Scenario texts of the player tests' own: the library's lessons are rewritten as they improve,
 * and these tests are about the player, not about a lesson's numbers.
 */

/** reviews answers productpage only: Istio allow-nothing + ALLOW by principal; Linkerd deny + Server + policy. */
export const AUTHORIZATION = `id: authorization-fixture
title: Deny by default, then allow one caller
seed: 3
duration: 6s
services:
  - name: productpage
    serviceAccount: bookinfo-productpage
  - name: sleep
  - name: reviews
    replicas: 2
    port: 9080
traffic:
  - from: productpage
    to: reviews
    rate: 4/s
    path: /reviews/1
  - from: sleep
    to: reviews
    rate: 2/s
    path: /reviews/1
istio:
  - apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: { name: allow-nothing, namespace: default }
    spec: {}
  - apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: { name: reviews-viewer, namespace: default }
    spec:
      selector: { matchLabels: { app: reviews } }
      action: ALLOW
      rules:
        - from:
            - source: { principals: ["cluster.local/ns/default/sa/bookinfo-productpage"] }
linkerd:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: default
      annotations: { config.linkerd.io/default-inbound-policy: deny }
  - apiVersion: policy.linkerd.io/v1beta3
    kind: Server
    metadata: { name: reviews-http, namespace: default }
    spec:
      podSelector: { matchLabels: { app: reviews } }
      port: 9080
  - apiVersion: policy.linkerd.io/v1alpha1
    kind: MeshTLSAuthentication
    metadata: { name: productpage, namespace: default }
    spec:
      identities: ["bookinfo-productpage.default.serviceaccount.identity.linkerd.cluster.local"]
  - apiVersion: policy.linkerd.io/v1alpha1
    kind: AuthorizationPolicy
    metadata: { name: reviews-from-productpage, namespace: default }
    spec:
      targetRef: { group: policy.linkerd.io, kind: Server, name: reviews-http }
      requiredAuthenticationRefs:
        - { group: policy.linkerd.io, kind: MeshTLSAuthentication, name: productpage }
`;

/** One of three reviews pods fails half its requests with 503; no policies. */
export const FLAKY = `id: flaky-fixture
title: Retries hide a flaky pod
seed: 7
duration: 10s
# Istio 1.23: its default retry policy still retried 503 (FIDELITY B1).
meshVersions: { istio: "1.23" }
services:
  - name: productpage
  - name: reviews
    replicas: 3
    latency: 30ms
traffic:
  - from: productpage
    to: reviews
    rate: 20/s
    path: /reviews/1
faults:
  - pod: reviews-1
    errors: { status: 503, rate: 50% }
narration:
  - at: 0s
    text: reviews-1 answers half of its requests with 503.
  - on: retry
    text: The client's sidecar retried the 503.
`;

/**
 * FLAKY as the library's retries-flaky-pod once was: Istio 1.23 retries the 503s by default, and
 * at 5 s the operator turns Linkerd's retries on (both meshes then retry, differently).
 */
export const FLAKY_RETRIED = FLAKY.replace(
  'narration:',
  `changes:
  - at: 5s
    linkerd:
      - apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          annotations:
            retry.linkerd.io/http: 5xx
narration:`,
);
