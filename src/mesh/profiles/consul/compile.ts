/**
 * Compiles Consul's config for one version of a scenario into the mesh-neutral proxy config: the
 * config entries Consul accepts (entries.ts), the discovery chains (chain.ts), intentions
 * (intentions.ts), upstream limits and passive health (upstreams.ts), and the edge (edge.ts), with
 * Consul's defaults where nothing is configured — strict mTLS between sidecars, SPIFFE IDs naming
 * services, no retries, Envoy's 15 s route timeout, round robin.
 */
import type { LoadedScenario } from '../../../scenario/index.ts';
import { serviceOfHost, shortName } from '../../../scenario/index.ts';
import type { ServerTls } from '../../config.ts';
import type { ClientTlsChoice } from '../types.ts';
import type { Workload } from '../../types.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause } from '../resources.ts';
import { ConsulEntries, firstSet } from './entries.ts';
import { ConsulChains } from './chain.ts';
import { compileIntentions } from './intentions.ts';
import { compileUpstreams } from './upstreams.ts';
import { compileConsulEdge } from './edge.ts';
import { spiffeOfService } from './identity.ts';
import type { ConsulCompiled } from './controlPlane.ts';

const STRICT = defaultCause(
  'Consul default: the sidecar’s inbound listener requires mTLS (MutualTLSMode strict)',
  'FIDELITY-MORE I3: service-defaults MutualTLSMode defaults to strict',
);

export function compileConsul(scenario: LoadedScenario): ConsulCompiled {
  const entries = new ConsulEntries(scenario);
  const chains = new ConsulChains(scenario, entries);
  const upstreams = compileUpstreams(scenario, entries);
  const edge = compileConsulEdge(scenario, entries, chains);
  const authorize = compileIntentions(scenario, entries);

  const serverTlsCache = new Map<string, ServerTls>();
  /** FIDELITY-MORE I3: service-defaults MutualTLSMode, else proxy-defaults, else strict. */
  const serverTls = (pod: Workload): ServerTls => {
    let hit = serverTlsCache.get(pod.service.name);
    if (hit) return hit;
    const own = firstSet(entries.serviceDefaults(pod.service.name), (s) => s.spec.mutualTLSMode || undefined);
    const global = firstSet(entries.proxyDefaults, (s) => s.spec.mutualTLSMode || undefined);
    const found = own ?? global;
    hit = found
      ? {
          mode: found.value === 'permissive' ? 'permissive' : 'strict',
          cause: resourceCause(
            scenario,
            found.r,
            `.spec.mutualTLSMode ${found.value}`,
            '.spec.mutualTLSMode',
            'FIDELITY-MORE I3: permissive also accepts plaintext on the service port (transparent proxy only)',
          ),
        }
      : { mode: 'strict', cause: STRICT };
    serverTlsCache.set(pod.service.name, hit);
    return hit;
  };

  const clientTlsCache = new Map<Workload, ClientTlsChoice>();
  const clientTlsFor = (server: Workload): ClientTlsChoice =>
    server.meshed
      ? {
          mtls: true,
          // FIDELITY-MORE I2: the client checks the SPIFFE ID of the service it dialled (SAN matcher).
          expectedIdentities: [spiffeOfService(shortName(server.service.name))],
          cause: defaultCause(
            'Consul: mTLS between sidecars, the upstream must present its service’s SPIFFE ID',
            'FIDELITY-MORE I2: clusters.go injectSANMatcher',
          ),
        }
      : {
          mtls: false,
          expectedIdentities: [],
          cause: defaultCause(
            `Consul: ${server.name} has no sidecar, so it is not a mesh destination: plaintext`,
            'FIDELITY-MORE I9: transparent proxy passthrough',
          ),
        };

  return {
    entries,
    routesFor: (from, host, external) => {
      const service = serviceOfHost(host, scenario.services);
      if (from.kind === 'gateway' && from.edge === 'ingress') return edge.routesFor(from, host);
      if (service) return chains.routesFor(service);
      return edge.routesFor(from, host, external);
    },
    egress: (from, host) => edge.egress(from, host),
    serverTls,
    authorize: (pod, req) => authorize(pod, req),
    clientTls: (_client, server) => {
      let hit = clientTlsCache.get(server);
      if (!hit) clientTlsCache.set(server, (hit = clientTlsFor(server)));
      return hit;
    },
    balancer: upstreams.balancer,
    pool: upstreams.pool,
    // FIDELITY-MORE I6 [inference]: Consul puts no retry policy on the inbound route to the local app.
    inboundRetry: () => null,
    health: upstreams.health,
    resources: {
      generated: entries.generatedResources,
      authored: scenario.consul,
    },
  };
}
