/**
 * The scenario file (DESIGN.md "Scenario files"): the one definition of its format. TypeScript
 * types and the JSON Schema for editors both come from here. Every object is strict: an unknown
 * key is an error (with a "did you mean"), never silently ignored.
 */
import { z } from './zodSetup.ts';
import { comparison, describe, durationMs, httpMethod, percent, portNumber, positiveDurationMs, ratePerSec, wholeNumber } from './units.ts';
import { MESH_CATALOG, catalogRevision, meshCatalog, type MeshEntry } from './catalog.ts';
import { NATIVE_SECTIONS, nativeSections } from './nativeSections.ts';
import type { NativeSection } from './sections.ts';
import { jwtCollides, trafficJwt } from './trafficJwt.ts';
import { ipv4Text } from './native/cidrSchema.ts';
import { NARRATION_TRIGGERS } from '../sim/decisions.ts';
import { MESH_RELEASES, unknownRelease } from './meshReleases.ts';
import { callsSchema } from './calls.ts';

const dnsName = z
  .string({ error: (iss) => `must be a name (got ${describe(iss.input)})` })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a lowercase name like "reviews" (letters, digits, dashes)' });

/** App time per request: a fixed duration, or a log-normal shape given by its p50 and p99. */
const latency = z.union(
  [durationMs, z.strictObject({ p50: durationMs.describe('The median app time.'), p99: durationMs.describe('The 99th percentile app time.') })],
  {
    error: (iss) => `must be a duration like 30ms or { p50: 20ms, p99: 120ms } (got ${describe(iss.input)})`,
  },
);

export const serviceSchema = z.strictObject({
  name: dnsName.describe(
    "The service's name: lowercase letters, digits and dashes. Its pods are <name>-0, <name>-1, … (or <name>-<version>-<i> with versions).",
  ),
  namespace: dnsName
    .default('default')
    .describe(
      'The Kubernetes namespace the service and its pods live in (default: default). It is part of every identity. A name declared in several namespaces is known as name.namespace (httpbin.foo), its pods as <name>-<i>.<namespace>.',
    ),
  /** Defaults to the service name. */
  serviceAccount: dnsName.optional().describe("The ServiceAccount its pods run as, which names their mTLS identity (default: the service's name)."),
  port: portNumber.default(80).describe('The port the service listens on (default 80).'),
  /** false: no sidecar is injected. */
  meshed: z
    .boolean()
    .default(true)
    .describe('false: no sidecar proxy is injected into its pods; they speak plaintext and the mesh does nothing for them (default true).'),
  /**
   * Which data plane carries its pods' traffic, as the namespace labels say it in Istio
   * (FIDELITY-MORE H1, H8): `ambient` (istio.io/dataplane-mode=ambient, the node's ztunnel),
   * `sidecar` (istio-injection=enabled, a proxy in each pod) or `none` (no mesh, as meshed: false).
   * Unset: the mesh's own default (sidecars; ztunnel under Istio ambient).
   */
  dataPlane: z
    .enum(['sidecar', 'ambient', 'none'], { error: (iss) => `must be sidecar, ambient or none (got ${describe(iss.input)})` })
    .optional()
    .describe(
      "Which data plane carries its pods' traffic: sidecar (a proxy in each pod, Istio's istio-injection=enabled), ambient (the node's ztunnel, Istio's istio.io/dataplane-mode=ambient; only under Istio ambient, where sidecar and ambient pods mix) or none (outside the mesh). Default: the mesh's own (sidecars; ztunnel under Istio ambient).",
    ),
  /** Pods per version. */
  replicas: wholeNumber(1, 50).default(1).describe('How many pods the service runs, per version (1 to 50; default 1).'),
  /** Pods `<name>-<version>-<i>`, labelled `version: <version>` for DestinationRule subsets. */
  versions: z
    .array(dnsName)
    .min(1)
    .optional()
    .describe(
      'Versions of the service, each with its own pods <name>-<version>-<i>, labelled version: <version> for DestinationRule subsets and HTTPRoute backends.',
    ),
  /**
   * The zones its pods run in, spread in turn: with `replicas: 2` and `zones: [zone-a, zone-b]`,
   * pod -0 runs in zone-a and -1 in zone-b (per version). `region/zone` names the region too
   * (us-east/us-east-1a); a bare zone has no region. A caller's zone is its own pod's (the
   * Kubernetes topology.kubernetes.io/region and /zone labels Istio reads its locality from).
   */
  zones: z
    .array(
      z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, {
        message: 'must be a zone like us-east-1a, or region/zone like us-east-1/us-east-1a',
      }),
    )
    .min(1)
    .optional()
    .describe(
      "The zones its pods run in, spread in turn (pod -0 in the first, -1 in the second, … per version): a zone (us-east-1a) or region/zone (us-east-1/us-east-1a). Istio's locality load balancing prefers a caller's own zone; a caller's zone is its pods'.",
    ),
  latency: latency
    .prefault('5ms')
    .describe('How long the app takes to answer a request: a duration (30ms) or a log-normal shape { p50: 20ms, p99: 120ms } (default 5ms).'),
  /**
   * Calls the app makes, one after the other, while it handles each request (a chain:
   * productpage → reviews → ratings), with the app's own timeout, retries and forwarded headers
   * (calls.ts). A failed call fails the request with the same status (502 when no response came
   * back), unless `onError: ignore`.
   */
  calls: callsSchema,
});

export const externalSchema = z.strictObject({
  host: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a host name like api.example.com' })
    .describe("The outside host's name, such as api.example.com: what traffic's to: and the egress policies name."),
  protocol: z.enum(['http', 'https']).default('https').describe("http or https (default https): whether the app's requests to the host travel as TLS."),
  port: portNumber
    .optional()
    .describe(
      "The host's port (default 443 for https, 80 for http). A host listed twice with different ports is one host on two ports (HTTP on 80, HTTPS on 443).",
    ),
  /** What the host answers on this port: 200, or 301 where plain HTTP is redirected to HTTPS (the Egress TLS Origination task's edition.cnn.com). */
  status: wholeNumber(100, 599)
    .default(200)
    .describe('The HTTP status the host answers on this port (default 200; 301 for a port that redirects plain HTTP to HTTPS, as edition.cnn.com does on 80).'),
  /** Round trip to the host is twice this, plus the host's own latency. */
  latency: durationMs.prefault('20ms').describe("One-way network time to the host and back is twice this, plus the host's own answer time (default 20ms)."),
  /** The host's address (for CIDR rules such as Linkerd EgressNetwork networks); one from 203.0.113.0/24 by default. */
  ip: ipv4Text('203.0.113.10')
    .optional()
    .describe("The host's IPv4 address, for CIDR rules such as a Linkerd EgressNetwork's networks (default: one from 203.0.113.0/24)."),
});

/** A caller outside the cluster (a browser, a partner's server) that reaches it through the ingress. */
export const clientSchema = z.strictObject({
  name: dnsName.describe("The client's name, used in traffic's from:."),
  /** Its address; one from 198.51.100.0/24 by default. */
  ip: ipv4Text('198.51.100.7').optional().describe("The client's IPv4 address, for policies that match source addresses (default: one from 198.51.100.0/24)."),
  /** One-way latency to the cluster's edge. */
  latency: durationMs.prefault('10ms').describe("One-way network time from the client to the cluster's edge (default 10ms)."),
});

/** A Kubernetes node and the pods pinned to it (the others are spread over every node). */
export const clusterNodeSchema = z.strictObject({
  name: dnsName.describe("The node's name (node-1)."),
  /** Pods scheduled on this node (`reviews-0`); pods no node lists are spread over all of them in turn. */
  pods: z.array(z.string()).default([]).describe('Pods scheduled on this node (reviews-0); pods no node lists are spread over all of them in turn.'),
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
  host: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a host name like bookinfo.example.com' })
    .describe("The host name outside clients ask for (bookinfo.example.com): Istio's Gateway and VirtualService hosts, the Ingress host under Linkerd."),
  routes: z
    .array(
      z.strictObject({
        pathPrefix: z.string().startsWith('/', { message: 'must start with /' }).prefault('/').describe('Requests whose path starts with this (default /).'),
        service: z.string().describe('The service they go to.'),
      }),
    )
    .min(1, { message: 'must list at least one route' })
    .describe('Which service each path prefix goes to, first match wins.'),
});

export const trafficSchema = z
  .strictObject({
    /** A service (requests spread over its pods in turn), one pod, or an outside client. */
    from: z.string().describe('Who sends: a service (requests spread over its pods in turn), one pod (reviews-1), or an outside client.'),
    /** A service, an external host, or the ingress host. */
    to: z.string().describe('Where the requests go: a service, an external host, or the ingress host.'),
    /** Which port of an external host listed on several (external[].port). */
    port: portNumber
      .optional()
      .describe('The port of an external host the requests go to, when external lists the host on several ports (80 and 443); only for external hosts.'),
    /** Open loop: requests per second between start and stop. */
    rate: ratePerSec.optional().describe('Open loop: this many requests per second (20/s) between start and stop, whatever the answers.'),
    /** One request at this time. */
    at: durationMs.optional().describe('One request, sent at this time (1s).'),
    /** Closed loop: this many requests, `concurrency` at a time (like fortio -c); concurrency is refused without count (ignored.ts). */
    count: wholeNumber(1, 1_000_000)
      .optional()
      .describe('Closed loop: this many requests in all, concurrency at a time, each sent when one finishes (like fortio -c).'),
    concurrency: wholeNumber(1, 1000).default(1).describe('With count: how many requests are in flight at once (default 1).'),
    start: durationMs.prefault('0s').describe('When the source starts sending (default 0s).'),
    stop: durationMs.optional().describe('When a rate or count source stops sending (default: the end of the run).'),
    method: httpMethod.default('GET').describe("The requests' HTTP method (default GET)."),
    path: z
      .string()
      .startsWith('/', { message: 'must start with /' })
      .default('/')
      .describe("The requests' path, starting with / (default /): routes and authorization rules match it."),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers (name: value), for header matches in routes and policies.'),
    bodyBytes: wholeNumber(0).default(0).describe("The request body's size in bytes (default 0): Linkerd does not retry requests with bodies over 64 KiB."),
    /** An end-user token, sent as `authorization: Bearer …` (Istio RequestAuthentication; FIDELITY A5). */
    jwt: trafficJwt
      .optional()
      .describe('An end-user token sent as authorization: Bearer …, for Istio RequestAuthentication and AuthorizationPolicy rules on its claims.'),
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

/** A narration line; `mesh` is one of the catalog's ids. */
const narrationSchemaOf = (meshId: z.ZodType<string>) =>
  z
    .strictObject({
      at: durationMs.optional().describe("The line's time (give at or on)."),
      /** Events a narration line can wait for (the first one in the run); the decision table says which decisions fire which. */
      on: z
        .enum(NARRATION_TRIGGERS)
        .optional()
        .describe(
          'The line waits for the first event of this kind: request, retry, timeout, handshake, certificate, config-push, failure, crash, deny, … (give at or on).',
        ),
      text: z.string().min(1).describe('What the line says.'),
      /** Only shown under this mesh (for lines about what one mesh does). */
      mesh: meshId.optional().describe('Only shown under this mesh, for lines about what one mesh does.'),
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
  // The run report's footprint (FIDELITY-MORE H10, L6): the whole run, not between at and until.
  'proxies',
  'proxy-memory-mb',
] as const;

/**
 * A predict-then-reveal question. The answer is measured in the run — never written in the file:
 * for `yes-no`, "yes" when the measure is above zero between `at` and `until` (or the end).
 */
export const checkpointSchema = z
  .strictObject({
    at: durationMs.describe('When the question is asked: playback pauses there (0s asks before the start).'),
    question: z.string().min(1).describe('The question the learner answers before the run reveals it.'),
    measure: z
      .enum(CHECKPOINT_MEASURES)
      .describe(
        "What the answer is measured from in the run: client-errors, retries, requests-received, failed-handshakes, mtls-requests, plaintext-requests, ejections, denied-requests, timeouts, overflows or certificates-issued; proxies (the data plane's proxies) or proxy-memory-mb (their estimated memory, from published figures) for the whole run.",
      ),
    /** Only requests to this service (or external host) count, where the measure is about requests. */
    service: z.string().optional().describe('Only requests to this service (or external host) count, where the measure is about requests.'),
    /** Only requests from this service (or pod, or outside client) count. */
    from: z.string().optional().describe('Only requests from this service (or pod, or outside client) count.'),
    /** requests-received only: only attempts that reached this pod's app count. */
    pod: z.string().optional().describe("For requests-received: only attempts that reached this pod's app count (backend-1)."),
    answer: z
      .enum(['yes-no', 'number'])
      .default('yes-no')
      .describe('yes-no (default): the learner predicts yes or no; number: the learner predicts the count.'),
    /** For yes-no: the answer is yes when the measure is above zero (`some`) or zero (`none`). */
    yesWhen: z
      .enum(['some', 'none'])
      .default('some')
      .describe('For yes-no: the answer is yes when the measure is above zero (some, the default) or zero (none).'),
    until: durationMs.optional().describe('The end of the measured window (default: the end of the run).'),
  })
  .superRefine((c, ctx) => {
    if (c.until !== undefined && c.until <= c.at) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after at' });
    if (c.pod !== undefined && c.measure !== 'requests-received')
      ctx.addIssue({ code: 'custom', path: ['pod'], message: 'is only for measure: requests-received' });
  });

/** Figures of the run report that `expect` can check. */
export const expectationSchema = z.strictObject({
  total: comparison.optional().describe('Requests in the run, such as ">= 100".'),
  ok: comparison.optional().describe('Requests that ended with a 2xx status.'),
  failed: comparison.optional().describe('Requests that did not end with a 2xx status.'),
  okRate: comparison.optional().describe('The share of requests that ended 2xx, 0 to 1, such as ">= 0.99".'),
  retries: comparison.optional().describe("Retries sent by the clients' proxies."),
  mtlsRate: comparison.optional().describe('The share of requests that travelled inside mTLS, 0 to 1.'),
  p50: comparison.optional().describe('The median request latency in ms.'),
  p99: comparison.optional().describe('The 99th percentile request latency in ms.'),
  handshakesOk: comparison.optional().describe('mTLS handshakes that succeeded.'),
  handshakesFailed: comparison.optional().describe('mTLS handshakes that failed.'),
  certificates: comparison.optional().describe('Workload certificates issued.'),
  proxies: comparison.optional().describe("The data plane's proxies (the run report's footprint.total.proxies)."),
  proxyMemoryMb: comparison.optional().describe('Their estimated memory in MB, from published figures (footprint.total.memoryMb).'),
  proxyVCpu: comparison.optional().describe('Their estimated vCPU, from published figures (footprint.total.vCpu).'),
  byStatus: z
    .record(z.string().regex(/^\d{1,3}$/, { message: 'must be a status code' }), comparison)
    .optional()
    .describe('Requests per final status code: { "503": "== 0" }.'),
  /** Requests whose reason starts with the key (`UO`, `URX`, `forbidden`, ...). */
  byReason: z.record(z.string(), comparison).optional().describe('Requests whose reason starts with the key (UO, URX, forbidden, …).'),
  /** Requests that reached each pod's application. */
  received: z.record(z.string(), comparison).optional().describe('Requests that reached each pod\'s application: { reviews-1: "> 0" }.'),
  // Connection meshes (Network Service Mesh, FIDELITY-MORE K2–K4): vWires, not requests.
  vwires: comparison.optional().describe('vWires that came up (a connection mesh: Network Service Mesh).'),
  refreshes: comparison.optional().describe('Requests clients re-sent to keep their vWires from expiring.'),
  heals: comparison.optional().describe('vWires a client healed away from after its liveness check failed.'),
});

/**
 * The scenario schema for the given sections and meshes (the catalog's): each section is a list
 * at the top level and in each of `changes`, each mesh an `expect` key and a narration `mesh:`
 * value. Sections sit where `istio` and `linkerd` always sat, so messages and the JSON Schema keep
 * their order.
 */
function scenarioSchemaOf<L extends Record<string, z.ZodType>>(lists: L, sections: readonly NativeSection[], meshes: readonly MeshEntry[]) {
  const keys = Object.keys(lists) as (keyof L & string)[];
  const about = (key: string): NativeSection => sections.find((s) => s.key === key)!;
  const readers = (key: string): string =>
    meshes
      .filter((m) => m.section === key)
      .map((m) => m.name)
      .join(' or ');
  const section = Object.fromEntries(
    keys.map((k) => [
      k,
      z
        .array(lists[k]!)
        .default([])
        .describe(
          about(k).description ?? `Native ${about(k).title} resources, exactly as you would kubectl apply them; used when the run is under ${readers(k)}.`,
        ),
    ]),
  ) as { [K in keyof L]: z.ZodDefault<z.ZodArray<L[K]>> };
  const changed = Object.fromEntries(
    keys.map((k) => [
      k,
      z
        .array(lists[k]!)
        .optional()
        .describe(`${about(k).title} resources added, or replacing the one of the same kind, name and namespace.`),
    ]),
  ) as { [K in keyof L]: z.ZodOptional<z.ZodArray<L[K]>> };
  const ids = meshes.map((m) => m.id);
  const meshId = z.enum(ids as [string, ...string[]]);
  const expectations = Object.fromEntries(meshes.map((m) => [m.id, expectationSchema.optional().describe(`Under ${m.name}.`)])) as Record<
    string,
    z.ZodOptional<typeof expectationSchema>
  >;
  return z.strictObject({
    id: dnsName.describe("The scenario's id: lowercase letters, digits and dashes; the ?scenario= parameter for a library scenario."),
    title: z.string().min(1).describe('The title the learner sees.'),
    description: z.string().optional().describe('What the scenario shows, a few sentences under the title.'),
    seed: wholeNumber(0, 2 ** 32 - 1)
      .default(1)
      .describe('The random seed: the same seed gives the same run, in Node and in the browser (default 1).'),
    duration: positiveDurationMs.describe('How long the run lasts in simulated time (10s; units ms, s, m, h).'),
    /**
     * warm: at 0s the mesh is already running (pods ready, certificates issued, config pushed);
     * cold: watch it start — sidecar injection, identity bootstrap, the first config push.
     */
    startup: z
      .enum(['warm', 'cold'])
      .default('warm')
      .describe('warm (the default): at 0s the mesh is already running; cold: watch it start — sidecar injection, identity bootstrap, the first config push.'),
    network: z
      .strictObject({
        /** One-way latency between two pods, and between a pod and the control plane. */
        latency: durationMs.prefault('1ms').describe('One-way latency between two pods, and between a pod and the control plane (default 1ms).'),
        /** How long Kubernetes takes to tell the control plane that a pod's readiness changed. */
        endpointDelay: durationMs
          .prefault('500ms')
          .describe("How long Kubernetes takes to tell the control plane that a pod's readiness changed (default 500ms)."),
      })
      .prefault({})
      .describe("The cluster network's timing: latency between pods, and how fast endpoint changes reach the control plane."),
    nodes: nodesSchema
      .optional()
      .describe(
        'The Kubernetes nodes: how many (node-1, node-2, …), or each by name with the pods pinned to it. Unset: two nodes, pods spread over them in turn.',
      ),
    services: z
      .array(serviceSchema)
      .min(1, { message: 'must list at least one service' })
      .describe('The services in the cluster, each with its pods (an app beside a sidecar proxy, unless meshed: false).'),
    external: z.array(externalSchema).default([]).describe('Hosts outside the cluster that traffic can reach (egress).'),
    clients: z.array(clientSchema).default([]).describe('Callers outside the cluster, which reach it through the ingress.'),
    ingress: ingressSchema
      .optional()
      .describe("The cluster's front door, mesh-neutral: Istio gets an ingress Gateway and a VirtualService, Linkerd a meshed ingress-nginx."),
    traffic: z
      .array(trafficSchema)
      .default([])
      .describe('Who sends requests to whom, when and how often: open loop (rate), one request (at) or closed loop (count).'),
    faults: z
      .array(faultSchema)
      .default([])
      .describe(
        'How the apps and the network misbehave — errors, scripted responses, delay, crashes, certificates, cut links, the control plane down — for the mesh to cope with.',
      ),
    policies: policiesSchema
      .prefault({})
      .describe("Mesh-neutral intent, mapped to each mesh's own mechanism: mtls, retries, timeouts, circuitBreaking, loadBalancing, egress."),
    ...section,
    /**
     * The release each mesh runs as (`istio: "1.23"`), where behaviour differs between releases;
     * unset, the current line (meshReleases.ts). The URL (`?istio=1.23`) can choose another.
     */
    meshVersions: z
      .strictObject({
        istio: z
          .enum(MESH_RELEASES.istio.known, { error: (iss) => unknownRelease('istio', iss.input)! })
          .optional()
          .describe('The Istio release, quoted ("1.23"); unset, the current line.'),
        linkerd: z
          .enum(MESH_RELEASES.linkerd.known, { error: (iss) => unknownRelease('linkerd', iss.input)! })
          .optional()
          .describe('The Linkerd release, quoted; unset, the current line.'),
        consul: z
          .enum(MESH_RELEASES.consul.known, { error: (iss) => unknownRelease('consul', iss.input)! })
          .optional()
          .describe('The Consul release, quoted ("2.0"); unset, the current line.'),
        osm: z
          .enum(MESH_RELEASES.osm.known, { error: (iss) => unknownRelease('osm', iss.input)! })
          .optional()
          .describe('The OSM release line, quoted ("1.2", its last: v1.2.4).'),
      })
      .optional()
      .describe(
        'The release each mesh runs as, where behaviour differs between releases (istio: "1.23"); unset, the current line. The URL (?istio=1.23) can choose another.',
      ),
    /**
     * Config changes during the run, as an operator would apply them: policies replaced key by key,
     * native resources added (or replacing the one of the same kind, name and namespace). The
     * control plane propagates each change; proxies switch when the push reaches them.
     */
    changes: z
      .array(
        z.strictObject({
          at: durationMs.describe('When the change is applied; the control plane then propagates it.'),
          policies: policiesSchema.optional().describe('Policies replaced, key by key.'),
          ...changed,
        }),
      )
      .default([])
      .describe(
        "Config changes during the run, as an operator would apply them: istiod pushes after its debounce, Linkerd's watches at once, and proxies switch when the push reaches them.",
      ),
    narration: z
      .array(narrationSchemaOf(meshId))
      .default([])
      .describe('The story told beside the picture: lines at a time, or at the first event of a kind, for both meshes or one.'),
    checkpoints: z
      .array(checkpointSchema)
      .default([])
      .describe('Predict-then-reveal questions: playback pauses, the learner answers, and the answer measured in the run is revealed.'),
    /**
     * The meshes the scenario is written for: `check` runs it under each, and each needs its
     * `expect` block in the library. Without it, the meshes `expect` names.
     */
    meshes: z
      .array(meshId)
      .min(1, { message: 'must list at least one mesh' })
      .optional()
      .describe('The meshes the scenario is written for: check runs it under each. Unset, the meshes expect names.'),
    /**
     * The meshes compare mode shows side by side when the learner asks for no others: 2 to 4
     * meshes the scenario is written for. Unset, the first two it is written for.
     */
    compare: z
      .array(meshId)
      .min(2, { message: 'must list 2 to 4 meshes' })
      .max(4, { message: 'must list 2 to 4 meshes' })
      .optional()
      .describe('The meshes compare mode shows side by side by default (2 to 4 the scenario is written for). Unset, the first two it is written for.'),
    expect: z
      .strictObject(expectations)
      .default({})
      .describe('What npm run sim -- check verifies of the run under each mesh: figures of the run report compared with ">= 0.99"-style conditions.'),
  });
}

const resourcesOf = (sections: readonly NativeSection[]): Record<string, z.ZodType> => Object.fromEntries(sections.map((s) => [s.key, s.resource]));

/** The schema of the shipped catalog, which gives the scenario types. */
const shippedSchema = scenarioSchemaOf(
  Object.fromEntries(Object.values(NATIVE_SECTIONS).map((s) => [s.key, s.resource])) as {
    [K in keyof typeof NATIVE_SECTIONS]: (typeof NATIVE_SECTIONS)[K]['resource'];
  },
  Object.values(NATIVE_SECTIONS),
  MESH_CATALOG,
);
// Revision 0 is the shipped catalog, whatever the revision is when this module loads: in a build
// the schemas load lazily, after extension modules have registered their meshes.
let built = { revision: 0, schema: shippedSchema };

/**
 * The scenario schema for the catalog as it stands: the shipped one, rebuilt once after a mesh
 * or section is registered. The one definition of the file's format.
 */
export function scenarioSchema(): typeof shippedSchema {
  if (built.revision !== catalogRevision()) {
    const sections = nativeSections();
    const schema = scenarioSchemaOf(resourcesOf(sections), sections, meshCatalog()) as unknown as typeof shippedSchema;
    built = { revision: catalogRevision(), schema };
  }
  return built.schema;
}

/** A validated scenario, with durations in ms and percentages as fractions. */
export type Scenario = z.output<typeof shippedSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type Policies = z.output<typeof policiesSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type NarrationSpec = Scenario['narration'][number];
export type CheckpointSpec = z.output<typeof checkpointSchema>;
