/**
 * Timeouts, in two places of the pipeline:
 *
 * - {@link requestTimeoutLayer} sits above the retry layer: Envoy's route timeout "includes all
 *   retries" (FIDELITY B1), and Linkerd's request timeout bounds the whole stream (B4). When it
 *   fires the caller gets 504 and no further attempt starts.
 * - {@link attemptTimeoutLayer} sits below it and restarts with every attempt: Istio's
 *   `perTryTimeout`, Linkerd's `retry.linkerd.io/timeout` (retriable) and Linkerd's response /
 *   idle timeouts (504, never retried — B4).
 */
import type { OutboundLayer } from '../exchange.ts';

export const requestTimeoutLayer: OutboundLayer = {
  name: 'requestTimeout',
  wrap: (next) => (ex, respond) => {
    const t = ex.rule?.timeouts;
    if (!t?.requestMs) return next(ex, respond);
    const { world, proxy, req } = ex;
    let settled = false;
    const timer = world.scheduler.after(t.requestMs, () => {
      if (settled) return;
      settled = true;
      ex.request.done = true;
      ex.request.abortAttempt?.();
      const reply = world.profile.replies.requestTimeout;
      world.decide({
        node: proxy.node,
        layer: 'requestTimeout',
        kind: 'timeout',
        summary: `request timeout ${t.requestMs}ms fired after ${ex.request.attempts} attempt(s): ${reply.status}`,
        cause: t.requestCause!,
        requestId: req.id,
        attempt: ex.request.attempts,
      });
      respond({ status: reply.status, reason: reply.reason, local: true, final: true, mtls: false });
    });
    next(ex, (res) => {
      if (settled) return;
      settled = true;
      world.scheduler.cancel(timer);
      respond(res);
    });
  },
};

export const attemptTimeoutLayer: OutboundLayer = {
  name: 'attemptTimeout',
  wrap: (next) => (ex, respond) => {
    const t = ex.rule?.timeouts;
    const retriable = t?.attemptMs;
    const final = t?.responseMs;
    if (!retriable && !final) return next(ex, respond);
    const { world, proxy, req } = ex;
    // The tighter of the two decides; a tie goes to the non-retriable one.
    const useFinal = final !== undefined && (retriable === undefined || final <= retriable);
    const ms = useFinal ? final! : retriable!;
    const cause = useFinal ? t!.responseCause! : t!.attemptCause!;
    let settled = false;
    const timer = world.scheduler.after(ms, () => {
      if (settled || ex.request.done) return;
      settled = true;
      ex.abandoned = true;
      ex.abort?.();
      const reply = world.profile.replies.attemptTimeout;
      world.decide({
        node: proxy.node,
        layer: 'attemptTimeout',
        kind: 'timeout',
        summary: `${useFinal ? 'response' : 'per-try'} timeout ${ms}ms fired on attempt ${ex.attempt}`,
        cause,
        requestId: req.id,
        attempt: ex.attempt,
      });
      respond(
        useFinal
          ? { status: reply.status, reason: reply.reason, local: true, final: true, mtls: ex.mtls }
          : { status: reply.status, reason: reply.reason, local: true, failure: 'attempt-timeout', mtls: ex.mtls },
      );
    });
    next(ex, (res) => {
      if (settled) return;
      settled = true;
      world.scheduler.cancel(timer);
      respond(res);
    });
  },
};
