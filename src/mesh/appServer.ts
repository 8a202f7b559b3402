/**
 * The application side of a pod as a server: a request that got through its proxy's inbound
 * layers (or arrived straight, with no proxy) reaches the app, which makes its own calls first
 * (a chain), then answers after its latency, shaped by the scenario's faults. A meshed ingress
 * controller app forwards instead.
 */
import type { InboundExchange, InboundHandler, Respond } from './proxy/exchange.ts';
import { sameLife, type Pod } from './types.ts';
import type { PodCounters } from './stats.ts';
import type { World } from './world.ts';
import type { CompiledMesh } from './profiles/types.ts';
import { fileCause } from './cause.ts';
import { callFailed, callsOf, makeCall } from './appCalls.ts';

/** The app: answers after its latency, shaped by the scenario's faults. */
export const serveApp: InboundHandler = (ex, respond) => {
  const { world, pod, req } = ex;
  const counters = world.stats.pod(pod.name);
  const generation = pod.generation;
  if (!ex.proxy) return deliver(ex, respond, counters, generation);
  world.arrive(world.flightBetween(world.flightKinds.request, ex.proxy.nodeTraceName, pod.appNodeName, 0, req.labelName, req.id, ex.attempt), () =>
    deliver(ex, respond, counters, generation),
  );
};

// The steps below are plain functions passed what they need, not closures made for every request;
// each first checks that the pod that took the request is still the life that took it.

/** The request reaches the app: it may reset the connection; else it makes its calls, then answers. */
function deliver(ex: InboundExchange, respond: Respond, counters: PodCounters, generation: number): void {
  const { world, pod, req } = ex;
  if (!sameLife(pod, generation)) return;
  const reset = pod.app.resetsConnection(world.now);
  if (reset !== undefined) return resetBeforeRequest(ex, reset, respond);
  counters.received++;
  if (pod.edge === 'ingress' && configOfApp(world, pod).ingressBackend) return forwardAsIngress(ex, respond);
  const calls = callsOf(pod);
  if (calls.length === 0) return finish(ex, respond, counters, generation);
  // The app makes its own calls first, one after another, through its proxy (appCalls.ts).
  const next = (i: number): void => {
    if (!sameLife(pod, generation)) return;
    if (i === calls.length) return finish(ex, respond, counters, generation);
    const call = calls[i]!;
    makeCall(world, pod, call, req, (res, tries) => {
      if (callFailed(res) && call.onError === 'propagate')
        return finish(
          ex,
          respond,
          counters,
          generation,
          res.status === 0 ? 502 : res.status,
          `its call to ${call.to} failed (${res.status || 'no response'}${tries > 1 ? `, ${tries} tries by the app` : ''})`,
        );
      next(i + 1);
    });
  };
  next(0);
}

/** The app's answer after its latency; `failedWith` when one of its calls failed and it passes that on. */
function finish(ex: InboundExchange, respond: Respond, counters: PodCounters, generation: number, failedWith?: number, why?: string): void {
  const { world, pod, req } = ex;
  if (!sameLife(pod, generation)) return;
  const own = pod.app.answer(world.now);
  if (own.fault) {
    const cause =
      own.faultIndex === undefined
        ? { config: `faults (${pod.name})`, isDefault: false, source: 'scenario faults' }
        : fileCause(world.scenario, `faults[${own.faultIndex}] (${pod.name})`, `faults[${own.faultIndex}]`, 'scenario faults: how the app misbehaves');
    world.decide({ node: pod.appNode, layer: 'app', kind: 'fault', summary: `app fault: ${own.fault}`, cause, requestId: req.id, attempt: ex.attempt });
  }
  const status = failedWith ?? own.status;
  if (why)
    world.decide({
      node: pod.appNode,
      layer: 'app',
      kind: 'call-failed',
      summary: `${why}: the app answers ${status}`,
      cause: CALLS,
      requestId: req.id,
      attempt: ex.attempt,
    });
  world.scheduler.after(own.delayMs, () => {
    if (!sameLife(pod, generation)) return;
    if (status < 400) counters.ok++;
    else counters.failed++;
    // The answer goes back the way the request came: through the proxy it arrived at, if any.
    if (!ex.proxy) return respond({ status, mtls: ex.mtls, endpoint: pod.name });
    world.arrive(
      world.flightBetween(
        world.flightKinds.response,
        pod.appNodeName,
        ex.proxy.nodeTraceName,
        0,
        world.statusName(status),
        req.id,
        ex.attempt,
        undefined,
        status,
      ),
      () => respond({ status, mtls: ex.mtls, endpoint: pod.name }),
    );
  });
}

const CALLS = { config: 'services[].calls', isDefault: false, source: 'scenario: a failed call fails the request (onError: propagate)' };

/**
 * A meshed ingress controller (ingress-nginx with service-upstream, FIDELITY E2): the app picks
 * the Service from its Ingress rules and sends the request to it through its own sidecar, which
 * balances and originates mTLS.
 */
function forwardAsIngress(ex: InboundExchange, respond: Respond): void {
  const { world, pod, req } = ex;
  const backend = configOfApp(world, pod).ingressBackend!(req.host, req.path);
  const answer = (res: { status: number; reason?: string }): void => {
    const reply = (): void => respond({ status: res.status, ...(res.reason ? { reason: res.reason } : {}), mtls: ex.mtls, endpoint: pod.name });
    if (!ex.proxy) return reply();
    world.arrive(
      world.flight({
        kind: 'http-response',
        from: pod.appNode,
        to: ex.proxy.node,
        delayMs: 0,
        label: String(res.status),
        requestId: req.id,
        attempt: ex.attempt,
        status: res.status,
      }),
      reply,
    );
  };
  const proxy = world.captureOf(pod);
  if (!backend || !proxy?.up) return answer({ status: 404, reason: 'ingress-nginx: no rule for this host and path' });
  world.decide({
    node: pod.appNode,
    layer: 'ingress',
    kind: 'route',
    summary: `${req.host}${req.path} → Service ${backend.service}`,
    cause: backend.cause,
    requestId: req.id,
  });
  world.arrive(world.flight({ kind: 'http-request', from: pod.appNode, to: proxy.node, delayMs: 0, label: req.labelName.text, requestId: req.id }), () =>
    proxy.send({ ...req, host: backend.service, client: pod }, (res) => answer(res)),
  );
}

/** The config an app reads (an ingress controller's rules): its proxy's version, or the first when it has none. */
function configOfApp(world: World, pod: Pod): CompiledMesh {
  const proxy = world.captureOf(pod);
  return proxy ? world.configOf(proxy) : world.configs[0]!;
}

/**
 * A `resets` fault: the app closes the connection before reading the request, so it never sees
 * it. Its sidecar (or, without one, the client) gets the reset (envoyproxy/envoy#10007).
 */
function resetBeforeRequest(ex: InboundExchange, faultIndex: number, respond: Respond): void {
  const { world, pod, req } = ex;
  const cause = fileCause(world.scenario, `faults[${faultIndex}] (${pod.name})`, `faults[${faultIndex}]`, 'scenario faults: how the app misbehaves');
  world.decide({
    node: pod.appNode,
    layer: 'app',
    kind: 'fault',
    summary: 'app fault: closed the connection before reading the request',
    cause,
    requestId: req.id,
    attempt: ex.attempt,
  });
  const reply = {
    status: 0,
    failure: 'reset' as const,
    beforeRequest: true,
    reason: `${pod.name} closed the connection before the request was written`,
    mtls: ex.mtls,
  };
  if (!ex.proxy) return respond(reply);
  world.arrive(world.flight({ kind: 'tcp', from: pod.appNode, to: ex.proxy.node, delayMs: 0, label: 'RST', requestId: req.id, attempt: ex.attempt }), () =>
    respond(reply),
  );
}
