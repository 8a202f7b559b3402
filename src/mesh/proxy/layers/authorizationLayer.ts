/**
 * Authorization layer (inbound): the workload's inbound policy. Linkerd's default inbound
 * policies (all-unauthenticated, all-authenticated, cluster-authenticated, deny, audit — FIDELITY
 * A7) deny HTTP with 403; Istio with no AuthorizationPolicy allows everything (A5).
 */
import type { InboundLayer } from '../exchange.ts';

export const authorizationLayer: InboundLayer = {
  name: 'authorization',
  wrap: (next) => (ex, respond) => {
    const { world, pod, req } = ex;
    const policy = world.config.inbound(pod);
    let denied: string | undefined;
    switch (policy.mode) {
      case 'allow':
      case 'audit':
        break;
      case 'authenticated':
        if (!ex.peerIdentity) denied = 'only meshed (mTLS-authenticated) clients are allowed';
        break;
      case 'cluster-authenticated':
        if (!ex.peerIdentity && !ex.fromCluster) denied = 'only clients in the cluster are allowed';
        break;
      case 'deny':
        denied = 'all traffic is denied';
        break;
    }
    if (!denied) {
      if (policy.mode === 'audit')
        world.decide(pod.proxyNode, 'authorization', 'audit', `allowed (audit mode records instead of denying)`, policy.cause, {
          requestId: req.id,
          attempt: ex.attempt,
        });
      return next(ex, respond);
    }
    const reply = world.profile.replies.forbidden;
    world.decide(pod.proxyNode, 'authorization', 'deny', `${req.method} ${req.path} from ${ex.peerIdentity ?? ex.replyTo} denied: ${denied}`, policy.cause, {
      requestId: req.id,
      attempt: ex.attempt,
    });
    respond({ status: reply.status, reason: reply.reason, local: true, final: true, mtls: ex.mtls });
  },
};
