/**
 * Load-balance layer (endpoint stage): picks the pod this attempt goes to, among the endpoints
 * this proxy currently knows for the backend's cluster (which may lag the control plane),
 * narrowed to its subset and to the endpoints passive health checking allows (Istio outlier
 * detection, Linkerd failure accrual). On a retry it prefers pods not tried yet when the policy
 * says so (Envoy's previous_hosts predicate, re-drawing up to host_selection_retry_max_attempts
 * times; not with consistent hashing — FIDELITY B1). When failure accrual leaves a backend with
 * nothing, Linkerd tries another backend of the route (FIDELITY C3).
 */
import type { Backend } from '../../config.ts';
import type { HttpRequest, Pod } from '../../types.ts';
import { addTried, type Exchange, type Handler, type OutboundLayer, type Respond } from '../exchange.ts';
import type { UpstreamCluster } from '../UpstreamCluster.ts';
import { chooseLocality } from '../locality.ts';

export const loadBalanceLayer: OutboundLayer = {
  name: 'loadBalance',
  wrap: (next) => (ex, respond) => {
    const { world, proxy } = ex;
    if (ex.external || !ex.backend) return next(ex, respond);
    const target = world.services.get(ex.backend.service);
    // A backend other than the addressed service needs its own lookup (Linkerd opens a watch for it).
    if (target && target !== ex.service) world.controlPlane.discover(proxy, target, () => pickAndSend(ex, next, respond));
    else pickAndSend(ex, next, respond);
  },
};

/** `reviews` or `reviews/v2`: a backend as messages name it. */
const label = (b: Backend): string => `${b.service}${b.subset ? `/${b.subset.name}` : ''}`;

/** Endpoints of a backend the balancer may use now, with the health note if any. */
function candidates(ex: Exchange, backend: Backend, cluster: UpstreamCluster): { all: Pod[]; usable: Pod[]; note?: string } {
  const version = backend.subset?.version;
  const known = ex.proxy.endpointsOf(backend.service);
  const all = version === undefined ? known : known.filter((p) => p.version === version);
  if (!cluster.health) return { all, usable: all };
  const u = cluster.health.usable(all);
  return u.note === undefined ? { all, usable: u.pods } : { all, usable: u.pods, note: u.note };
}

function hashKey(req: HttpRequest, hash: { header?: string; sourceIp?: boolean; query?: string } | undefined): string | undefined {
  if (!hash) return undefined;
  if (hash.header) return Object.entries(req.headers).find(([k]) => k.toLowerCase() === hash.header)?.[1] ?? '';
  if (hash.sourceIp) return req.client.ip;
  const query = new URLSearchParams(req.path.split('?')[1] ?? '');
  return query.get(hash.query!) ?? '';
}

function pickAndSend(ex: Exchange, next: Handler, respond: Respond): void {
  const { world, proxy, req } = ex;
  let backend = ex.backend!;
  let cluster = proxy.cluster(backend.service, backend.subset?.name);
  let set = candidates(ex, backend, cluster);
  const health = cluster.health;
  if (set.usable.length === 0 && set.all.length > 0 && ex.rule && ex.rule.backends.length > 1 && health?.policy.kind === 'failure-accrual') {
    for (const other of ex.rule.backends) {
      if (other === backend) continue;
      const c = proxy.cluster(other.service, other.subset?.name);
      const s = candidates(ex, other, c);
      if (s.usable.length > 0) {
        world.decide({
          node: proxy.node,
          layer: 'loadBalance',
          kind: 'backend-fallback',
          summary: `every endpoint of ${label(backend)} is unavailable; trying backend ${label(other)}`,
          cause: health.policy.cause,
          requestId: req.id,
          attempt: ex.attempt,
        });
        backend = other;
        cluster = c;
        set = s;
        ex.backend = other;
        break;
      }
    }
  }
  if (set.usable.length === 0 && backend.failover) {
    // Consul service-resolver failover: the first failover target that has usable endpoints.
    for (const other of backend.failover) {
      const c = proxy.cluster(other.service, other.subset?.name);
      const s = candidates(ex, other, c);
      if (s.usable.length === 0) continue;
      world.decide({
        node: proxy.node,
        layer: 'loadBalance',
        kind: 'failover',
        summary: `${label(backend)} has no usable endpoint (${set.note ?? 'none ready'}); failing over to ${label(other)}`,
        cause: backend.failoverCause ?? cluster.balancer.config.cause,
        requestId: req.id,
        attempt: ex.attempt,
      });
      backend = other;
      cluster = c;
      set = s;
      ex.backend = other;
      break;
    }
  }
  if (set.usable.length === 0) {
    const reply = ex.rule?.replies?.noHealthy ?? world.profile.replies.noHealthy;
    const why = set.all.length === 0 ? `no ready endpoint for ${label(backend)}` : `no healthy endpoint for ${label(backend)}: ${set.note}`;
    // Endpoints exist but none is usable: only a health tracker narrows the set.
    const cause = set.all.length === 0 ? reply.cause : cluster.health!.policy.cause;
    world.decide({ node: proxy.node, layer: 'loadBalance', kind: 'no-endpoint', summary: why, cause, requestId: req.id, attempt: ex.attempt });
    return respond({ status: reply.status, reason: reply.reason, local: true, loopback: true, failure: 'no-endpoint', mtls: false });
  }
  const balancer = cluster.balancer;
  const key = hashKey(req, balancer.config.hash);
  let pool = set.usable;
  const locality = balancer.config.locality;
  if (locality) {
    // Locality first (Envoy priorities and locality weights, proxy/locality.ts), then the balancer inside it.
    const me = proxy.workload ?? proxy.pod;
    const choice = chooseLocality(locality, me?.locality, me?.labels ?? {}, set.all, set.usable, proxy.rng);
    if (choice.summary !== undefined) {
      world.decide({
        node: proxy.node,
        layer: 'loadBalance',
        kind: choice.failover ? 'locality-failover' : 'locality',
        summary: choice.summary,
        cause: locality.cause,
        requestId: req.id,
        attempt: ex.attempt,
      });
      if (choice.pods.length === 0) {
        const reply = ex.rule?.replies?.noHealthy ?? world.profile.replies.noHealthy;
        world.decide({
          node: proxy.node,
          layer: 'loadBalance',
          kind: 'no-endpoint',
          summary: `no endpoint of ${label(backend)} in a locality it may use`,
          cause: locality.cause,
          requestId: req.id,
          attempt: ex.attempt,
        });
        return respond({ status: reply.status, reason: reply.reason, local: true, loopback: true, failure: 'no-endpoint', mtls: false });
      }
      pool = choice.pods;
    }
  }
  let pick = balancer.pick(pool, proxy.rng, world.now, key);
  const policy = ex.rule?.retry;
  let note = set.note ? ` (${set.note})` : '';
  if (ex.attempt > 1 && policy?.avoidPreviousHosts && balancer.config.algorithm !== 'consistent-hash' && pool.some((p) => !ex.request.tried.includes(p.name))) {
    for (let i = 0; i < policy.hostSelectionAttempts && ex.request.tried.includes(pick.pod.name); i++) {
      note += ` (re-drawn: ${pick.pod.name} was already tried)`;
      pick = balancer.pick(pool, proxy.rng, world.now, key);
    }
  }
  const pod = pick.pod;
  ex.cluster = cluster;
  ex.endpoint = pod;
  addTried(ex.request, pod.name);
  const summary = note === '' && pick.words ? pick.words : pick.summary + note;
  world.decideOf(proxy.nodeTraceName, world.pickNames.layer, world.pickNames.kind, summary, balancer.config.cause, req.id, ex.attempt);
  const sentAt = world.now;
  balancer.started(pod);
  cluster.health?.dispatched(pod, req.id);
  next(ex, (res) => {
    const connectFailed = res.failure === 'connect-failure';
    balancer.finished(pod, world.now - sentAt, world.now, connectFailed, connectFailed && balancer.config.reconnectBackoff ? proxy.rng.next() : 0);
    if (!res.overflow) cluster.health?.observe(pod, res, set.all.length, req.id);
    respond(res);
  });
}
