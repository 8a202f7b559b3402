/**
 * mTLS termination layer (inbound): what the server's sidecar accepts. Istio PeerAuthentication
 * STRICT rejects plaintext by resetting the connection; PERMISSIVE accepts both (FIDELITY A1).
 * Linkerd accepts plaintext from unmeshed clients by default (A6); locking it down is policy,
 * handled by the authorization layer.
 */
import type { InboundLayer } from '../exchange.ts';

export const mtlsTerminationLayer: InboundLayer = {
  name: 'mtlsTermination',
  wrap: (next) => (ex, respond) => {
    const { world, pod, req } = ex;
    if (ex.mtls) return next(ex, respond);
    const tls = world.configOf(pod).serverTls(pod);
    if (tls.mode === 'strict') {
      world.decide({
        node: pod.proxyNode,
        layer: 'mtlsTermination',
        kind: 'deny',
        summary: `plaintext from ${ex.replyTo} rejected: mTLS mode is STRICT; connection reset`,
        cause: tls.cause,
        requestId: req.id,
        attempt: ex.attempt,
      });
      return respond({ status: 0, failure: 'reset', reason: 'connection reset: server requires mTLS', mtls: false });
    }
    world.decide({
      node: pod.proxyNode,
      layer: 'mtlsTermination',
      kind: 'plaintext-accepted',
      summary: `plaintext from ${ex.replyTo} accepted (${tls.mode})`,
      cause: tls.cause,
      requestId: req.id,
      attempt: ex.attempt,
    });
    next(ex, respond);
  },
};
