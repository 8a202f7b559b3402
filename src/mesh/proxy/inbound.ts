/**
 * The server side: a request arriving at a pod goes through its sidecar's inbound layers —
 * mTLS termination, then authorization, then the app (FIDELITY A7: policy is enforced by the
 * inbound proxy) — or straight to the app when the pod has no sidecar.
 */
import type { InboundHandler, InboundLayer, Respond, InboundExchange } from './exchange.ts';
import type { World } from '../world.ts';
import { mtlsTerminationLayer } from './layers/mtlsTerminationLayer.ts';
import { authorizationLayer } from './layers/authorizationLayer.ts';

/** Inbound layers in order; composed once. Why this order: TLS is terminated before anything can read the request, and authorization needs the peer identity TLS established. */
const INBOUND: InboundLayer[] = [mtlsTerminationLayer, authorizationLayer];
/** The app behind the inbound layers: the world's, set where the run is wired (the app makes calls of its own, which go out through the pipeline). */
const app: InboundHandler = (ex, respond) => ex.world.serveApp(ex, respond);
const meshedInbound: InboundHandler = INBOUND.reduceRight<InboundHandler>((next, layer) => layer.wrap(next), app);

/**
 * Delivers a request that arrived at `ex.pod`. A gateway is a proxy alone: it routes the request
 * onward itself (Istio's ingress and egress gateways).
 */
export function receive(world: World, ex: InboundExchange, respond: Respond): void {
  if (ex.pod.role === 'gateway') {
    if (!ex.pod.proxy) return;
    return ex.pod.proxy.send(ex.req, (res) => respond(res));
  }
  if (ex.pod.meshed) meshedInbound(ex, respond);
  else app(ex, respond);
}
