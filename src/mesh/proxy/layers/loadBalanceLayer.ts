/**
 * Load-balance layer (endpoint stage): picks the pod this attempt goes to, among the endpoints
 * this proxy currently knows for the backend (which may lag the control plane), narrowed to the
 * backend's subset. On a retry it prefers pods not tried yet when the policy says so (Envoy's
 * previous_hosts predicate, re-drawing up to host_selection_retry_max_attempts times).
 */
import type { Exchange, Handler, OutboundLayer, Respond } from '../exchange.ts';

export const loadBalanceLayer: OutboundLayer = {
  name: 'loadBalance',
  wrap: (next) => (ex, respond) => {
    const { world, proxy, req } = ex;
    if (ex.external || !ex.backend) return next(ex, respond);
    const backend = ex.backend;
    const target = world.services.get(backend.service);
    // A backend other than the addressed service needs its own lookup (Linkerd opens a watch for it).
    if (target && target !== ex.service) world.controlPlane.discover(proxy.pod, target, () => pickAndSend(ex, next, respond));
    else pickAndSend(ex, next, respond);
  },
};

function pickAndSend(ex: Exchange, next: Handler, respond: Respond): void {
  const { world, proxy, req } = ex;
  const backend = ex.backend!;
  const version = backend.subset?.version;
  const endpoints = proxy.endpointsOf(backend.service).filter((p) => version === undefined || p.version === version);
  const balancer = proxy.balancer(backend.service);
  if (endpoints.length === 0) {
    const reply = world.profile.replies.noHealthy;
    world.decide(
      proxy.node,
      'loadBalance',
      'no-endpoint',
      `no ready endpoint for ${backend.service}${backend.subset ? `/${backend.subset.name}` : ''}`,
      reply.cause,
      {
        requestId: req.id,
        attempt: ex.attempt,
      },
    );
    return respond({ status: reply.status, reason: reply.reason, local: true, mtls: false });
  }
  let pick = balancer.pick(endpoints, proxy.rng, world.now);
  const policy = ex.rule?.retry;
  let note = '';
  if (ex.attempt > 1 && policy?.avoidPreviousHosts && endpoints.some((p) => !ex.request.tried.includes(p.name))) {
    for (let i = 0; i < policy.hostSelectionAttempts && ex.request.tried.includes(pick.pod.name); i++) {
      note = ` (re-drawn: ${pick.pod.name} was already tried)`;
      pick = balancer.pick(endpoints, proxy.rng, world.now);
    }
  }
  ex.endpoint = pick.pod;
  ex.request.tried.push(pick.pod.name);
  world.decide(proxy.node, 'loadBalance', 'endpoint', pick.summary + note, balancer.config.cause, { requestId: req.id, attempt: ex.attempt });
  const sentAt = world.now;
  balancer.started(pick.pod);
  next(ex, (res) => {
    balancer.finished(pick.pod, world.now - sentAt, world.now);
    respond(res);
  });
}
