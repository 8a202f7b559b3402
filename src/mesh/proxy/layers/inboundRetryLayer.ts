/**
 * Inbound retry layer: the server's sidecar sends the request to its app, and when the app's
 * connection is reset before the request was written, either retries it (Istio 1.24+: the
 * default inbound route retries `reset-before-request` twice — FIDELITY B1) or answers the
 * client with its own local reply for a reset (Istio 503 UC, Linkerd 502), never a bare reset.
 */
import type { InboundLayer } from '../exchange.ts';
import { backoffMs } from './retryLayer.ts';

export const inboundRetryLayer: InboundLayer = {
  name: 'inboundRetry',
  wrap: (next) => (ex, respond) => {
    const { world, pod, req } = ex;
    const proxy = ex.proxy!;
    const policy = world.configOf(proxy).inboundRetry(pod);
    const meta = { requestId: req.id, attempt: ex.attempt };
    const rng = proxy.rng;
    const attempt = (n: number): void =>
      next(ex, (res) => {
        if (!res.beforeRequest) return respond(res);
        const reply = world.profile.replies.reset;
        if (policy && n - 1 < policy.maxRetries && rng) {
          const wait = backoffMs(policy, n, rng.next());
          world.decide({
            node: proxy.node,
            layer: 'inboundRetry',
            kind: 'retry',
            summary: `the app reset the connection before the request was written; inbound retry ${n} of ${policy.maxRetries} after ${wait}ms backoff`,
            cause: policy.cause,
            ...meta,
            data: { backoffMs: wait, retry: n, maxRetries: policy.maxRetries },
          });
          world.scheduler.after(wait, () => {
            if (pod.up) attempt(n + 1);
          });
          return;
        }
        const exhausted = policy && policy.maxRetries > 0;
        const flag = exhausted ? world.profile.replies.retriesExhaustedFlag : undefined;
        const reason = `${flag ? `${flag} retry limit exceeded (` : ''}${reply.reason}: ${res.reason ?? 'the app reset the connection'}${flag ? ')' : ''}`;
        world.decide({
          node: proxy.node,
          layer: 'inboundRetry',
          kind: 'no-retry',
          summary: `the app reset the connection before the request was written; answered ${reply.status} locally`,
          cause: policy?.cause ?? reply.cause,
          ...meta,
        });
        respond({ status: reply.status, reason, local: true, mtls: ex.mtls, endpoint: pod.name });
      });
    attempt(1);
  },
};
