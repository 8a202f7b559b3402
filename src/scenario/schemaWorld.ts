/**
 * The world a scenario sets up (DESIGN.md "Scenario files"): its services, outside hosts,
 * clients, nodes, ingress and traffic. Part of the scenario schema (schema.ts).
 */
import { z } from './zodSetup.ts';
import { describe, durationMs, httpMethod, portNumber, ratePerSec, wholeNumber } from './units.ts';
import { ipv4Text } from './native/cidrSchema.ts';
import { jwtCollides, trafficJwt } from './trafficJwt.ts';
import { callsSchema } from './calls.ts';

export const dnsName = z
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
