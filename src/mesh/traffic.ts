/**
 * The scenario's `traffic`: apps that call services. Open-loop sources send at a fixed rate
 * between start and stop; closed-loop ones send `count` requests, `concurrency` at a time (like
 * fortio -c); `at` sends one. A source starts once its calling pod is ready and can reach the
 * target, so the cluster's start-up does not count against the lesson.
 *
 * A meshed app's request is captured by the proxy the data plane names (its own sidecar, its
 * node's proxy); an unmeshed one connects straight to a pod that kube-proxy picks at random among
 * the ready endpoints.
 */
import type { TrafficSpec } from '../scenario/index.ts';
import type { HttpRequest, HttpResponse, Pod, RequestLabel } from './types.ts';
import { TraceName } from '../sim/index.ts';
import type { World } from './world.ts';
import type { AttemptRecord } from './stats.ts';
import { hasReadyEndpoint, readyEndpoints } from './controlPlane.ts';
import { sendToHop } from './proxy/transport.ts';
import { ConnectionPool } from './proxy/connections.ts';
import { defaultCause } from './cause.ts';
import { headersWithJwt } from './jwt.ts';

const KUBE_PROXY = defaultCause('kube-proxy: a random ready endpoint per connection', 'Kubernetes Service (iptables mode)');

/**
 * What a reply the client's own proxy makes without leaving the pod (503 UO, 404 NR, 503 UH) takes
 * to reach the app: the loopback round trip and the proxy's work. [inference] The fastest calls in
 * the Istio Circuit Breaking task's fortio histograms — 503s from fortio's own sidecar — took
 * 0.43–0.50 ms (istio.io tasks/traffic-management/circuit-breaking); the engine counts whole
 * milliseconds, so it is one tick. Other hops inside a pod are drawn as instant. Without it, a
 * closed-loop worker answered locally would spend all its calls in no time at all.
 */
export const LOCAL_REPLY_MS = 1;

/** Schedules every traffic source of the scenario. */
export function startTraffic(world: World): void {
  world.scenario.traffic.forEach((spec, i) => startSource(world, spec, i));
}

function clientsOf(world: World, spec: TrafficSpec): Pod[] {
  const pod = world.pods.get(spec.from) ?? world.clients.get(spec.from);
  return pod ? [pod] : world.services.get(spec.from)!.pods;
}

function startSource(world: World, spec: TrafficSpec, index: number): void {
  const clients = clientsOf(world, spec);
  const target = world.serviceByHost(spec.to);
  const stopMs = spec.stop ?? world.scenario.duration;
  let turn = 0;
  const nextClient = (): Pod | undefined => {
    for (let k = 0; k < clients.length; k++) {
      const c = clients[(turn + k) % clients.length]!;
      if (c.up && c.ready) {
        turn = (turn + k + 1) % clients.length;
        return c;
      }
    }
    return undefined;
  };
  const reachable = (): boolean =>
    clients.some((c) => c.ready) &&
    (!target || hasReadyEndpoint(target)) &&
    clients.every((c) => {
      if (!c.ready || !c.meshed || !target) return true;
      const proxy = world.captureOf(c);
      return !proxy || world.controlPlane.canReach(proxy, target);
    });

  world.scheduler.at(spec.start, () =>
    world.when(reachable, () => {
      const begin = world.now;
      if (spec.at !== undefined) {
        world.scheduler.at(Math.max(spec.at, begin), () => fire());
      } else if (spec.rate !== undefined) {
        // Arrivals are scheduled one at a time, so the event queue holds one per source, not thousands.
        const intervalMs = 1000 / spec.rate;
        const arrival = (k: number): void => {
          const t = begin + Math.round(k * intervalMs);
          if (t >= stopMs) return;
          world.scheduler.at(t, () => {
            fire();
            arrival(k + 1);
          });
        };
        arrival(0);
      } else {
        // Closed loop as fortio -c N -n M runs it: N workers, each making M/N calls one after
        // another (the first M mod N one more) — "for exactly 30 calls (10 per thread + 0)"
        // (istio.io tasks/traffic-management/circuit-breaking). A worker whose calls fail fast
        // spends its own share, not the other workers'.
        const n = spec.concurrency;
        for (let c = 0; c < n; c++) {
          let left = Math.floor(spec.count! / n) + (c < spec.count! % n ? 1 : 0);
          // Each worker keeps its own connection to the proxy, as fortio's -c connections do.
          const connection = `traffic[${index}]#${c}`;
          const worker = (): void => {
            if (left <= 0 || world.now >= stopMs) return world.dataPlane.appConnectionClosed?.(world, connection);
            left--;
            fire(worker, connection);
          };
          worker();
        }
      }
    }),
  );

  function fire(then?: () => void, downstream?: string): void {
    const client = nextClient();
    if (!client) {
      then?.();
      return;
    }
    sendFromApp(world, client, spec, () => then?.(), downstream);
  }
}

/** What an app call needs: a traffic entry, or one of a service's `calls`. */
export type CallSpec = Pick<TrafficSpec, 'to' | 'method' | 'path'> &
  Partial<Pick<TrafficSpec, 'headers' | 'bodyBytes' | 'jwt' | 'port'>> & {
    /** The app's own deadline: past it the app stops waiting and the request ends with no response (status 0). */
    timeoutMs?: number;
  };

/**
 * Header names in lowercase. HTTP field names are case-insensitive (RFC 9110 §5.1) and HTTP/2
 * sends them in lowercase (RFC 9113 §8.2.1); requests carry them so from the start, so every
 * matcher (routes, authorization, JWT, hashing) can look a header up by its lowercase name.
 */
function lowercaseNames(headers: Record<string, string>): Record<string, string> {
  if (isEmpty(headers)) return NO_HEADERS;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** The headers of a request that carries none: one object for all of them, frozen (nothing may add to a request's headers). */
const NO_HEADERS: Record<string, string> = Object.freeze({});

function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false;
  return true;
}

/** The `METHOD path` label of a request, with its method and path: one each per run (a label is on every request's flight, method and path on its start). */
function labelOf(world: World, method: string, path: string): RequestLabel {
  let byPath = world.requestLabels.get(method);
  if (!byPath) world.requestLabels.set(method, (byPath = new Map()));
  let label = byPath.get(path);
  if (label === undefined) byPath.set(path, (label = { label: new TraceName(`${method} ${path}`), method: new TraceName(method), path: new TraceName(path) }));
  return label;
}

/** The calling app sends one request and waits for the answer; `downstream` names the app connection it goes on, if it keeps one. */
export function sendFromApp(world: World, client: Pod, spec: CallSpec, done: (res: HttpResponse) => void, downstream?: string): void {
  const sent = headersWithJwt(spec.headers ?? NO_HEADERS, spec.jwt);
  const label = labelOf(world, spec.method, spec.path);
  // Built whole, then the optional fields set: no object spread on the path every request takes.
  const req: HttpRequest = {
    id: world.newRequestId(),
    method: spec.method,
    path: spec.path,
    headers: lowercaseNames(sent),
    bodyBytes: spec.bodyBytes ?? 0,
    host: spec.to,
    labelName: label.label,
    client,
    startMs: world.now,
  };
  if (spec.port !== undefined) req.port = spec.port;
  if (downstream !== undefined) req.downstream = downstream;
  // Straight into the trace's columns (no event object); the trace shows the headers as the app wrote them.
  // Their string ids looked up in the order the store's tables expect (pushRequestStart).
  const store = world.recorder.store;
  store.pushRequestStart(
    world.now,
    client.appNodeName.idIn(store),
    store.requestId(req.id),
    client.traceName.idIn(store),
    store.str(spec.to),
    label.method.idIn(store),
    label.path.idIn(store),
    req.bodyBytes,
    downstream,
    sent,
  );
  // The app gives up at its own deadline: the request ends then, and an answer arriving later is
  // dropped (the app has closed that connection). The proxies still carry the abandoned request
  // to its end: mesh-sim does not cancel upstream work when a caller goes away.
  let settled = false;
  if (spec.timeoutMs !== undefined)
    world.scheduler.after(spec.timeoutMs, () => {
      if (settled || !client.up) return;
      finish({ status: 0, failure: 'attempt-timeout', reason: `the app gave up after ${spec.timeoutMs}ms (its own timeout)`, mtls: false }, 1, []);
    });
  const finish = (res: HttpResponse, attempts: number, tries: readonly AttemptRecord[]): void => {
    if (settled) return;
    settled = true;
    const latencyMs = world.now - req.startMs;
    // A route with response classes decides success itself (FIDELITY G2: linkerd viz routes counts by them).
    store.pushRequestEnd(
      world.now,
      client.appNodeName.idIn(store),
      store.requestId(req.id),
      res.status,
      attempts,
      latencyMs,
      res.mtls,
      res.reason,
      tries.at(-1)?.failure,
    );
    // Its fields, not a record object: the table only copies them into its columns.
    world.stats.requests.addOf(
      req.id,
      client.name,
      spec.to,
      req.method,
      req.path,
      req.headers,
      req.startMs,
      world.now,
      res.status,
      attempts,
      // A request answered before any attempt (no route) still had one, which never left the client.
      tries.length ? tries : [{ attempt: 1, pod: res.endpoint ?? null, status: res.status, startMs: req.startMs, endMs: world.now }],
      res.mtls,
      res.reason,
    );
    done(res);
  };
  const proxy = client.meshed ? world.captureOf(client) : undefined;
  if (proxy?.up) {
    const generation = client.generation;
    // The app's outbound connection is captured (iptables to its own sidecar, in-pod redirection to its node's proxy).
    world.arrive(world.flightBetween(world.flightKinds.request, client.appNodeName, proxy.nodeTraceName, 0, req.labelName, req.id), () => {
      proxy.send(req, (res, attempts, request) => {
        if (client.generation !== generation || settled) return;
        world.arrive(
          world.flightBetween(
            res.status === 0 ? world.flightKinds.reset : world.flightKinds.response,
            proxy.nodeTraceName,
            client.appNodeName,
            res.loopback ? LOCAL_REPLY_MS : 0,
            world.responseName(res.status),
            req.id,
            undefined,
            undefined,
            res.status,
          ),
          // The attempts as recorded when the answer reaches the app (an abandoned one may end in between).
          () => finish(res, attempts, request.tries),
        );
      });
    });
    return;
  }
  directCall(world, client, req, (res) => finish(res, 1, []));
}

/**
 * An unmeshed app calls a service (kube-proxy picks a pod) or an outside host directly; an
 * outside client reaches the cluster through its ingress (the gateway, or the ingress controller).
 */
function directCall(world: World, client: Pod, req: HttpRequest, respond: (res: HttpResponse) => void): void {
  let service = world.serviceByHost(req.host);
  let latencyMs = world.linkMs;
  if (client.role === 'client') {
    const entry = [...world.pods.values()].find((p) => p.edge === 'ingress');
    if (!entry) return respond({ status: 0, failure: 'connect-failure', reason: 'no ingress to connect to', mtls: false });
    service = entry.service;
    latencyMs = client.edgeLatencyMs ?? latencyMs;
  }
  if (!service) {
    const host = world.externalFor(req.host, req.port)!;
    const arrive = world.flight({
      kind: 'http-request',
      from: client.appNode,
      to: host.node,
      delayMs: host.latencyMs,
      label: req.labelName.text,
      requestId: req.id,
    });
    world.scheduler.at(arrive, () => {
      world.scheduler.at(
        world.flight({
          kind: 'http-response',
          from: host.node,
          to: client.appNode,
          delayMs: host.latencyMs,
          label: String(host.status),
          requestId: req.id,
          status: host.status,
        }),
        () => respond({ status: host.status, mtls: false }),
      );
    });
    return;
  }
  const endpoints = readyEndpoints(service);
  if (endpoints.length === 0)
    return respond({ status: 0, failure: 'connect-failure', reason: `connection refused: no ready endpoint for ${service.name}`, mtls: false });
  const rng = world.rng.fork(`kube-proxy:${client.name}:${req.id}`);
  const server = endpoints[rng.int(endpoints.length)]!;
  if (client.role !== 'client' || endpoints.length > 1)
    world.decide({
      node: client.appNode,
      layer: 'kube-proxy',
      kind: 'endpoint',
      summary: `${server.name} (random among ${endpoints.length} ready endpoints; no sidecar, no mesh balancing)`,
      cause: KUBE_PROXY,
      requestId: req.id,
    });
  client.directPool ??= new ConnectionPool(world, { name: client.name, proxy: undefined }, client.appNode, 1, latencyMs);
  const hop = world.dataPlane.nextHop(world, undefined, server);
  client.directPool.acquire({ hop, workload: server, clientIdentity: undefined }, null, null, (outcome) => {
    if (!outcome.ok)
      return respond({
        status: 0,
        failure: 'failure' in outcome ? outcome.failure : 'connect-failure',
        reason: 'reason' in outcome ? outcome.reason : outcome.overflow,
        mtls: false,
      });
    const conn = outcome.conn;
    let open = true;
    const stream = conn.openStream(() => {
      if (!open) return;
      open = false;
      respond({ status: 0, failure: 'reset', reason: `connection to ${server.name} reset`, mtls: false });
    });
    sendToHop(world, req, { from: client.appNodeName, source: client, hop, server, attempt: 1, mtls: false, latencyMs }, (res) => {
      if (!open) return;
      open = false;
      conn.closeStream(stream);
      respond(res);
    });
  });
}
