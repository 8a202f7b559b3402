/**
 * The Consul profile, release 2.0 (src/scenario/meshReleases.ts): Consul service mesh on Kubernetes with dataplanes, Consul 1.16 and later,
 * chart defaults of consul-k8s v2.0.3 (src/mesh/profiles/consul/FIDELITY.md). Envoy sidecars
 * managed by consul-dataplane; the built-in CA's 72 h leaf certificates, renewed at a random 60–90 %
 * of their life under a CSR rate limit; SPIFFE IDs that name the service; strict mTLS; Envoy's own
 * local replies and response flags. Config entries are compiled in consul/compile.ts; the server
 * and the connect-injector live in consul/controlPlane.ts.
 */
import type { Cause } from '../../sim/index.ts';
import type { MeshProfile } from './types.ts';
import { defaultCause } from '../cause.ts';
import { envoyReplies } from './envoyReplies.ts';
import { sidecarDataPlane } from '../proxy/sidecarDataPlane.ts';
import { meshRelease } from './release.ts';
import { compileConsul } from './consul/compile.ts';
import { ConsulServer, CONSUL_INJECTOR, CONSUL_SERVER } from './consul/controlPlane.ts';
import { consulEdgeWorkloads } from './consul/edge.ts';
import { sniOfService, spiffeOfService } from './consul/identity.ts';
import { CONSUL_CONNECT_TIMEOUT_MS } from './consul/upstreams.ts';
import { CONSUL_FOOTPRINT } from './footprint.ts';

const flags = 'FIDELITY C1: Envoy access-log response flags (Consul runs Envoy)';
const HOUR = 3_600_000;
/** FIDELITY-MORE I2: agent/leafcert/generate.go caChangeJitterWindow. */
const RATE_LIMIT_WINDOW_MS = 30_000;

/**
 * FIDELITY-MORE I2: leafcert/watch.go backOffWait — the first 3 failures retry at once, then
 * 2^(n−3) s (at most 1 min) plus a random stagger of as much again.
 */
export function consulBackoffMs(failures: number, rngNext: () => number): number {
  if (failures <= 3) return 0;
  const wait = Math.min(60_000, 1000 * 2 ** (failures - 3));
  return wait + Math.floor(rngNext() * wait);
}

/**
 * FIDELITY-MORE I2: leafcert/util.go calculateSoftExpiry — renew at a random point between 60 %
 * and 90 % of the lifetime (at once for lifetimes under 10 minutes).
 */
export function consulRenewAfterMs(lifetimeMs: number, rngNext: () => number): number {
  if (lifetimeMs < 10 * 60_000) return 0;
  const soft = lifetimeMs * 0.6;
  const hard = lifetimeMs * 0.9;
  return Math.round(soft + rngNext() * (hard - soft));
}

/** The Consul profile as release `version` (the one line mesh-sim models when unset). */
export function consulAt(version?: string, cause?: Cause): MeshProfile {
  const release = meshRelease('consul', 'Consul', version, cause);
  return { ...base, release, atRelease: (v, c) => consulAt(v, c) };
}

const base: Omit<MeshProfile, 'release' | 'atRelease'> = {
  id: 'consul',
  name: 'Consul',
  resourcesKey: 'consul',
  // FIDELITY-MORE I1: an Envoy (run by consul-dataplane) in every injected pod; the API and
  // terminating gateways are Envoys alone in their pods (I9).
  dataPlane: sidecarDataPlane,
  footprint: CONSUL_FOOTPRINT,
  controlPlaneNodes: [
    { id: CONSUL_SERVER, label: 'consul-server' },
    { id: CONSUL_INJECTOR, label: 'connect-injector' },
  ],
  identity: {
    caNode: CONSUL_SERVER,
    // FIDELITY-MORE I2: the SPIFFE ID names the Consul service, not the service account.
    identityOf: (_sa, _ns, service) => spiffeOfService(service),
    // FIDELITY-MORE I2: LeafCertTTL 72h.
    certTtlMs: 72 * HOUR,
    ttlCause: defaultCause('Consul built-in CA: leaf certificates last 72h (LeafCertTTL)', 'FIDELITY-MORE I2: CA common options LeafCertTTL'),
    renewAfterMs: consulRenewAfterMs,
    renewCause: defaultCause(
      'Consul renews a leaf at a random point between 60% and 90% of its lifetime (43h–65h of 72h)',
      'FIDELITY-MORE I2: agent/leafcert/util.go calculateSoftExpiry',
    ),
    // FIDELITY-MORE I2: a rate-limited renewal keeps its certificate and retries at a random point of
    // a 30 s window (caChangeJitterWindow); other failures follow the watch loop's backOffWait.
    retryAfterMs: (failures, remainingMs, rngNext, why) =>
      why === 'rate-limited' && remainingMs > 0 ? Math.floor(rngNext() * RATE_LIMIT_WINDOW_MS) : consulBackoffMs(failures, rngNext),
    retryCause: defaultCause(
      'Consul retries a failed leaf request: 3 times at once, then 2^(n−3)s plus jitter up to 1m; a rate-limited renewal once per 30s window',
      'FIDELITY-MORE I2: agent/leafcert/watch.go backOffWait; generate.go caChangeJitterWindow',
    ),
    csrLabel: 'leaf certificate request (dataplane → server)',
    csrDetail: (id) => ({
      service: id.pods[0]?.service.name ?? id.serviceAccount,
      spiffe: id.identity,
      key: 'EC P-256, made by the server’s leaf-certificate manager',
      credential: `ACL login with the ${id.serviceAccount} ServiceAccount token (when ACLs are on)`,
    }),
    csrCause: defaultCause(
      'the Consul server makes the key and CSR for the proxy and its CA signs it',
      'FIDELITY-MORE I2: agent/leafcert/generate.go generateNewLeaf',
    ),
    delivery: {
      label: 'the server hands the certificate and key to Envoy over SDS (through consul-dataplane)',
      cause: defaultCause('Envoy gets its leaf certificate over SDS on the xDS stream', 'FIDELITY-MORE I1, I2'),
    },
  },
  tls: {
    // FIDELITY-MORE I3 [inference]: Consul leaves Envoy's client default, TLS 1.2 at most.
    version: 'TLSv1.2',
    cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    keyExchange: 'X25519',
    // ALPN depends on the upstream's protocol (h2 and http/1.1 for http2/grpc, http/1.1 for http,
    // none for tcp); mesh-sim does not show it per connection.
    alpnClient: [],
    alpnServer: [],
    // FIDELITY-MORE I2: agent/connect/sni.go ServiceSNI.
    sni: (server) => sniOfService(server.service.name),
    cause: defaultCause('Consul sidecar mTLS (Envoy client default TLS 1.2, EC P-256 leaf)', 'FIDELITY-MORE I2, I3'),
  },
  replies: envoyReplies(
    // Consul runs Envoy: its local replies and flags are Envoy's (FIDELITY C1, B2); FIDELITY-MORE I4: RBAC → 403.
    flags,
    { status: 403, reason: 'RBAC: access denied (intention)', cause: defaultCause('Envoy RBAC → 403', 'FIDELITY-MORE I4') },
  ),
  // Consul's http protocol is HTTP/1.1 between sidecars: one request per connection at a time.
  streamsPerConnection: 1,
  // FIDELITY-MORE I7: consul-k8s starts each sidecar's Envoy with 2 worker threads (connect-inject
  // default proxy concurrency 2, annotation consul.hashicorp.com/consul-envoy-proxy-concurrency;
  // hashicorp/consul-k8s PR #1277); each keeps its own connection pools, as under Istio (FIDELITY C1).
  poolWorkers: 2,
  connectTimeout: {
    ms: CONSUL_CONNECT_TIMEOUT_MS,
    cause: defaultCause('Consul default connect timeout 5s (ConnectTimeoutMs 5000)', 'FIDELITY-MORE I6: agent/xds/config/config.go'),
  },
  // FIDELITY-MORE I1: connectInject.default false — pods opt in with consul.hashicorp.com/connect-inject: "true".
  injection: (pod) =>
    pod.role === 'gateway'
      ? {
          injected: false,
          summary: `${pod.name} is an Envoy gateway consul-k8s deploys (${pod.edge === 'ingress' ? 'API gateway' : 'terminating gateway'}), run by consul-dataplane`,
          cause: defaultCause(`${pod.service.name}: ${pod.edge === 'ingress' ? 'Gateway' : 'TerminatingGateway'} resource`, 'FIDELITY-MORE I9'),
        }
      : pod.meshed
        ? {
            injected: true,
            summary: `connect-injector added consul-dataplane (Envoy) and the iptables redirect to ${pod.name} (consul.hashicorp.com/connect-inject: "true"; transparent proxy)`,
            cause: defaultCause('annotation consul.hashicorp.com/connect-inject: "true"', 'FIDELITY-MORE I1: consul-k8s v2.0.3 connectInject'),
          }
        : {
            injected: false,
            summary: `${pod.name} not injected (no consul.hashicorp.com/connect-inject annotation; connectInject.default is false)`,
            cause: defaultCause(`service ${pod.service.name} meshed: false`, 'FIDELITY-MORE I1: consul-k8s v2.0.3 values.yaml connectInject.default'),
          },
  edgeWorkloads: consulEdgeWorkloads,
  compile: compileConsul,
  createControlPlane: (world) => new ConsulServer(world),
};

/** Consul's current release line (2.0; the behaviour modelled holds from 1.16). */
export const consulProfile: MeshProfile = consulAt();
