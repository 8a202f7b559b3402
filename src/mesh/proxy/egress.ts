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
  // Another port of the host (targetPort), and TLS the proxy adds (TLS origination), when the mesh says so.
  const up = verdict.upstream;
  const target = up ? world.externalFor(host.host, up.port) : host;
  // What the app itself sent: the protocol of the port it addressed (a route may have moved it to another port).
  const appTls = (world.externalFor(req.host, req.port) ?? host).protocol === 'https';
  const tls = appTls || (up?.tls ?? false);
  const reply = world.profile.replies;
  if (!target)
    return respond({
      status: reply.connectFailure.status,
      reason: `${reply.connectFailure.reason}: nothing listens on port ${up!.port} of ${host.host}`,
      local: true,
      failure: 'connect-failure',
      mtls: false,
    });
  const arrive = world.flight({
    kind: 'http-request',
    from: proxy.node,
    to: host.node,
    delayMs: host.latencyMs,
    label: req.labelName.text,
    requestId: req.id,
    attempt: ex.attempt,
    detail: { tls },
  });
  // [inference] A port reads what it speaks: TLS sent to a plain-HTTP port, plain HTTP to a TLS
  // port, or TLS wrapped around the app's own TLS cannot be read, and the host closes the
  // connection — the proxy answers its app with its reset reply (Envoy 503 UC).
  if ((target.protocol === 'https') !== tls || (appTls && up?.tls)) {
    world.scheduler.at(arrive, () =>
      world.scheduler.at(world.now + host.latencyMs, () =>
        respond({
          status: reply.reset.status,
          reason: `${reply.reset.reason}: port ${target.port} of ${host.host} speaks ${target.protocol === 'https' ? 'TLS' : 'plain HTTP'} and closed the connection`,
          local: true,
          failure: 'reset',
          mtls: false,
        }),
      ),
    );
    return;
  }
  world.scheduler.at(arrive, () => {
    const back = world.flight({
      kind: 'http-response',
      from: host.node,
      to: proxy.node,
      delayMs: host.latencyMs,
      label: String(target.status),
      requestId: req.id,
      attempt: ex.attempt,
      status: target.status,
    });
    world.scheduler.at(back, () => respond({ status: target.status, mtls: false }));
  });
}
