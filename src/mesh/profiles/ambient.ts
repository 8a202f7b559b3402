/**
 * Istio in ambient mode (FIDELITY-MORE H1–H10): the same control plane, CA and istio: resources
 * as sidecar mode, and Istio's release line, with another data plane — a ztunnel per node (L4,
 * HBONE) and waypoints for L7 (profiles/ambient/). Defaults with their sources are in
 * src/mesh/profiles/ambient/FIDELITY.md.
 */
import type { Cause } from '../../sim/index.ts';
import type { SectionKey } from '../../scenario/index.ts';
import type { LocalReplies, MeshProfile } from './types.ts';
import { meshRelease } from './release.ts';
import { defaultCause } from '../cause.ts';
import { istioAt } from './istio.ts';
import { istioEdgeWorkloads } from './istio/edge.ts';
import { ambientDataPlane, hasSidecar } from './ambient/dataPlane.ts';
import { compileAmbient } from './ambient/compile.ts';
import { waypointWorkloads } from './ambient/waypoints.ts';
import { ambientFootprint } from './footprint.ts';

const ZTUNNEL_CERT = 'FIDELITY-MORE H3: istio/ztunnel src/config.rs, src/tls/workload.rs, src/identity/manager.rs (1.30.3)';

/** ztunnel answers at L4: everything it cannot do is a reset of the app's connection (FIDELITY-MORE H2, H7). */
const reset = (reason: string, cause: Cause) => ({ status: 0, reason: `connection reset: ${reason}`, cause });
const ztunnelReplies: LocalReplies = {
  // ztunnel has no HTTP timeouts or routes (H7); these two never fire in its stack.
  requestTimeout: reset('timeout', defaultCause('ztunnel has no request timeouts', 'FIDELITY-MORE H7')),
  attemptTimeout: reset('timeout', defaultCause('ztunnel has no request timeouts', 'FIDELITY-MORE H7')),
  connectFailure: reset(
    'ztunnel could not connect',
    defaultCause('ztunnel: a failed upstream connection closes the client connection', 'FIDELITY-MORE H7: outbound.rs'),
  ),
  reset: reset('upstream closed', defaultCause('ztunnel: an upstream reset closes the client connection', 'FIDELITY-MORE H2')),
  noHealthy: reset('no healthy upstream', defaultCause('ztunnel: NoHealthyUpstream closes the connection, no 503', 'FIDELITY-MORE H7: outbound.rs')),
  noRoute: reset('no route', defaultCause('ztunnel has no HTTP routes', 'FIDELITY-MORE H7')),
  // FIDELITY-MORE H2: "the client's connection is reset" (curl exit code 56).
  forbidden: reset(
    'denied by policy',
    defaultCause('ztunnel L4 policy: the connection is reset (curl exit 56)', 'FIDELITY-MORE H2, H4: ambient ztunnel usage page'),
  ),
};

/** Istio ambient as release `version` of Istio's line (the current one when unset). */
export function ambientAt(version?: string, cause?: Cause): MeshProfile<SectionKey> {
  const release = meshRelease('istio', 'Istio ambient', version, cause);
  const istio = istioAt(version, cause);
  return {
    ...istio,
    id: 'ambient',
    name: 'Istio ambient',
    release,
    atRelease: (v, c) => ambientAt(v, c),
    compile: (scenario) => compileAmbient(scenario, release),
    dataPlane: ambientDataPlane,
    // FIDELITY-MORE H10: ztunnel per node, waypoints per enrolled service or namespace (Istio 1.24 figures).
    footprint: ambientFootprint(release.version),
    proxyReplies: { node: ztunnelReplies },
    // Waypoints speak HTTP/2 over HBONE; a tunnel's stream limit is the hop's (100, H2).
    streamsPerConnection: 1,
    identity: {
      ...istio.identity,
      // FIDELITY-MORE H3: SECRET_TTL default 24 h, refreshed at half its life.
      ttlCause: defaultCause('ztunnel requests 24 h certificates (SECRET_TTL)', ZTUNNEL_CERT),
      renewCause: defaultCause('ztunnel refreshes a certificate at half its life', ZTUNNEL_CERT),
      // FIDELITY-MORE H3: on failure, exponential backoff from 500 ms up to 150 s, keeping the old certificate.
      retryAfterMs: (n) => Math.min(150_000, 500 * 2 ** (n - 1)),
      retryCause: defaultCause('ztunnel retries a failed CSR with backoff from 500 ms to 150 s', ZTUNNEL_CERT),
      csrLabel: 'CSR (ztunnel → istiod)',
      // FIDELITY-MORE H3: ztunnel asks for each local identity with its own token (ImpersonatedIdentity), ECDSA P-256 keys;
      // a waypoint is an Envoy with istio-agent, as a sidecar (RSA 2048, FIDELITY A3).
      csrDetail: (id) =>
        id.key.startsWith('ztunnel-')
          ? { subject: id.identity, key: 'ECDSA P-256', credential: "ztunnel's own ServiceAccount token, ImpersonatedIdentity " + id.identity }
          : istio.identity.csrDetail(id),
      csrCause: defaultCause(
        'ztunnel asks istiod for the identity of each pod on its node; istiod issues only identities of pods on that node',
        'FIDELITY-MORE H3: istio/istio security/pkg/server/ca/server.go (CA_TRUSTED_NODE_ACCOUNTS)',
      ),
      delivery: {
        label: 'ztunnel keeps the certificate in memory for the connections of that identity',
        cause: defaultCause('ztunnel holds its certificates itself (no agent, no SDS)', 'FIDELITY-MORE H3'),
      },
      // FIDELITY-MORE H6, H8: a waypoint (and a sidecar beside ambient pods) is an Envoy with istio-agent: the sidecar's CSR, lifetime and renewal (FIDELITY A3).
      forProxy: (kind) => (kind === 'node' ? undefined : istio.identity),
    },
    tls: {
      // FIDELITY-MORE H2: ztunnel is TLS 1.3 only, with TLS13_AES_256_GCM_SHA384 then TLS13_AES_128_GCM_SHA256
      // (istio/ztunnel README); the first is shown [inference: both ends prefer the first suite they list].
      version: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      keyExchange: 'X25519', // [inference] rustls' default first key-exchange group
      // FIDELITY-MORE H2: HBONE runs HTTP/2 inside the mTLS connection.
      alpnClient: ['h2'],
      alpnServer: ['h2'],
      // ztunnel checks the server's SPIFFE identity, not a name: no SNI is shown [inference].
      sni: () => '',
      cause: defaultCause('HBONE: TLS 1.3 only, HTTP/2 inside', 'FIDELITY-MORE H2: istio/ztunnel README'),
    },
    // FIDELITY-MORE H1: ambient pods are not injected; a label enrolls them, no restart.
    // FIDELITY-MORE H8: services[].dataPlane: sidecar is a namespace labelled istio-injection=enabled — injected as in sidecar mode.
    dataPlaneModes: ['ambient', 'sidecar'],
    injection: (pod) =>
      pod.role === 'gateway' || hasSidecar(pod)
        ? istio.injection(pod)
        : pod.meshed
          ? {
              injected: false,
              summary: `${pod.name} gets no sidecar: namespace ${pod.namespace} labelled istio.io/dataplane-mode=ambient, the ztunnel on ${pod.nodeName || 'its node'} captures its traffic`,
              cause: defaultCause(
                `namespace ${pod.namespace} label istio.io/dataplane-mode=ambient`,
                'FIDELITY-MORE H1: ambient pods need no injection or restart',
              ),
            }
          : {
              injected: false,
              summary: `${pod.name} is outside the mesh (no istio.io/dataplane-mode=ambient)`,
              cause: defaultCause(`service ${pod.service.name} meshed: false`, 'FIDELITY-MORE H1'),
            },
    // Istio's gateways, and each waypoint the scenario deploys (FIDELITY-MORE H6).
    edgeWorkloads: (scenario) => [...istioEdgeWorkloads(scenario), ...waypointWorkloads(scenario)],
  };
}

/** Istio ambient at Istio's current release line. */
export const ambientProfile: MeshProfile = ambientAt();
