/**
 * The wire between a client and the next hop toward a pod: carries a request to the hop's
 * receiving proxy (the pod's sidecar, its node's proxy, a waypoint) or to the app itself when no
 * proxy is in the way, and the response back, as flights. Used by the end of the outbound
 * pipeline and by unmeshed apps that call a service directly.
 */
import { TraceName } from '../../sim/index.ts';
import { sameLife, type HttpRequest, type HttpResponse, type Pod, type Workload } from '../types.ts';
import type { World } from '../world.ts';
import type { Hop } from '../dataPlane.ts';
import type { InboundExchange, Respond } from './exchange.ts';
import type { Proxy } from './Proxy.ts';
import type { Connection } from './connections.ts';

export interface SendOptions {
  /** The node it leaves from (the sending proxy's, or the calling app's), with its id in the run's trace. */
  from: TraceName;
  /** The workload the server sees the request come from (its address; outside the cluster or not). */
  source: Workload;
  /** The proxy sending it, if any, and the identity it presents on the connection. */
  client?: Proxy;
  clientIdentity?: string | undefined;
  /** Where the connection goes. */
  hop: Hop;
  /** The pod the request is for. */
  server: Pod;
  attempt: number;
  mtls: boolean;
  /** One-way latency of the path; the cluster link by default. */
  latencyMs?: number;
  /** The connection the request travels on, when a client proxy made one. */
  connection?: Connection | undefined;
}

/** Sends `req` over `o.hop` toward `o.server` and calls `respond` when the answer (or a reset) gets back. */
export function sendToHop(world: World, req: HttpRequest, o: SendOptions, respond: Respond): void {
  const L = o.latencyMs ?? world.linkMs;
  const { hop, server } = o;
  const to = hopName(hop, server);
  // Headers travel on the request's start event; the flight carries the attempt and mTLS.
  const arrive = world.flightBetween(
    world.flightKinds.request,
    o.from,
    to,
    L,
    req.labelName,
    req.id,
    o.attempt,
    o.mtls,
    undefined,
    // FIDELITY-MORE H2: each stream of a tunnel is a CONNECT naming the destination pod's address and port.
    hop.tunnel ? { tunnel: `${hop.tunnel.protocol} CONNECT ${server.ip}:${server.service.spec.port}` } : undefined,
  );
  const generation = server.generation;
  world.scheduler.at(arrive, () => {
    if (!sameLife(server, generation)) return lost(o, respond);
    const cert = o.mtls && o.client ? o.client.certificateFor(o.clientIdentity) : null;
    // Every field always present (`connection` undefined when no client proxy made one): one object shape for the inbound layers.
    const ex: InboundExchange = {
      world,
      pod: server,
      proxy: hop.proxy,
      req,
      attempt: o.attempt,
      mtls: o.mtls,
      peerIdentity: cert ? cert.identity : undefined,
      fromCluster: o.source.role !== 'client',
      sourceIp: o.source.ip,
      replyTo: o.from.text,
      connection: o.connection,
    };
    const back = (res: HttpResponse): void => {
      if (!sameLife(server, generation)) return lost(o, respond);
      const at = world.flightBetween(
        res.status === 0 ? world.flightKinds.reset : world.flightKinds.response,
        to,
        o.from,
        L,
        world.responseName(res.status),
        req.id,
        o.attempt,
        o.mtls,
        res.status,
      );
      world.scheduler.at(at, () => respond(arrived(res, o.mtls, server.name)));
    };
    if (hop.proxy) hop.proxy.receive(ex, back);
    else world.serveApp(ex, back);
  });
}

/**
 * The node the hop ends at with its id in the trace: its proxy's, or the server app's when no proxy
 * receives (a data plane added at run time may end a hop elsewhere: that name is looked up each time).
 */
function hopName(hop: Hop, server: Pod): TraceName {
  const name = hop.proxy ? hop.proxy.nodeTraceName : server.appNodeName;
  return name.text === hop.node ? name : new TraceName(hop.node);
}

/**
 * The pod went away under the request. A sidecar's connection dies with its pod, and the reset
 * reports it; a tunnel outlives the pod it was opened for, so the stream itself ends: the receiving
 * proxy resets it [inference: ztunnel cannot reach the pod for the CONNECT, FIDELITY-MORE H2 step 4].
 */
function lost(o: SendOptions, respond: Respond): void {
  if (o.hop.tunnel) respond({ status: 0, failure: 'reset', reason: `stream to ${o.server.name} reset: ${o.server.name} is not running`, mtls: o.mtls });
}

/**
 * The response as the client gets it: the server's answer, on the client's connection (its mTLS),
 * from `endpoint`, not a loopback. Every field present (undefined when the answer has none): one
 * object shape for every response that crosses a wire, where a spread of the answer made an object
 * of its own shape, several hundred bytes, per request.
 */
function arrived(res: HttpResponse, mtls: boolean, endpoint: string): HttpResponse {
  return {
    status: res.status,
    reason: res.reason,
    local: res.local,
    failure: res.failure,
    final: res.final,
    overflow: res.overflow,
    loopback: false,
    beforeRequest: res.beforeRequest,
    endpoint,
    mtls,
  };
}
