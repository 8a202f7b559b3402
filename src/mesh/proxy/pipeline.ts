/**
 * The sidecar's outbound pipeline, composed in exactly one place. Order, and why:
 *
 * 1. route            — which service, rule and backend (logical stage); fault injection acts here.
 * 2. requestTimeout   — above retry: the route / request timeout covers every retry (FIDELITY B1, B4).
 * 3. retry            — one pass per attempt below it.
 * 4. attemptTimeout   — below retry: a per-try timeout restarts with each attempt.
 * 5. loadBalance      — which pod this attempt goes to (endpoint stage).
 * 6. mtlsOrigination  — mTLS or plaintext, and the connection (handshake when new).
 * then the wire to the server's inbound side.
 */
import type { Handler, OutboundLayer } from './exchange.ts';
import { routeLayer } from './layers/routeLayer.ts';
import { requestTimeoutLayer, attemptTimeoutLayer } from './layers/timeoutLayers.ts';
import { retryLayer } from './layers/retryLayer.ts';
import { loadBalanceLayer } from './layers/loadBalanceLayer.ts';
import { mtlsOriginationLayer } from './layers/mtlsOriginationLayer.ts';
import { sendToPod } from './transport.ts';
import { sendToExternal } from './egress.ts';

export const OUTBOUND_LAYERS: readonly OutboundLayer[] = [
  routeLayer,
  requestTimeoutLayer,
  retryLayer,
  attemptTimeoutLayer,
  loadBalanceLayer,
  mtlsOriginationLayer,
];

/** The end of the pipeline: put the attempt on the wire. */
const wire: Handler = (ex, respond) => {
  if (ex.external) return sendToExternal(ex, respond);
  sendToPod(ex.world, ex.req, { from: ex.proxy.node, client: ex.proxy.pod, server: ex.endpoint!, attempt: ex.attempt, mtls: ex.mtls }, respond);
};

/** The composed outbound handler (the same for every sidecar; state lives in the exchange). */
export const outbound: Handler = OUTBOUND_LAYERS.reduceRight<Handler>((next, layer) => layer.wrap(next), wire);
