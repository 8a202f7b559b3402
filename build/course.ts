/**
 * The scenario library's order, the one a course would take them in: the mesh itself, then
 * identity, resilience, traffic, the edge and the control plane. Scenarios not listed follow, by
 * name. build/scenarioLibrary.ts writes the page's index in this order, so the page sorts nothing
 * and carries no list of its own (issue 11: first play's bytes).
 */
export const COURSE: readonly string[] = [
  'hello-mesh',
  'mtls-handshake',
  'strict-vs-permissive',
  'certificate-rotation',
  'authorization',
  'consul-intentions',
  'osm-permissive-vs-smi',
  'retries-flaky-pod',
  'retry-storm',
  'timeouts',
  'circuit-breaking-pool',
  'outlier-vs-failure-accrual',
  'load-balancing-slow-pod',
  'locality-failover',
  'canary-split',
  'ingress-gateway',
  'egress-control',
  'config-push',
  // Istio's ambient mode: ztunnel and HBONE, waypoints for L7, the authorization split.
  'ambient-l4-mtls',
  'ambient-waypoint-l7',
  'ambient-authz-fail-closed',
  'ambient-policy-closes-connections',
  'sidecar-vs-ambient-footprint',
  'ambient-mixed-data-planes',
  // Network Service Mesh: not an HTTP mesh — vWires to network services, refresh and heal.
  'nsm-network-service',
];
