/**
 * mTLS origination layer: decides whether this attempt travels inside mTLS (Istio: the
 * DestinationRule TLS mode or auto mTLS; Linkerd: always, toward a meshed pod — FIDELITY A2, A6),
 * asks the data plane for the next hop toward the endpoint (its sidecar, its node's proxy, a
 * waypoint; plain or a tunnel), then gets a connection to that hop from the pool — reusing one,
 * opening one with the full handshake, or waiting as pending — within the cluster's pool limits (C1). A connection that
 * cannot be made becomes the mesh's local reply (Istio 503 UF, Linkerd 502); a pool overflow a
 * local 503 UO that is never retried.
 */
import type { TraceStore } from '../../../sim/index.ts';
import type { ClientTlsChoice } from '../../profiles/types.ts';
import type { Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import type { OutboundLayer } from '../exchange.ts';
import { UNSET } from '../handshakeFacts.ts';
import type { Proxy } from '../Proxy.ts';
import { repliesOf } from '../replies.ts';

/**
 * `mTLS to <pod>` / `plaintext to <pod>`, written once per endpoint: each client proxy says it the
 * first time it sends to an endpoint (at 30 replicas ~7,800 times in a 10 s run, for 600 endpoints).
 */
const tlsWords = new WeakMap<Pod, TlsWords>();

/**
 * An endpoint's two summaries, and the ids in {@link TlsWords.store} of each summary and of the
 * decision's layer and kinds ({@link UNSET} until first recorded there): a client proxy's first
 * request to the endpoint looks up only its own node and the rule's cause.
 */
interface TlsWords {
  store: TraceStore | undefined;
  mtls?: string;
  plaintext?: string;
  layer: number;
  mtlsKind: number;
  plaintextKind: number;
  mtlsId: number;
  plaintextId: number;
}

const unset = (store: TraceStore): Omit<TlsWords, 'mtls' | 'plaintext'> => ({
  store,
  layer: UNSET,
  mtlsKind: UNSET,
  plaintextKind: UNSET,
  mtlsId: UNSET,
  plaintextId: UNSET,
});

/** Records that `proxy` originates mTLS (or plaintext) toward `endpoint`, interning in the order pushDecision does (node, layer, kind, summary, cause). */
function recordTlsChoice(world: World, proxy: Proxy, endpoint: Pod, choice: ClientTlsChoice, requestId: string, attempt: number): void {
  const store = world.recorder.store;
  const node = proxy.nodeTraceName.idIn(store);
  let w = tlsWords.get(endpoint);
  if (!w) tlsWords.set(endpoint, (w = unset(store)));
  else if (w.store !== store) Object.assign(w, unset(store));
  if (w.layer === UNSET) w.layer = store.str('mtlsOrigination');
  let kind: number;
  let summary: number;
  if (choice.mtls) {
    kind = w.mtlsKind === UNSET ? (w.mtlsKind = store.str('mtls')) : w.mtlsKind;
    summary = w.mtlsId === UNSET ? (w.mtlsId = store.strRare((w.mtls ??= `mTLS to ${endpoint.name}`))) : w.mtlsId;
  } else {
    kind = w.plaintextKind === UNSET ? (w.plaintextKind = store.str('plaintext')) : w.plaintextKind;
    summary = w.plaintextId === UNSET ? (w.plaintextId = store.strRare((w.plaintext ??= `plaintext to ${endpoint.name}`))) : w.plaintextId;
  }
  store.pushDecisionIds(world.now, node, w.layer, kind, summary, store.cause(choice.cause), requestId, attempt, undefined);
}

export const mtlsOriginationLayer: OutboundLayer = {
  name: 'mtlsOrigination',
  wrap: (next) => (ex, respond) => {
    const { world, proxy, req } = ex;
    const endpoint = ex.endpoint;
    if (!endpoint) return next(ex, respond);
    const replies = repliesOf(world, proxy);
    const choice = proxy.config.clientTls(proxy, endpoint);
    ex.mtls = choice.mtls;
    const hop = world.dataPlane.nextHop(world, proxy, endpoint);
    ex.hop = hop;
    if (proxy.decideTls(endpoint, choice.mtls)) {
      recordTlsChoice(world, proxy, endpoint, choice, req.id, ex.attempt);
    }
    const counters = ex.cluster?.counters ?? null;
    proxy.poolFor(req).acquire({ hop, workload: endpoint, clientIdentity: proxy.identityFor(req) }, choice, counters, (outcome) => {
      if (!outcome.ok && 'overflow' in outcome) {
        const reply = replies.overflow!;
        world.decide({
          node: proxy.node,
          layer: 'connectionPool',
          kind: 'overflow',
          summary: `circuit breaker: ${outcome.overflow}; answered ${reply.status} locally`,
          cause: counters!.limits!.cause,
          requestId: req.id,
          attempt: ex.attempt,
        });
        return respond({ status: reply.status, reason: reply.reason, local: true, loopback: true, final: true, overflow: true, mtls: false });
      }
      if (!outcome.ok) {
        const own = ex.rule?.replies;
        const reply = outcome.failure === 'reset' ? (own?.reset ?? replies.reset) : (own?.connectFailure ?? replies.connectFailure);
        return respond({ status: reply.status, reason: `${reply.reason}: ${outcome.reason}`, local: true, failure: outcome.failure, mtls: false });
      }
      const conn = outcome.conn;
      let open = true;
      const stream = conn.openStream(() => {
        if (!open) return;
        open = false;
        const reply = ex.rule?.replies?.reset ?? replies.reset;
        respond({
          status: reply.status,
          reason: `${reply.reason}: connection to ${endpoint.name} reset`,
          local: true,
          failure: 'reset',
          mtls: conn.mtls,
          endpoint: endpoint.name,
        });
      });
      if (ex.abandoned || ex.request.done) {
        // The attempt timed out while it waited for a connection.
        open = false;
        conn.closeStream(stream);
        return;
      }
      // A timeout above cancels the stream; the layers below still learn how the attempt ended.
      const abort = (): void => {
        if (!open) return;
        open = false;
        conn.closeStream(stream);
        respond({ status: 504, failure: 'attempt-timeout', local: true, mtls: conn.mtls, endpoint: endpoint.name });
      };
      ex.abort = abort;
      ex.connection = conn;
      ex.request.abortAttempt = abort;
      next(ex, (res) => {
        if (!open) return;
        open = false;
        conn.closeStream(stream);
        // The connection was reset with no HTTP response (a STRICT server refusing plaintext, an
        // app closing it): the client's proxy answers its app with its own local reply — Istio a
        // 503 with Envoy's flag (istio.io common-problems/network-issues: "UF … check for a mutual
        // TLS configuration conflict"), Linkerd a 502 — never a bare reset, which only an unmeshed
        // client sees.
        if (res.status === 0 && res.failure) {
          // A TCP proxy has no HTTP to answer with: it closes its client's connection too, so the
          // close passes through as it came (a route's own replies, Consul tcp — FIDELITY-MORE I4, I5).
          if (ex.rule?.replies) return respond(res);
          const reply = res.failure === 'connect-failure' ? replies.connectFailure : replies.reset;
          return respond({ ...res, status: reply.status, reason: `${reply.reason}: ${res.reason ?? `connection to ${endpoint.name} reset`}`, local: true });
        }
        respond(res);
      });
    });
  },
};
