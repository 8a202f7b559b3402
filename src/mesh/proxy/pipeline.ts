/**
 * Proxy pipelines, composed in exactly one place. A data plane lists the layers of each kind of
 * proxy it runs (its `stacks`); this file holds the standard stacks and turns a stack into the two
 * handlers a proxy runs. Each layer either passes the exchange on or answers it itself, and sees
 * the response on the way back.
 *
 * The outbound stack of a sidecar or a gateway (Envoy's and linkerd2-proxy's stages), and why
 * each layer sits where it does:
 *
 * 1. route            — which service, rule and backend (logical stage); fault injection acts here.
 * 2. requestTimeout   — above retry: the route / request timeout covers every retry (FIDELITY B1, B4).
 * 3. retry            — one pass per attempt below it.
 * 4. attemptTimeout   — below retry: a per-try timeout restarts with each attempt.
 * 5. loadBalance      — which pod this attempt goes to (endpoint stage).
 * 6. mtlsOrigination  — mTLS or plaintext, the next hop the data plane names, and the connection
 *                       (handshake when new; a tunnel when the hop is one).
 * then the wire to the next hop's inbound side (or out of the cluster).
 *
 * The inbound stack of a sidecar: mTLS termination, then authorization, then the app's connection
 * — TLS is terminated before anything can read the request, authorization needs the peer identity
 * TLS established (FIDELITY A7: policy is enforced by the inbound proxy), and only an authorized
 * request is sent to the app, where a reset connection may be retried (Istio 1.24+, FIDELITY B1). After the inbound layers a request goes
 * to the app (`onward: 'app'`) or, for a gateway, out through the proxy's own outbound pipeline
 * (`onward: 'forward'`): Istio's gateways are a proxy alone, routing what they receive.
 */
import type { ProxyStack } from '../dataPlane.ts';
import type { Handler, InboundHandler, InboundLayer, OutboundLayer } from './exchange.ts';
import { routeLayer } from './layers/routeLayer.ts';
import { requestTimeoutLayer, attemptTimeoutLayer } from './layers/timeoutLayers.ts';
import { retryLayer } from './layers/retryLayer.ts';
import { loadBalanceLayer } from './layers/loadBalanceLayer.ts';
import { mtlsOriginationLayer } from './layers/mtlsOriginationLayer.ts';
import { mtlsTerminationLayer } from './layers/mtlsTerminationLayer.ts';
import { authorizationLayer } from './layers/authorizationLayer.ts';
import { inboundRetryLayer } from './layers/inboundRetryLayer.ts';
import { sendToHop } from './transport.ts';
import { sendToExternal } from './egress.ts';

/** The outbound layers of an L7 proxy (a sidecar, a gateway), in order. */
export const L7_OUTBOUND: readonly OutboundLayer[] = [routeLayer, requestTimeoutLayer, retryLayer, attemptTimeoutLayer, loadBalanceLayer, mtlsOriginationLayer];

/**
 * The inbound layers of a sidecar, in order; the last sends the request to the app and, when the
 * app resets the connection before reading it, retries (Istio 1.24+, FIDELITY B1) or answers the
 * client with the proxy's own reply.
 */
export const SIDECAR_INBOUND: readonly InboundLayer[] = [mtlsTerminationLayer, authorizationLayer, inboundRetryLayer];

/** A sidecar: the full outbound pipeline for its app, inbound policy in front of its app. */
export const SIDECAR_STACK: ProxyStack = { outbound: L7_OUTBOUND, inbound: SIDECAR_INBOUND, onward: 'app' };

/** An Istio-style gateway: a proxy alone, which routes what it receives through its own outbound pipeline. */
export const GATEWAY_STACK: ProxyStack = { outbound: L7_OUTBOUND, inbound: [], onward: 'forward' };

/** The end of the outbound pipeline: put the attempt on the wire, to the hop the last layer chose, or out of the cluster. */
const wire: Handler = (ex, respond) => {
  if (ex.external) return sendToExternal(ex, respond);
  const { proxy, req } = ex;
  sendToHop(
    ex.world,
    req,
    {
      from: proxy.nodeTraceName,
      source: proxy.sourceOf(req),
      client: proxy,
      clientIdentity: proxy.identityFor(req),
      hop: ex.hop!,
      server: ex.endpoint!,
      attempt: ex.attempt,
      mtls: ex.mtls,
      connection: ex.connection,
    },
    respond,
  );
};

/** The handler that runs `layers` in order, then the wire. */
export function composeOutbound(layers: readonly OutboundLayer[]): Handler {
  return layers.reduceRight<Handler>((next, layer) => layer.wrap(next), wire);
}

/** After the inbound layers: the app of the pod the request is for. */
const toApp: InboundHandler = (ex, respond) => ex.world.serveApp(ex, respond);

/** After the inbound layers: the receiving proxy sends the request on through its own outbound pipeline. */
const forward: InboundHandler = (ex, respond) => {
  const proxy = ex.proxy!;
  if (!proxy.up) return;
  proxy.send(ex.req, (res) => respond(res));
};

/** The handler that runs `layers` in order, then hands the request to the app or sends it onward. */
export function composeInbound(layers: readonly InboundLayer[], onward: ProxyStack['onward']): InboundHandler {
  return layers.reduceRight<InboundHandler>((next, layer) => layer.wrap(next), onward === 'app' ? toApp : forward);
}
