/**
 * mTLS origination layer: decides whether this attempt travels inside mTLS (Istio: the
 * DestinationRule TLS mode or auto mTLS; Linkerd: always, toward a meshed pod — FIDELITY A2, A6),
 * then gets a connection to the endpoint — reusing one, or opening one with the full handshake.
 * A connection that cannot be made becomes the mesh's local reply (Istio 503 UF, Linkerd 502).
 */
import type { OutboundLayer } from '../exchange.ts';

export const mtlsOriginationLayer: OutboundLayer = {
  name: 'mtlsOrigination',
  wrap: (next) => (ex, respond) => {
    const { world, proxy, req } = ex;
    const endpoint = ex.endpoint;
    if (!endpoint) return next(ex, respond);
    const choice = world.config.clientTls(proxy.pod, endpoint);
    ex.mtls = choice.mtls;
    if (proxy.decideTls(endpoint.name, choice.mtls)) {
      world.decide(
        proxy.node,
        'mtlsOrigination',
        choice.mtls ? 'mtls' : 'plaintext',
        `${choice.mtls ? 'mTLS' : 'plaintext'} to ${endpoint.name}`,
        choice.cause,
        {
          requestId: req.id,
          attempt: ex.attempt,
        },
      );
    }
    proxy.pool.acquire(endpoint, choice, (outcome) => {
      if (ex.abandoned || ex.request.done) return;
      if (!outcome.ok) {
        const reply = outcome.failure === 'reset' ? world.profile.replies.reset : world.profile.replies.connectFailure;
        return respond({ status: reply.status, reason: `${reply.reason}: ${outcome.reason}`, local: true, failure: outcome.failure, mtls: false });
      }
      const conn = outcome.conn;
      let open = true;
      const stream = conn.openStream(() => {
        if (!open) return;
        open = false;
        const reply = world.profile.replies.reset;
        respond({
          status: reply.status,
          reason: `${reply.reason}: connection to ${endpoint.name} reset`,
          local: true,
          failure: 'reset',
          mtls: conn.mtls,
          endpoint: endpoint.name,
        });
      });
      ex.abort = () => {
        open = false;
        conn.closeStream(stream);
      };
      next(ex, (res) => {
        if (!open) return;
        open = false;
        conn.closeStream(stream);
        respond(res);
      });
    });
  },
};
