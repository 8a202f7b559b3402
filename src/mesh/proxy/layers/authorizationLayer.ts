/**
 * Authorization layer (inbound): the workload's inbound policy decides whether the request may
 * reach the app — Istio AuthorizationPolicy / RequestAuthentication (FIDELITY A5), Linkerd's
 * default inbound policy and policy resources (A7), Consul intentions (FIDELITY-MORE I4). Policy
 * is enforced by the server's proxy, for each request or once for a connection.
 */
import type { AuthzRequest } from '../../config.ts';
import type { InboundExchange, InboundLayer } from '../exchange.ts';
import { repliesOf } from '../replies.ts';

/** What an inbound policy sees of the exchange's request, toward `port` (the destination service's). */
export function authzRequestOf(ex: InboundExchange, port: number): AuthzRequest {
  const { req } = ex;
  return {
    method: req.method,
    path: req.path,
    headers: req.headers,
    port,
    mtls: ex.mtls,
    peerIdentity: ex.peerIdentity,
    fromCluster: ex.fromCluster,
    sourceIp: ex.sourceIp,
  };
}

export const authorizationLayer: InboundLayer = {
  name: 'authorization',
  wrap: (next) => (ex, respond) => {
    const { world, pod, req } = ex;
    const proxy = ex.proxy!;
    // A verdict taken for the connection (an RBAC network filter) stands for every request on it,
    // even after the policy changes: Consul's L4 intentions do not sever live connections (FIDELITY-MORE I4).
    const held = ex.connection?.authz;
    if (held?.allow) return next(ex, respond);
    const verdict = held ?? world.configOf(proxy).authorize(pod, authzRequestOf(ex, pod.service.spec.port), proxy, world.configs[proxy.startConfigVersion]);
    if (verdict.scope === 'connection' && ex.connection) ex.connection.authz = verdict;
    if (verdict.allow) {
      if (verdict.audit)
        world.decide({
          node: proxy.node,
          layer: 'authorization',
          kind: 'audit',
          summary: verdict.summary,
          cause: verdict.cause,
          requestId: req.id,
          attempt: ex.attempt,
        });
      return next(ex, respond);
    }
    world.decide({
      node: proxy.node,
      layer: 'authorization',
      kind: 'deny',
      summary: `${req.labelName.text} from ${ex.peerIdentity ?? ex.replyTo}: ${verdict.summary}`,
      cause: verdict.cause,
      requestId: req.id,
      attempt: ex.attempt,
    });
    if (verdict.scope === 'connection') {
      // Denied at connection level: no HTTP answer, the connection is closed.
      respond({ status: 0, failure: 'reset', reason: verdict.reason ?? 'connection closed by policy', local: true, final: true, mtls: ex.mtls });
      ex.connection?.close();
      return;
    }
    const forbidden = repliesOf(world, proxy).forbidden;
    const status = verdict.status ?? forbidden.status;
    // Status 0: an L4 proxy denies by resetting the connection (ztunnel, FIDELITY-MORE H2).
    respond({
      status,
      reason: verdict.reason ?? forbidden.reason,
      local: true,
      final: true,
      mtls: ex.mtls,
      ...(status === 0 ? { failure: 'reset' as const } : {}),
    });
  },
};
