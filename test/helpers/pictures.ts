/**
 * Pictures too big to show whole at 11 px in the page at 1280×800 (they open readable, framed
 * from their top left, a pan away from the rest). None now: sidecar-vs-ambient-footprint under
 * ambient — twenty one-pod services on four Kubernetes nodes, each node with its ztunnel strip,
 * and the waypoint's column — fits as a grid of compact cards with one-line headers
 * (render/layout.ts), 809 × 419 at 838 × 424 (1.01).
 */
export const TOO_BIG: ReadonlySet<string> = new Set<string>();

/**
 * Compare panes (at 1280×800, about 470 × 400 px each) too small for the whole picture at 11 px:
 * they open readable and follow the current step's nodes (render/framing.ts). Why each is too big:
 * - the ambient panes of ambient-authz-fail-closed, ambient-policy-closes-connections and
 *   ambient-waypoint-l7: two Kubernetes nodes with their ztunnel strips and a waypoint column
 *   (about 510–565 px wide);
 * - canary-split, config-push: two services stacked in one column under the control plane (439 px tall);
 * - egress-control under Istio: the egress gateway's column (501 px wide);
 * - ingress-gateway: the ingress column and two namespaces (500 px and more);
 * - retry-storm: four services in a chain, db with two pods (467 px tall even in two lines);
 * - sidecar-vs-ambient-footprint: twenty services (as a grid of compact cards 563 × 385 under Istio,
 *   809 × 419 under ambient).
 */
export const TOO_BIG_IN_COMPARE: ReadonlySet<string> = new Set([
  'ambient-authz-fail-closed:ambient',
  'ambient-policy-closes-connections:ambient',
  'ambient-waypoint-l7:ambient',
  'canary-split:istio',
  'canary-split:linkerd',
  'config-push:istio',
  'config-push:linkerd',
  'egress-control:istio',
  'ingress-gateway:istio',
  'ingress-gateway:linkerd',
  'retry-storm:istio',
  'retry-storm:linkerd',
  'sidecar-vs-ambient-footprint:istio',
  'sidecar-vs-ambient-footprint:ambient',
]);
