/**
 * Pictures too big to show whole at 11 px in the page at 1280×800 (they open readable, framed
 * from their top left, a pan away from the rest). None now: sidecar-vs-ambient-footprint under
 * ambient — twenty one-pod services on four Kubernetes nodes, each node with its ztunnel strip,
 * the waypoint on node-1 — fits as a grid of named cards (render/layout.ts), 418 × 332 at 838 × 424.
 */
export const TOO_BIG: ReadonlySet<string> = new Set<string>();

/**
 * Compare panes (at 1280×800, 469 × 401 px each) too small for the whole picture at 11 px: they
 * open readable and follow the current step's nodes (render/framing.ts). Why each is too big:
 * - the ambient pane of ambient-waypoint-l7: two Kubernetes nodes with their ztunnel strips, the
 *   waypoint in node-1 (535 px wide side by side, even spaced tightly);
 * - ingress-gateway: the browser outside, the ingress column and two namespaces (Istio 483 × 383
 *   at best, spaced tightly with the gateway in a row under the bands; Linkerd 500 and more);
 * - retry-storm: four services in a chain, db with two pods (415 px tall in two lines even spaced
 *   tightly with the control plane in the cluster's header).
 * Fit since render/layout.ts's last resorts (each taken only where no other arrangement reads):
 * egress-control under Istio (Consul's too), its egress gateway in a row under the bands, 396 × 283;
 * canary-split and config-push (two services stacked in one column under the control plane, 439 px
 * tall) and the ambient panes of ambient-authz-fail-closed and ambient-policy-closes-connections
 * (two Kubernetes nodes one under another) spaced tightly with the control plane in the cluster's
 * header, 460 × 389 and 460 × 400. Not sidecar-vs-ambient-footprint's twenty services: a grid of
 * named cards (each service's name in its app's box, no header; render/layout.ts) fits them,
 * 352 × 378 under Istio and 418 × 332 under ambient.
 */
export const TOO_BIG_IN_COMPARE: ReadonlySet<string> = new Set([
  'ambient-waypoint-l7:ambient',
  'ingress-gateway:istio',
  'ingress-gateway:linkerd',
  'retry-storm:istio',
  'retry-storm:linkerd',
]);
