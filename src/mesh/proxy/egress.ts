/**
 * Traffic to a host outside the cluster. Both meshes let it through by default — Istio's
 * outboundTrafficPolicy ALLOW_ANY forwards through PassthroughCluster (FIDELITY E1); Linkerd is
 * unrestricted until an EgressNetwork exists (E2). The app's own TLS, if any, is opaque to the
 * proxy, so this hop is never mTLS.
 */
import type { Exchange, Respond } from './exchange.ts';

export function sendToExternal(ex: Exchange, respond: Respond): void {
  const { world, proxy, req } = ex;
  const host = ex.external!;
  const policy = world.config.egress();
  world.decide(proxy.node, 'egress', 'passthrough', `${req.host} is outside the mesh: forwarded (${policy.mode})`, policy.cause, {
    requestId: req.id,
    attempt: ex.attempt,
  });
  const arrive = world.flight('http-request', proxy.node, host.node, host.latencyMs, req.label, { requestId: req.id, attempt: ex.attempt });
  world.scheduler.at(arrive, () => {
    const back = world.flight('http-response', host.node, proxy.node, host.latencyMs, '200', { requestId: req.id, attempt: ex.attempt, status: 200 });
    world.scheduler.at(back, () => respond({ status: 200, mtls: false }));
  });
}
