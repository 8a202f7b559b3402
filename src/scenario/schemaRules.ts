/**
 * What goes wrong and what the mesh is told to do about it: faults and the mesh-neutral
 * policies (DESIGN.md "Scenario files"). Part of the scenario schema (schema.ts).
 */
import { z } from './zodSetup.ts';
import { durationMs, percent, positiveDurationMs, wholeNumber } from './units.ts';
import { dnsName } from './schemaWorld.ts';

export const faultSchema = z
  .strictObject({
    pod: z.string().optional().describe('The pod that misbehaves (reviews-1). Give pod or service.'),
    service: z.string().optional().describe('Every pod of this service misbehaves. Give pod or service.'),
    /** The app answers this status for this share of requests. */
    errors: z
      .strictObject({
        status: wholeNumber(100, 599).describe('The HTTP status the app answers.'),
        rate: percent.describe('The share of requests that get it (50%).'),
      })
      .optional()
      .describe('The app answers { status: 503, rate: 50% }: this HTTP status for this share of requests.'),
    /** The app's next requests answer with these statuses, in order, then normally. */
    responses: z
      .array(wholeNumber(100, 599))
      .min(1)
      .optional()
      .describe("The app's next requests answer with these statuses, in order ([503, 503, 200]), then normally."),
    /**
     * The app closes the connection from its sidecar before reading the request, for this share of
     * requests (an idle keep-alive connection closed just as it is reused, envoyproxy/envoy#10007).
     * The request never reaches the app; Istio 1.24+ sidecars retry it inbound (FIDELITY B1).
     */
    resets: z
      .strictObject({ rate: percent.describe('The share of requests whose connection is closed (10%).') })
      .optional()
      .describe(
        'The app closes the connection before reading the request, for { rate } of requests: the request never reaches the app (Istio 1.24+ sidecars retry it).',
      ),
    /** Extra app time for this share of requests. */
    delay: z
      .strictObject({
        time: positiveDurationMs.describe('The extra app time.'),
        rate: percent.default(1).describe('The share of requests delayed (default 100%).'),
      })
      .optional()
      .describe('Extra app time { time: 3s, rate: 40% } for this share of requests (default rate 100%).'),
    /** The pod's containers stop; with restartAfter they come back. */
    crash: z
      .strictObject({
        at: durationMs.describe('When the containers stop.'),
        restartAfter: positiveDurationMs.optional().describe('How long until they come back (default: never).'),
      })
      .optional()
      .describe("The pod's containers stop { at: 4s }; with restartAfter: 3s they come back."),
    /** The pod's workload certificate: expires at this time and is not renewed, or names another identity. */
    certificate: z
      .strictObject({
        expireAt: durationMs.optional().describe('When the certificate expires; it is not renewed.'),
        identity: z
          .strictObject({
            serviceAccount: dnsName.describe('The ServiceAccount the certificate names.'),
            namespace: dnsName.optional().describe("Its namespace (default: the pod's)."),
          })
          .optional()
          .describe("The certificate names another identity than the pod's own."),
      })
      .optional()
      .describe("The pod's workload certificate: expireAt makes it expire then, unrenewed; identity makes it name another ServiceAccount (and namespace)."),
    /** The network between the pod and another pod (or the control plane) is cut from `from` to `until`. */
    link: z
      .strictObject({ to: z.string().describe('The other end: a pod, or control-plane.') })
      .optional()
      .describe('The network between the pod and another pod, or the control plane (to: control-plane), is cut from from to until.'),
    /** The control plane stops (from `from` to `until`): no certificates, no config pushes, no lookups. */
    controlPlane: z
      .literal('down')
      .optional()
      .describe('down: the control plane stops from from to until — no certificates, no config pushes, no endpoint lookups.'),
    from: durationMs.optional().describe('When the fault starts (default: the start of the run). Not for crash or certificate, which carry their own times.'),
    until: durationMs.optional().describe('When the fault ends (default: the end of the run).'),
  })
  .superRefine((f, ctx) => {
    if (f.controlPlane !== undefined) {
      if (f.pod !== undefined || f.service !== undefined) ctx.addIssue({ code: 'custom', message: 'controlPlane: down names no pod or service' });
    } else if ((f.pod === undefined) === (f.service === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must name exactly one of pod or service' });
    }
    const kinds = [f.errors, f.responses, f.resets, f.delay, f.crash, f.certificate, f.link, f.controlPlane].filter((v) => v !== undefined).length;
    if (kinds === 0) ctx.addIssue({ code: 'custom', message: 'must set one of errors, responses, resets, delay, crash, certificate, link or controlPlane' });
    if (f.link && f.pod === undefined) ctx.addIssue({ code: 'custom', path: ['link'], message: 'needs pod: the end of the link it cuts' });
    if (f.certificate && f.pod === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['certificate'],
        message: `needs pod: a certificate fault changes one pod's certificate${f.service ? ` (name one of ${f.service}'s pods, not the service)` : ''}`,
      });
    if (f.certificate && f.certificate.expireAt === undefined && f.certificate.identity === undefined)
      ctx.addIssue({ code: 'custom', path: ['certificate'], message: 'must set expireAt or identity (or both)' });
    // from/until time errors, resets, delay, responses, link and controlPlane; a crash and a certificate have their own times.
    const timedElsewhere = [
      ...(f.crash ? ['a crash: crash.at and crash.restartAfter set when the pod stops and comes back'] : []),
      ...(f.certificate ? ['a certificate: certificate.expireAt sets when it expires'] : []),
    ];
    if (timedElsewhere.length > 0) {
      const others = [f.errors && 'errors', f.responses && 'responses', f.resets && 'resets', f.delay && 'delay'].filter(Boolean);
      const split = others.length ? `; put ${others.join(' and ')} in a fault of its own to time ${others.length > 1 ? 'them' : 'it'} with from and until` : '';
      for (const key of ['from', 'until'] as const)
        if (f[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], params: { atKey: true }, message: `has no effect on ${timedElsewhere.join(', nor on ')}${split}` });
    }
    if (f.from !== undefined && f.until !== undefined && f.until <= f.from) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after from' });
  });

/** Retry-on conditions of the mesh-neutral retry intent. */
const RETRY_CONDITIONS = ['5xx', 'gateway-error', 'connect-failure', 'reset', 'retriable-4xx'] as const;

export const policiesSchema = z.strictObject({
  /** strict: only mTLS is accepted; permissive: plaintext too; off: no mTLS. */
  mtls: z
    .enum(['strict', 'permissive', 'off'])
    .optional()
    .describe(
      'Mesh-wide mTLS: strict (only mTLS is accepted), permissive (plaintext too) or off. Istio: a PeerAuthentication; Linkerd: a default inbound policy.',
    ),
  retries: z
    .array(
      z.strictObject({
        service: z.string().describe('The called service the retries apply to.'),
        attempts: wholeNumber(0, 100).describe('Retries after the first try (0 turns them off).'),
        on: z
          .array(z.union([z.enum(RETRY_CONDITIONS), wholeNumber(100, 599)]))
          .min(1)
          .optional()
          .describe('What is retried: 5xx, gateway-error, connect-failure, reset, retriable-4xx, or status codes.'),
        perTryTimeout: positiveDurationMs.optional().describe('How long each try may take before it is abandoned and retried.'),
      }),
    )
    .optional()
    .describe('Retries toward a service, mesh-neutral: Istio writes them into a VirtualService, Linkerd into retry annotations on the Service.'),
  timeouts: z
    .array(
      z.strictObject({ service: z.string().describe('The called service.'), request: positiveDurationMs.describe('The deadline for each whole request.') }),
    )
    .optional()
    .describe(
      "A deadline for whole requests to a service { service, request: 1s }, retries included: a VirtualService timeout, or Linkerd's timeout annotation.",
    ),
  /**
   * Circuit breaking toward a service. Istio: a DestinationRule connectionPool (maxConnections,
   * maxPending, maxRequests) and outlierDetection (consecutiveErrors, ejection); Linkerd has no
   * pool limits, and `consecutiveErrors` becomes failure accrual (FIDELITY C1–C3).
   */
  circuitBreaking: z
    .array(
      z.strictObject({
        service: z.string().describe('The called service the limits protect.'),
        maxConnections: wholeNumber(1).optional().describe('Istio: the most TCP connections to the service (connectionPool.tcp.maxConnections).'),
        maxPending: wholeNumber(1)
          .optional()
          .describe('Istio: the most requests waiting for a connection (http1MaxPendingRequests); more overflow with 503 UO.'),
        maxRequests: wholeNumber(1).optional().describe('Istio: the most requests in flight (http2MaxRequests).'),
        consecutiveErrors: wholeNumber(1)
          .optional()
          .describe('Failures in a row that take an endpoint out: Istio outlier detection, Linkerd consecutive failure accrual.'),
        ejection: positiveDurationMs
          .optional()
          .describe("How long an ejected endpoint stays out at first: Istio's baseEjectionTime, Linkerd's failure-accrual minimum penalty."),
      }),
    )
    .optional()
    .describe(
      'Connection-pool limits and ejection of failing endpoints toward a service. Linkerd has no pool limits; consecutiveErrors becomes failure accrual.',
    ),
  /**
   * Endpoint selection toward a service. Istio: DestinationRule loadBalancer; Linkerd always
   * balances by peak-EWMA latency and has no such setting (FIDELITY D1, D2).
   */
  loadBalancing: z
    .array(
      z.strictObject({
        service: z.string().describe('The called service.'),
        algorithm: z.enum(['least-request', 'round-robin', 'random']).describe('least-request, round-robin or random.'),
      }),
    )
    .optional()
    .describe(
      "How the client's proxy picks an endpoint: least-request, round-robin or random (Istio DestinationRule loadBalancer). Linkerd always balances by latency (EWMA).",
    ),
  /**
   * Traffic to hosts outside the cluster: `allow-any` lets it all out (both meshes' default);
   * `registry-only` lets out only the hosts in `allow` (Istio REGISTRY_ONLY + ServiceEntry; Linkerd
   * an EgressNetwork that denies, plus routes for the allowed hosts). With `gateway`, Istio sends
   * allowed traffic through an egress gateway (FIDELITY E1, E2).
   */
  egress: z
    .strictObject({
      mode: z
        .enum(['allow-any', 'registry-only'])
        .describe("allow-any: every outside host is reachable (both meshes' default); registry-only: only the hosts in allow."),
      allow: z.array(z.string()).default([]).describe('With registry-only: the outside hosts traffic may reach.'),
      gateway: z.boolean().default(false).describe('Istio: send allowed outside traffic through an egress gateway (default false).'),
    })
    .optional()
    .describe("Traffic to hosts outside the cluster: Istio's outboundTrafficPolicy, ServiceEntry and egress gateway; Linkerd's EgressNetwork."),
});
