/**
 * Pictures too big to show whole at 11 px in the page at 1280×800 (they open readable, framed
 * from their top left, a pan away from the rest). None now: sidecar-vs-ambient-footprint under
 * ambient — twenty one-pod services on four Kubernetes nodes, each node with its ztunnel strip,
 * the waypoint on node-1 — fits as a grid of named cards (render/layout.ts), 418 × 332 at 838 × 424.
 */
export const TOO_BIG: ReadonlySet<string> = new Set<string>();

/**
 * Compare panes (at 1280×800, about 470 × 400 px each) too small for the whole picture at 11 px:
 * they open readable and follow the current step's nodes (render/framing.ts). Why each is too big:
 * - the ambient panes of ambient-authz-fail-closed, ambient-policy-closes-connections and
 *   ambient-waypoint-l7: two Kubernetes nodes with their ztunnel strips, the waypoint in one of
 *   them (509–535 px wide, or nodes one under another 456–535 px tall);
 * - canary-split, config-push: two services stacked in one column under the control plane (439 px tall);
 * - ingress-gateway: the ingress column and two namespaces (500 px and more);
 * - retry-storm: four services in a chain, db with two pods (467 px tall even in two lines).
 * Not egress-control under Istio (Consul's too): with its egress gateway in a column at the cluster's
 * right it was 518 px wide; in a row under the bands (render/layout.ts's last resort) it is 396 × 283.
 * Not sidecar-vs-ambient-footprint's twenty services: a grid of named cards (each service's name
 * in its app's box, no header; render/layout.ts) fits them, 352 × 378 under Istio and 418 × 332
 * under ambient at 467 × 398.
 */
export const TOO_BIG_IN_COMPARE: ReadonlySet<string> = new Set([
  'ambient-authz-fail-closed:ambient',
  'ambient-policy-closes-connections:ambient',
  'ambient-waypoint-l7:ambient',
  'canary-split:istio',
  'canary-split:linkerd',
  'config-push:istio',
  'config-push:linkerd',
  'ingress-gateway:istio',
  'ingress-gateway:linkerd',
  'retry-storm:istio',
  'retry-storm:linkerd',
]);
