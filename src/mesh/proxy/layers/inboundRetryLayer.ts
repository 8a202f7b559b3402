/**
 * Inbound retry layer: the server's sidecar sends the request to its app, and when the app's
 * connection is reset before the request was written, either retries it (Istio 1.24+: the
 * default inbound route retries `reset-before-request` twice — FIDELITY B1) or answers the
 * client with its own local reply for a reset (Istio 503 UC, Linkerd 502), never a bare reset.
 */
import type { InboundExchange, InboundLayer, Respond } from '../exchange.ts';
import type { Rng } from '../../../sim/index.ts';
import type { InboundRetryPolicy } from '../../config.ts';
import { backoffMs } from './retryLayer.ts';

export const inboundRetryLayer: InboundLayer = {
  name: 'inboundRetry',
  wrap: (next) => {
    /** Try `n` of the request to the app. Plain arguments, not a closure per request: only a reset needs more. */
    const attempt = (ex: InboundExchange, respond: Respond, policy: InboundRetryPolicy | null, rng: Rng | undefined, n: number): void =>
      next(ex, (res) => {
        if (!res.beforeRequest) return respond(res);
        const { world, pod, req } = ex;
        const proxy = ex.proxy!;
        const reply = world.profile.replies.reset;
        if (policy && n - 1 < policy.maxRetries && rng) {
          const wait = backoffMs(policy, n, rng.next());
          world.decide({
            node: proxy.node,
            layer: 'inboundRetry',
            kind: 'retry',
            summary: `the app reset the connection before the request was written; inbound retry ${n} of ${policy.maxRetries} after ${wait}ms backoff`,
            cause: policy.cause,
            requestId: req.id,
            attempt: ex.attempt,
            data: { backoffMs: wait, retry: n, maxRetries: policy.maxRetries },
          });
          world.scheduler.after(wait, () => {
            if (pod.up) attempt(ex, respond, policy, rng, n + 1);
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
          requestId: req.id,
          attempt: ex.attempt,
        });
        respond({ status: reply.status, reason, local: true, mtls: ex.mtls, endpoint: pod.name });
      });
    return (ex, respond) => {
      const proxy = ex.proxy!;
      // The policy and the proxy's randomness as they are when the request arrives.
      attempt(ex, respond, ex.world.configOf(proxy).inboundRetry(ex.pod), proxy.rng, 1);
    };
  },
};
