/**
 * OSM resources generated from the scenario's mesh-neutral `policies` (FIDELITY-MORE J3–J6):
 *
 * - retries → a Retry per calling service account toward the service, and the MeshConfig feature
 *   flag enableRetryPolicy that OSM needs before it reads any Retry (J5). Envoy's retry_on has no
 *   status list without retriable-status-codes, which OSM's Retry cannot fill: status codes in
 *   `on` become 5xx when they are 5xx codes.
 * - circuitBreaking → an UpstreamTrafficSetting (maxConnections, maxPendingRequests, maxRequests);
 *   OSM has no outlier detection, so consecutiveErrors / ejection map to nothing (J5).
 * - egress → MeshConfig enableEgress (allow-any: true; registry-only: false) and, for the allowed
 *   hosts, an Egress policy for every service account (J6).
 * - timeouts → nothing: OSM disables the route timeout and has no field to set one (J5).
 * - loadBalancing → nothing: OSM always programs ROUND_ROBIN (J5).
 * - mtls → nothing: meshed traffic is always mTLS under OSM (J2).
 */
import type { LoadedScenario, OsmEgress, OsmMeshConfig, OsmResource, OsmRetry, OsmUpstreamTrafficSetting } from '../../../scenario/index.ts';
import type { SourcedResource } from '../resources.ts';

/** The service accounts of the scenario's meshed services, with their namespaces. */
export function accountsOf(scenario: LoadedScenario): { name: string; namespace: string }[] {
  const seen = new Map<string, { name: string; namespace: string }>();
  for (const s of scenario.services.filter((x) => x.meshed)) {
    const a = { name: s.serviceAccount ?? s.name, namespace: s.namespace };
    seen.set(`${a.namespace}/${a.name}`, a);
  }
  return [...seen.values()];
}

function retryOn(on: readonly (string | number)[] | undefined): string {
  const words = new Set<string>();
  for (const c of on ?? ['5xx']) {
    if (typeof c === 'number') {
      if (c >= 500) words.add('5xx');
    } else words.add(c);
  }
  return [...words].join(',') || '5xx';
}

export function generateOsm(scenario: LoadedScenario): SourcedResource<OsmResource>[] {
  const out: SourcedResource<OsmResource>[] = [];
  const p = scenario.policies;
  const accounts = accountsOf(scenario);
  const config: OsmMeshConfig = { apiVersion: 'config.openservicemesh.io/v1alpha2', kind: 'MeshConfig', metadata: { name: 'osm-mesh-config' }, spec: {} };
  let configPath: string | undefined;
  (p.retries ?? []).forEach((r, i) => {
    if (r.attempts === 0) return;
    config.spec.featureFlags = { ...config.spec.featureFlags, enableRetryPolicy: true };
    configPath ??= `policies.retries[${i}]`;
    const service = scenario.services.find((s) => s.name === r.service);
    for (const a of accounts) {
      const retry: OsmRetry = {
        apiVersion: 'policy.openservicemesh.io/v1alpha1',
        kind: 'Retry',
        metadata: { name: `${a.name}-to-${r.service}`, namespace: a.namespace },
        spec: {
          source: { kind: 'ServiceAccount', name: a.name, namespace: a.namespace },
          destinations: [{ kind: 'Service', name: r.service, namespace: service?.namespace ?? 'default' }],
          retryPolicy: { retryOn: retryOn(r.on), perTryTimeout: r.perTryTimeout ?? 0, numRetries: r.attempts, retryBackoffBaseInterval: 25 },
        },
      };
      out.push({ resource: retry, path: `policies.retries[${i}]`, generated: true });
    }
  });
  (p.circuitBreaking ?? []).forEach((c, i) => {
    if (c.maxConnections === undefined && c.maxPending === undefined && c.maxRequests === undefined) return;
    const service = scenario.services.find((s) => s.name === c.service);
    const uts: OsmUpstreamTrafficSetting = {
      apiVersion: 'policy.openservicemesh.io/v1alpha1',
      kind: 'UpstreamTrafficSetting',
      metadata: { name: c.service, namespace: service?.namespace ?? 'default' },
      spec: {
        host: `${c.service}.${service?.namespace ?? 'default'}.svc.cluster.local`,
        connectionSettings: {
          ...(c.maxConnections !== undefined ? { tcp: { maxConnections: c.maxConnections } } : {}),
          ...(c.maxPending !== undefined || c.maxRequests !== undefined
            ? {
                http: {
                  ...(c.maxPending !== undefined ? { maxPendingRequests: c.maxPending } : {}),
                  ...(c.maxRequests !== undefined ? { maxRequests: c.maxRequests } : {}),
                },
              }
            : {}),
        },
      },
    };
    out.push({ resource: uts, path: `policies.circuitBreaking[${i}]`, generated: true });
  });
  if (p.egress) {
    config.spec.traffic = { ...config.spec.traffic, enableEgress: p.egress.mode === 'allow-any' };
    configPath ??= 'policies.egress';
    if (p.egress.mode === 'registry-only' && p.egress.allow.length > 0) {
      const egress: OsmEgress = {
        apiVersion: 'policy.openservicemesh.io/v1alpha1',
        kind: 'Egress',
        metadata: { name: 'allowed-hosts' },
        spec: {
          sources: accounts.map((a) => ({ kind: 'ServiceAccount' as const, name: a.name, namespace: a.namespace })),
          hosts: [...p.egress.allow],
          ports: [
            { number: 80, protocol: 'http' },
            { number: 443, protocol: 'https' },
          ],
        },
      };
      out.push({ resource: egress, path: 'policies.egress', generated: true });
    }
  }
  if (configPath) out.unshift({ resource: config, path: configPath, generated: true });
  return out;
}
