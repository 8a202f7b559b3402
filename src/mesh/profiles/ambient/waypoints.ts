/**
 * Waypoints (FIDELITY-MORE H6): a Gateway API Gateway of class istio-waypoint is deployed as an
 * Envoy alone in its pod; a Namespace or Service labelled `istio.io/use-waypoint: <name>` sends
 * its service traffic through it, a Service label beating its namespace's. A waypoint that
 * nothing enrolls exists and is unused.
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, NamespaceLabels, ServiceLabels, WaypointGateway } from '../../../scenario/index.ts';
import type { EdgeWorkload } from '../types.ts';
import { scenarioAfter } from '../../changes.ts';
import { authoredResources, nsOf, resourceCause, type SourcedResource } from '../resources.ts';

const USE_WAYPOINT = 'istio.io/use-waypoint';

const isWaypoint = (r: { kind: string; spec?: unknown }): r is WaypointGateway =>
  r.kind === 'Gateway' && typeof r.spec === 'object' && r.spec !== null && 'gatewayClassName' in r.spec;

/** The waypoint Gateways of one version of the config. */
export function waypointGateways(scenario: LoadedScenario): SourcedResource<WaypointGateway>[] {
  return authoredResources(scenario, 'istio').filter((r): r is SourcedResource<WaypointGateway> => isWaypoint(r.resource));
}

const names = new WeakMap<LoadedScenario, Set<string>>();

/** Names of every waypoint the scenario deploys, in any version of its config (one a change adds starts with that change: workloads.ts). */
export function waypointNames(scenario: LoadedScenario): Set<string> {
  let hit = names.get(scenario);
  if (!hit) {
    hit = new Set();
    for (let k = 0; k <= scenario.changes.length; k++) for (const g of waypointGateways(scenarioAfter(scenario, k))) hit.add(g.resource.metadata.name);
    names.set(scenario, hit);
  }
  return hit;
}

/** Every waypoint as an edge workload: an Envoy alone in its pod, under a service account named after it (istioctl waypoint apply). */
export function waypointWorkloads(scenario: LoadedScenario): EdgeWorkload[] {
  return waypointGateways(scenario).map((g) => ({
    service: g.resource.metadata.name,
    namespace: nsOf(g.resource),
    serviceAccount: g.resource.metadata.name,
    role: 'gateway',
    purpose: 'waypoint',
  }));
}

/** Which waypoint each service's traffic goes through in this version of the config. */
export function compileWaypoints(scenario: LoadedScenario): (service: string) => { name: string; namespace: string; cause: Cause } | undefined {
  const all = authoredResources(scenario, 'istio');
  const gateways = waypointGateways(scenario);
  const labelled = (kind: 'Namespace' | 'Service') =>
    all.filter(
      (r): r is SourcedResource<NamespaceLabels | ServiceLabels> => r.resource.kind === kind && r.resource.metadata.labels?.[USE_WAYPOINT] !== undefined,
    );
  const namespaces = labelled('Namespace');
  const services = labelled('Service');
  const cache = new Map<string, { name: string; namespace: string; cause: Cause } | undefined>();
  return (service) => {
    if (cache.has(service)) return cache.get(service);
    const spec = scenario.services.find((s) => s.name === service);
    let hit: { name: string; namespace: string; cause: Cause } | undefined;
    if (spec) {
      // FIDELITY-MORE H6: a Service label beats its namespace's label.
      const own = services.find((r) => r.resource.metadata.name === service && nsOf(r.resource) === spec.namespace);
      const ns = namespaces.find((r) => r.resource.metadata.name === spec.namespace);
      const label = own ?? ns;
      const name = label?.resource.metadata.labels?.[USE_WAYPOINT];
      const gateway = name === undefined ? undefined : gateways.find((g) => g.resource.metadata.name === name && nsOf(g.resource) === spec.namespace);
      if (label && gateway)
        hit = {
          name: gateway.resource.metadata.name,
          namespace: nsOf(gateway.resource),
          cause: resourceCause(
            scenario,
            label,
            `label ${USE_WAYPOINT}: ${name}`,
            `.metadata.labels`,
            'FIDELITY-MORE H6: istio.io/use-waypoint on a Service or Namespace enrolls its traffic (the Service label wins)',
          ),
        };
    }
    cache.set(service, hit);
    return hit;
  };
}
