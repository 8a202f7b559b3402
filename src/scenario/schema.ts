/**
 * The scenario file (DESIGN.md "Scenario files"): the one definition of its format. TypeScript
 * types and the JSON Schema for editors both come from here. Every object is strict: an unknown
 * key is an error (with a "did you mean"), never silently ignored.
 */
import { z } from './zodSetup.ts';
import { comparison, describe, durationMs, httpMethod, percent, portNumber, positiveDurationMs, ratePerSec, wholeNumber } from './units.ts';
import { istioResource } from './native/istio.ts';
import { linkerdResource } from './native/linkerd.ts';
import { jwtCollides, trafficJwt } from './trafficJwt.ts';
import { ipv4Text } from './native/cidrSchema.ts';
import { NARRATION_TRIGGERS } from '../sim/decisions.ts';
import { MESH_RELEASES, unknownRelease } from './meshReleases.ts';

const dnsName = z
  .string({ error: (iss) => `must be a name (got ${describe(iss.input)})` })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a lowercase name like "reviews" (letters, digits, dashes)' });

/** App time per request: a fixed duration, or a log-normal shape given by its p50 and p99. */
const latency = z.union([durationMs, z.strictObject({ p50: durationMs, p99: durationMs })], {
  error: (iss) => `must be a duration like 30ms or { p50: 20ms, p99: 120ms } (got ${describe(iss.input)})`,
});

export const serviceSchema = z.strictObject({
  name: dnsName,
  namespace: dnsName.default('default'),
  /** Defaults to the service name. */
  serviceAccount: dnsName.optional(),
  port: portNumber.default(80),
  /** false: no sidecar is injected. */
  meshed: z.boolean().default(true),
  /** Pods per version. */
  replicas: wholeNumber(1, 50).default(1),
  /** Pods `<name>-<version>-<i>`, labelled `version: <version>` for DestinationRule subsets. */
  versions: z.array(dnsName).min(1).optional(),
  latency: latency.prefault('5ms'),
  /**
   * Calls the app makes, one after the other, while it handles each request (a chain:
   * productpage → reviews → ratings). A failed call fails the request with the same status
   * (502 when no response came back), unless `onError: ignore`.
   */
  calls: z
    .array(
      z.strictObject({
        to: z.string(),
        method: httpMethod.default('GET'),
        path: z.string().startsWith('/', { message: 'must start with /' }).default('/'),
        onError: z.enum(['propagate', 'ignore']).default('propagate'),
      }),
    )
    .default([]),
});

export const externalSchema = z.strictObject({
  host: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a host name like api.example.com' }),
  protocol: z.enum(['http', 'https']).default('https'),
  port: portNumber.optional(),
  /** Round trip to the host is twice this, plus the host's own latency. */
  latency: durationMs.prefault('20ms'),
  /** The host's address (for CIDR rules such as Linkerd EgressNetwork networks); one from 203.0.113.0/24 by default. */
  ip: ipv4Text('203.0.113.10').optional(),
});

/** A caller outside the cluster (a browser, a partner's server) that reaches it through the ingress. */
export const clientSchema = z.strictObject({
  name: dnsName,
  /** Its address; one from 198.51.100.0/24 by default. */
  ip: ipv4Text('198.51.100.7').optional(),
  /** One-way latency to the cluster's edge. */
  latency: durationMs.prefault('10ms'),
});

/** A Kubernetes node and the pods pinned to it (the others are spread over every node). */
export const clusterNodeSchema = z.strictObject({
  name: dnsName,
  /** Pods scheduled on this node (`reviews-0`); pods no node lists are spread over all of them in turn. */
  pods: z.array(z.string()).default([]),
});

/**
 * The cluster's Kubernetes nodes: how many (named node-1, node-2...), or each by name with the
 * pods pinned to it. Unset, pods spread over two nodes (one when there is a single pod).
 */
export const nodesSchema = z.union([wholeNumber(1, 20), z.array(clusterNodeSchema).min(1, { message: 'must list at least one node' })], {
  error: (iss) => `must be a number of nodes (1 to 20) or a list like [{ name: node-1, pods: [reviews-0] }] (got ${describe(iss.input)})`,
});

/**
 * The cluster's front door, mesh-neutral: requests for `host` from outside go to the services its
 * routes name. Istio gets a Gateway and a VirtualService bound to it (FIDELITY E1); Linkerd a
 * meshed ingress-nginx with service-upstream (E2).
 */
export const ingressSchema = z.strictObject({
  host: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a host name like bookinfo.example.com' }),
  routes: z
    .array(z.strictObject({ pathPrefix: z.string().startsWith('/', { message: 'must start with /' }).prefault('/'), service: z.string() }))
    .min(1, { message: 'must list at least one route' }),
});

export const trafficSchema = z
  .strictObject({
    /** A service (requests spread over its pods in turn), one pod, or an outside client. */
    from: z.string(),
    /** A service, an external host, or the ingress host. */
    to: z.string(),
    /** Open loop: requests per second between start and stop. */
    rate: ratePerSec.optional(),
    /** One request at this time. */
    at: durationMs.optional(),
    /** Closed loop: this many requests, `concurrency` at a time (like fortio -c); concurrency is refused without count (ignored.ts). */
    count: wholeNumber(1, 1_000_000).optional(),
    concurrency: wholeNumber(1, 1000).default(1),
    start: durationMs.prefault('0s'),
    stop: durationMs.optional(),
    method: httpMethod.default('GET'),
    path: z.string().startsWith('/', { message: 'must start with /' }).default('/'),
    headers: z.record(z.string(), z.string()).default({}),
    bodyBytes: wholeNumber(0).default(0),
    /** An end-user token, sent as `authorization: Bearer …` (Istio RequestAuthentication; FIDELITY A5). */
    jwt: trafficJwt.optional(),
  })
  .superRefine((t, ctx) => {
    const set = (['rate', 'at', 'count'] as const).filter((k) => t[k] !== undefined);
    if (set.length === 0) ctx.addIssue({ code: 'custom', message: 'must set one of rate (open loop), at (one request) or count (closed loop)' });
    if (set.length > 1) ctx.addIssue({ code: 'custom', message: `must set only one of rate, at or count (got ${set.join(' and ')})` });
    if (jwtCollides(t)) ctx.addIssue({ code: 'custom', path: ['jwt'], message: 'cannot be combined with an authorization header: the token is that header' });
    if (t.stop !== undefined && t.at !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['stop'],
        params: { atKey: true },
        message: 'has no effect with at: the source sends one request (stop ends a rate or count source)',
      });
    else if (t.stop !== undefined && t.stop <= t.start) ctx.addIssue({ code: 'custom', path: ['stop'], message: 'must be after start' });
  });

export const faultSchema = z
  .strictObject({
    pod: z.string().optional(),
    service: z.string().optional(),
    /** The app answers this status for this share of requests. */
    errors: z.strictObject({ status: wholeNumber(100, 599), rate: percent }).optional(),
    /** The app's next requests answer with these statuses, in order, then normally. */
    responses: z.array(wholeNumber(100, 599)).min(1).optional(),
    /**
     * The app closes the connection from its sidecar before reading the request, for this share of
     * requests (an idle keep-alive connection closed just as it is reused, envoyproxy/envoy#10007).
     * The request never reaches the app; Istio 1.24+ sidecars retry it inbound (FIDELITY B1).
     */
    resets: z.strictObject({ rate: percent }).optional(),
    /** Extra app time for this share of requests. */
    delay: z.strictObject({ time: positiveDurationMs, rate: percent.default(1) }).optional(),
    /** The pod's containers stop; with restartAfter they come back. */
    crash: z.strictObject({ at: durationMs, restartAfter: positiveDurationMs.optional() }).optional(),
    /** The pod's workload certificate: expires at this time and is not renewed, or names another identity. */
    certificate: z
      .strictObject({
        expireAt: durationMs.optional(),
        identity: z.strictObject({ serviceAccount: dnsName, namespace: dnsName.optional() }).optional(),
      })
      .optional(),
    /** The network between the pod and another pod (or the control plane) is cut from `from` to `until`. */
    link: z.strictObject({ to: z.string() }).optional(),
    /** The control plane stops (from `from` to `until`): no certificates, no config pushes, no lookups. */
    controlPlane: z.literal('down').optional(),
    from: durationMs.optional(),
    until: durationMs.optional(),
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
  mtls: z.enum(['strict', 'permissive', 'off']).optional(),
  retries: z
    .array(
      z.strictObject({
        service: z.string(),
        attempts: wholeNumber(0, 100),
        on: z
          .array(z.union([z.enum(RETRY_CONDITIONS), wholeNumber(100, 599)]))
          .min(1)
          .optional(),
        perTryTimeout: positiveDurationMs.optional(),
      }),
    )
    .optional(),
  timeouts: z.array(z.strictObject({ service: z.string(), request: positiveDurationMs })).optional(),
  /**
   * Circuit breaking toward a service. Istio: a DestinationRule connectionPool (maxConnections,
   * maxPending, maxRequests) and outlierDetection (consecutiveErrors, ejection); Linkerd has no
   * pool limits, and `consecutiveErrors` becomes failure accrual (FIDELITY C1–C3).
   */
  circuitBreaking: z
    .array(
      z.strictObject({
        service: z.string(),
        maxConnections: wholeNumber(1).optional(),
        maxPending: wholeNumber(1).optional(),
        maxRequests: wholeNumber(1).optional(),
        consecutiveErrors: wholeNumber(1).optional(),
        ejection: positiveDurationMs.optional(),
      }),
    )
    .optional(),
  /**
   * Endpoint selection toward a service. Istio: DestinationRule loadBalancer; Linkerd always
   * balances by peak-EWMA latency and has no such setting (FIDELITY D1, D2).
   */
  loadBalancing: z.array(z.strictObject({ service: z.string(), algorithm: z.enum(['least-request', 'round-robin', 'random']) })).optional(),
  /**
   * Traffic to hosts outside the cluster: `allow-any` lets it all out (both meshes' default);
   * `registry-only` lets out only the hosts in `allow` (Istio REGISTRY_ONLY + ServiceEntry; Linkerd
   * an EgressNetwork that denies, plus routes for the allowed hosts). With `gateway`, Istio sends
   * allowed traffic through an egress gateway (FIDELITY E1, E2).
   */
  egress: z
    .strictObject({
      mode: z.enum(['allow-any', 'registry-only']),
      allow: z.array(z.string()).default([]),
      gateway: z.boolean().default(false),
    })
    .optional(),
});

export const narrationSchema = z
  .strictObject({
    at: durationMs.optional(),
    /** Events a narration line can wait for (the first one in the run); the decision table says which decisions fire which. */
    on: z.enum(NARRATION_TRIGGERS).optional(),
    text: z.string().min(1),
    /** Only shown under this mesh (for lines about what one mesh does). */
    mesh: z.enum(['istio', 'linkerd']).optional(),
  })
  .superRefine((n, ctx) => {
    if ((n.at === undefined) === (n.on === undefined)) ctx.addIssue({ code: 'custom', message: 'must set exactly one of at or on' });
  });

/** What a checkpoint's answer is computed from: the simulation, never the file. */
export const CHECKPOINT_MEASURES = [
  'client-errors',
  'retries',
  'failed-handshakes',
  'mtls-requests',
  'plaintext-requests',
  'ejections',
  'denied-requests',
  'timeouts',
  'overflows',
  'certificates-issued',
  'requests-received',
] as const;

/**
 * A predict-then-reveal question. The answer is measured in the run — never written in the file:
 * for `yes-no`, "yes" when the measure is above zero between `at` and `until` (or the end).
 */
export const checkpointSchema = z
  .strictObject({
    at: durationMs,
    question: z.string().min(1),
    measure: z.enum(CHECKPOINT_MEASURES),
    /** Only requests to this service (or external host) count, where the measure is about requests. */
    service: z.string().optional(),
    /** Only requests from this service (or pod, or outside client) count. */
    from: z.string().optional(),
    answer: z.enum(['yes-no', 'number']).default('yes-no'),
    /** For yes-no: the answer is yes when the measure is above zero (`some`) or zero (`none`). */
    yesWhen: z.enum(['some', 'none']).default('some'),
    until: durationMs.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.until !== undefined && c.until <= c.at) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after at' });
  });

/** Figures of the run report that `expect` can check. */
export const expectationSchema = z.strictObject({
  total: comparison.optional(),
  ok: comparison.optional(),
  failed: comparison.optional(),
  okRate: comparison.optional(),
  retries: comparison.optional(),
  mtlsRate: comparison.optional(),
  p50: comparison.optional(),
  p99: comparison.optional(),
  handshakesOk: comparison.optional(),
  handshakesFailed: comparison.optional(),
  certificates: comparison.optional(),
  byStatus: z.record(z.string().regex(/^\d{1,3}$/, { message: 'must be a status code' }), comparison).optional(),
  /** Requests whose reason starts with the key (`UO`, `URX`, `forbidden`, ...). */
  byReason: z.record(z.string(), comparison).optional(),
  /** Requests that reached each pod's application. */
  received: z.record(z.string(), comparison).optional(),
});

export const scenarioSchema = z.strictObject({
  id: dnsName,
  title: z.string().min(1),
  description: z.string().optional(),
  seed: wholeNumber(0, 2 ** 32 - 1).default(1),
  duration: positiveDurationMs,
  /**
   * warm: at 0s the mesh is already running (pods ready, certificates issued, config pushed);
   * cold: watch it start — sidecar injection, identity bootstrap, the first config push.
   */
  startup: z.enum(['warm', 'cold']).default('warm'),
  network: z
    .strictObject({
      /** One-way latency between two pods, and between a pod and the control plane. */
      latency: durationMs.prefault('1ms'),
      /** How long Kubernetes takes to tell the control plane that a pod's readiness changed. */
      endpointDelay: durationMs.prefault('500ms'),
    })
    .prefault({}),
  nodes: nodesSchema.optional(),
  services: z.array(serviceSchema).min(1, { message: 'must list at least one service' }),
  external: z.array(externalSchema).default([]),
  clients: z.array(clientSchema).default([]),
  ingress: ingressSchema.optional(),
  traffic: z.array(trafficSchema).default([]),
  faults: z.array(faultSchema).default([]),
  policies: policiesSchema.prefault({}),
  istio: z.array(istioResource).default([]),
  linkerd: z.array(linkerdResource).default([]),
  /**
   * The release each mesh runs as (`istio: "1.23"`), where behaviour differs between releases;
   * unset, the current line (meshReleases.ts). The URL (`?istio=1.23`) can choose another.
   */
  meshVersions: z
    .strictObject({
      istio: z.enum(MESH_RELEASES.istio.known, { error: (iss) => unknownRelease('istio', iss.input)! }).optional(),
      linkerd: z.enum(MESH_RELEASES.linkerd.known, { error: (iss) => unknownRelease('linkerd', iss.input)! }).optional(),
    })
    .optional(),
  /**
   * Config changes during the run, as an operator would apply them: policies replaced key by key,
   * native resources added (or replacing the one of the same kind, name and namespace). The
   * control plane propagates each change; proxies switch when the push reaches them.
   */
  changes: z
    .array(
      z.strictObject({
        at: durationMs,
        policies: policiesSchema.optional(),
        istio: z.array(istioResource).optional(),
        linkerd: z.array(linkerdResource).optional(),
      }),
    )
    .default([]),
  narration: z.array(narrationSchema).default([]),
  checkpoints: z.array(checkpointSchema).default([]),
  expect: z.strictObject({ istio: expectationSchema.optional(), linkerd: expectationSchema.optional() }).default({}),
});

/** A validated scenario, with durations in ms and percentages as fractions. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type Policies = z.output<typeof policiesSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type NarrationSpec = z.output<typeof narrationSchema>;
export type CheckpointSpec = z.output<typeof checkpointSchema>;
