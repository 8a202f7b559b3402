/**
 * The wire between two pods: carries a request to the server's inbound side (its sidecar, or the
 * app itself when unmeshed) and the response back, as flights. Used by the end of the outbound
 * pipeline and by unmeshed apps that call a service directly.
 */
import type { NodeId } from '../../sim/index.ts';
import type { HttpRequest, HttpResponse, Pod } from '../types.ts';
import type { World } from '../world.ts';
import { receive } from './inbound.ts';
import type { Respond } from './exchange.ts';

export interface SendOptions {
  from: NodeId;
  client: Pod;
  server: Pod;
  attempt: number;
  mtls: boolean;
  /** One-way latency of the path; the cluster link by default. */
  latencyMs?: number;
}

/** Sends `req` to `server` and calls `respond` when the answer (or a reset) gets back. */
export function sendToPod(world: World, req: HttpRequest, o: SendOptions, respond: Respond): void {
  const L = o.latencyMs ?? world.linkMs;
  // Headers travel on the request's start event; the flight carries the attempt and mTLS.
  const arrive = world.flight({
    kind: 'http-request',
    from: o.from,
    to: o.server.proxyNode,
    delayMs: L,
    label: req.label,
    requestId: req.id,
    attempt: o.attempt,
    mtls: o.mtls,
  });
  const generation = o.server.generation;
  world.scheduler.at(arrive, () => {
    if (!o.server.up || o.server.generation !== generation) return; // the connection reset reports it
    receive(
      world,
      {
        world,
        pod: o.server,
        req,
        attempt: o.attempt,
        mtls: o.mtls,
        peerIdentity: o.mtls && o.client.certificate ? o.client.certificate.identity : undefined,
        fromCluster: o.client.role !== 'client',
        sourceIp: o.client.ip,
        replyTo: o.from,
      },
      (res: HttpResponse) => {
        if (!o.server.up || o.server.generation !== generation) return;
        const label = res.status === 0 ? 'RST' : String(res.status);
        const back = world.flight({
          kind: res.status === 0 ? 'tcp' : 'http-response',
          from: o.server.proxyNode,
          to: o.from,
          delayMs: L,
          label,
          requestId: req.id,
          attempt: o.attempt,
          mtls: o.mtls,
          status: res.status,
        });
        world.scheduler.at(back, () => respond({ ...res, mtls: o.mtls, endpoint: o.server.name }));
      },
    );
  });
}
