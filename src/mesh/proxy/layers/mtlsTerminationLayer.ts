/**
 * mTLS termination layer (inbound): what the server's proxy accepts. Istio PeerAuthentication
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
    const proxy = ex.proxy!;
    const tls = world.configOf(proxy).serverTls(pod);
    if (tls.mode === 'strict') {
      world.decide({
        node: proxy.node,
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
      node: proxy.node,
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
