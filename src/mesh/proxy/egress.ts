/**
 * Traffic leaving the cluster for an outside host: the proxy asks the mesh's egress policy
 * (Istio outboundTrafficPolicy and ServiceEntries, Linkerd EgressNetworks — FIDELITY E1, E2)
 * and either forwards it or refuses it — plain HTTP with the mesh's status (Istio 502 from
 * BlackHoleCluster, Linkerd 403), TLS by resetting the connection. The app's own TLS to an https
 * host is opaque to the proxy, so this hop is never mTLS.
 */
import type { Exchange, Respond } from './exchange.ts';

export function sendToExternal(ex: Exchange, respond: Respond): void {
  const { world, proxy, req } = ex;
  const host = ex.external!;
  const verdict = proxy.config.egress(proxy, host, req);
  const meta = { requestId: req.id, attempt: ex.attempt };
  if (!verdict.allow) {
    world.decide({ node: proxy.node, layer: 'egress', kind: 'deny', summary: verdict.summary, cause: verdict.cause, ...meta });
    if (verdict.status !== undefined)
      return respond({ status: verdict.status, reason: verdict.reason ?? 'egress denied', local: true, final: true, mtls: false });
    // TLS cannot be answered with an HTTP status: the proxy closes the connection.
    return respond({ status: 0, reason: verdict.reason ?? 'egress denied: connection closed', local: true, final: true, mtls: false });
  }
  if (proxy.firstEgress(`${proxy.configVersion}|${verdict.summary}`))
    world.decide({ node: proxy.node, layer: 'egress', kind: 'egress', summary: verdict.summary, cause: verdict.cause, ...meta });
  const arrive = world.flight({
    kind: 'http-request',
    from: proxy.node,
    to: host.node,
    delayMs: host.latencyMs,
    label: req.label,
    requestId: req.id,
    attempt: ex.attempt,
    detail: { tls: host.protocol === 'https' },
  });
  world.scheduler.at(arrive, () => {
    const back = world.flight({
      kind: 'http-response',
      from: host.node,
      to: proxy.node,
      delayMs: host.latencyMs,
      label: String(host.status),
      requestId: req.id,
      attempt: ex.attempt,
      status: host.status,
    });
    world.scheduler.at(back, () => respond({ status: host.status, mtls: false }));
  });
}
