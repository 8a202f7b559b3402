/**
 * A waypoint's authorization layer (FIDELITY-MORE H4): the L7 AuthorizationPolicies attached to
 * the waypoint or to the destination Service (targetRefs), evaluated for the service the request
 * is for; a denial is Envoy's 403.
 */
import type { InboundLayer } from '../../proxy/exchange.ts';
import { repliesOf } from '../../proxy/replies.ts';
import { authzRequestOf } from '../../proxy/layers/authorizationLayer.ts';
import type { AmbientMesh } from './compile.ts';

export const waypointAuthorizationLayer: InboundLayer = {
  name: 'authorization',
  wrap: (next) => (ex, respond) => {
    const { world, req } = ex;
    const proxy = ex.proxy!;
    const service = world.serviceByHost(req.host);
    const target = service?.pods[0];
    if (!service || !target) return next(ex, respond);
    const verdict = (world.configOf(proxy) as AmbientMesh).waypointAuthorize(proxy.pod!.service.name, target, authzRequestOf(ex, service.spec.port));
    if (verdict.allow) return next(ex, respond);
    world.decide({
      node: proxy.node,
      layer: 'authorization',
      kind: 'deny',
      summary: `${req.labelName.text} to ${service.name} from ${ex.peerIdentity ?? ex.replyTo}: ${verdict.summary}`,
      cause: verdict.cause,
      requestId: req.id,
      attempt: ex.attempt,
    });
    const forbidden = repliesOf(world, proxy).forbidden;
    respond({ status: verdict.status ?? forbidden.status, reason: verdict.reason ?? forbidden.reason, local: true, final: true, mtls: ex.mtls });
  },
};
