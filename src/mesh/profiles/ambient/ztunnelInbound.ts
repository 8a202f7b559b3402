/**
 * The destination ztunnel's inbound authorization as ztunnel does it (FIDELITY-MORE H4): L4
 * policy is asserted once, when an inbound connection is set up, and the connection is then
 * tracked; requests on it pass without another check. When a config push changes the policies,
 * ztunnel re-evaluates every tracked connection and closes those the new policy no longer allows:
 * requests in flight on them are reset, and the client's next request opens a new connection,
 * which is checked — and refused — at setup.
 *
 * Source: istio/ztunnel src/proxy/connection_manager.rs (ConnectionManager.assert_rbac registers
 * and asserts a connection; PolicyWatcher.run re-asserts every tracked connection when the policy
 * store changes and closes the ones that fail) and src/proxy.rs (AuthorizationPolicyRejection
 * "connection closed due to policy rejection", AuthorizationPolicyLateRejection "connection closed
 * due to policy change"), read at 1.24.0 and 1.30.3; src/proxy/inbound.rs (the check per HBONE
 * CONNECT, i.e. per app connection).
 */
import type { AuthzRequest } from '../../config.ts';
import type { HttpResponse, Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import type { Proxy } from '../../proxy/Proxy.ts';
import type { InboundLayer, Respond } from '../../proxy/exchange.ts';
import { repliesOf } from '../../proxy/replies.ts';
import { authzRequestOf } from '../../proxy/layers/authorizationLayer.ts';
import { forgetAppConnection } from './ztunnelLayer.ts';

// FIDELITY-MORE H4: the late close, as ztunnel's PolicyWatcher does it and names it.
const LATE_SOURCE =
  'FIDELITY-MORE H4: istio/ztunnel src/proxy/connection_manager.rs PolicyWatcher re-asserts tracked connections on a policy change; src/proxy.rs AuthorizationPolicyLateRejection (1.24.0, 1.30.3)';

/** A request on a tracked connection, waiting for its answer. */
interface InFlight {
  requestId: string;
  attempt: number;
  finish: Respond;
}

/** One inbound connection a ztunnel authorized and tracks (connection_manager.rs InboundConnection). */
interface TrackedConnection {
  key: string;
  /** The destination pod. */
  pod: Pod;
  /** The calling app's pod and connection (undefined: the app opens one per request). */
  client: Pod;
  downstream: string | undefined;
  /** What ztunnel knows of the connection, to assert policy again. */
  request: AuthzRequest;
  /** Who is calling, as decisions name it. */
  who: string;
  inFlight: InFlight[];
}

/** Each ztunnel's tracked connections, for one life of it (a restart drops them all). */
const tables = new WeakMap<Proxy, { generation: number; conns: Map<string, TrackedConnection> }>();

function trackedOf(proxy: Proxy): Map<string, TrackedConnection> {
  let t = tables.get(proxy);
  if (!t || t.generation !== proxy.generation) tables.set(proxy, (t = { generation: proxy.generation, conns: new Map() }));
  return t.conns;
}

/** The destination ztunnel's authorization layer: policy at connection setup, then tracking (FIDELITY-MORE H4). */
export const ztunnelAuthorizationLayer: InboundLayer = {
  name: 'authorization',
  wrap: (next) => (ex, respond) => {
    const { world, pod, req } = ex;
    const proxy = ex.proxy!;
    const conns = trackedOf(proxy);
    const who = ex.peerIdentity ?? ex.replyTo;
    // One HBONE CONNECT per app connection: an app that keeps its connection sends every request on
    // it; one that does not opens a connection per request (and per attempt of a retrying waypoint).
    const key = `${who}|${req.client.name}|${req.downstream ?? `${req.id}#${ex.attempt}`}|${pod.name}`;
    let conn = conns.get(key);
    if (!conn) {
      const request = authzRequestOf(ex, pod.service.spec.port);
      const verdict = world.configOf(proxy).authorize(pod, request, proxy, world.configs[proxy.startConfigVersion]);
      if (!verdict.allow) {
        // FIDELITY-MORE H4: ConnectionManager.assert_rbac refuses the connection (AuthorizationPolicyRejection).
        world.decide({
          node: proxy.node,
          layer: 'authorization',
          kind: 'deny',
          summary: `${req.labelName.text} from ${who} opens a connection to ${pod.name} — connection closed due to policy rejection: ${verdict.summary}`,
          cause: verdict.cause,
          requestId: req.id,
          attempt: ex.attempt,
        });
        const forbidden = repliesOf(world, proxy).forbidden;
        // Status 0: ztunnel denies by closing the connection (FIDELITY-MORE H2, H4).
        return respond({ status: forbidden.status, reason: forbidden.reason, local: true, final: true, mtls: ex.mtls, failure: 'reset' });
      }
      conn = { key, pod, client: req.client, downstream: req.downstream, request, who, inFlight: [] };
      conns.set(key, conn);
    }
    const tracked = conn;
    let settled = false;
    const stream: InFlight = {
      requestId: req.id,
      attempt: ex.attempt,
      finish: (res: HttpResponse) => {
        if (settled) return;
        settled = true;
        tracked.inFlight = tracked.inFlight.filter((s) => s !== stream);
        // A connection opened for one request ends with its answer.
        if (tracked.downstream === undefined && conns.get(key) === tracked) conns.delete(key);
        respond(res);
      },
    };
    tracked.inFlight.push(stream);
    next(ex, stream.finish);
  },
};

/**
 * A ztunnel applied a new config version: assert policy again on every connection it tracks and
 * close those no longer allowed (FIDELITY-MORE H4, connection_manager.rs PolicyWatcher).
 */
export function reassertTrackedConnections(world: World, proxy: Proxy): void {
  const conns = trackedOf(proxy);
  if (conns.size === 0) return;
  const config = world.configOf(proxy);
  for (const conn of [...conns.values()]) {
    const verdict = config.authorize(conn.pod, conn.request, proxy, world.configs[proxy.startConfigVersion]);
    if (verdict.allow) continue;
    conns.delete(conn.key);
    const first = conn.inFlight[0];
    const carrying = conn.inFlight.length
      ? `; ${conn.inFlight.length === 1 ? 'the request' : `the ${conn.inFlight.length} requests`} in flight on it ${conn.inFlight.length === 1 ? 'is' : 'are'} reset`
      : '; no request was in flight on it';
    world.decide({
      node: proxy.node,
      layer: 'authorization',
      kind: 'deny',
      summary:
        `connection closed due to policy change: ${conn.who} → ${conn.pod.name}` +
        `${conn.downstream === undefined ? '' : ` (the app's connection ${conn.downstream})`} was allowed when it opened; ` +
        `config v${proxy.configVersion} no longer allows it — ${verdict.summary}${carrying}`,
      cause: { ...verdict.cause, source: LATE_SOURCE },
      ...(first ? { requestId: first.requestId, attempt: first.attempt } : {}),
    });
    for (const s of [...conn.inFlight])
      s.finish({
        status: 0,
        failure: 'reset',
        reason: 'connection reset: connection closed due to policy change',
        local: true,
        mtls: conn.request.mtls,
      });
    // The client's ztunnel closes the app's connection with it: the next request is a new connection.
    if (conn.downstream !== undefined) {
      const source = world.captureOf(conn.client);
      if (source) forgetAppConnection(source, conn.downstream);
    }
  }
}

/** The app closed its connection `downstream` (its calls are done): ztunnels stop tracking it. */
export function untrackAppConnection(world: World, downstream: string): void {
  for (const proxy of world.proxies.values()) {
    if (proxy.kind !== 'node') continue;
    forgetAppConnection(proxy, downstream);
    const conns = trackedOf(proxy);
    for (const conn of [...conns.values()]) if (conn.downstream === downstream && conn.inFlight.length === 0) conns.delete(conn.key);
  }
}
