/**
 * The vocabulary of decisions: every kind of choice a proxy, gateway, app or control plane records
 * in the trace, and what each one means to the rest of the program — which badge it raises on the
 * picture, which breakpoint stops at it, whether compare mode counts it as a difference, and
 * which narration trigger (`on:` in a scenario) waits for it. Data only: the engine knows no
 * mesh, and the player, the schema and the narration all read this one table instead of matching
 * strings of their own.
 */

/** The word a badge shows beside a node, so colour never carries the meaning alone. */
export type BadgeKind = 'retry' | 'timeout' | 'error' | 'denied' | 'ejected' | 'overflow' | 'fault' | 'gave-up';

/** Breakpoints a learner can enable: each stops at the decision kinds that name it. */
export type BreakpointId = 'breaker' | 'retries' | 'handshake' | 'deny';

/**
 * What a scenario's narration line can wait for (`on:`), the first such event of the run. The
 * order is the one the schema lists them in.
 */
export const NARRATION_TRIGGERS = [
  'request',
  'retry',
  'timeout',
  'handshake',
  'handshake-failed',
  'certificate',
  'rotation',
  'config-push',
  'failure',
  'crash',
  'restart',
  'deny',
  'fault',
  'vwire',
  'refresh',
  'heal',
] as const;

export type NarrationTrigger = (typeof NARRATION_TRIGGERS)[number];

/** What the rest of the program does with one kind of decision. */
export interface DecisionKindInfo {
  /** What the decision is, in a few words. */
  readonly meaning: string;
  /** The badge it raises where it happened (a retry's text gains its number when shown). */
  readonly badge?: { readonly kind: BadgeKind; readonly text: string };
  /** Compare mode marks a request that gets it in one run and not the other (not routine choices). */
  readonly notable?: true;
  /** The breakpoint that stops at it. */
  readonly breakpoint?: BreakpointId;
  /** The narration trigger it fires. */
  readonly narration?: NarrationTrigger;
}

const denied = { kind: 'denied', text: 'denied' } as const;
const gaveUp = { kind: 'gave-up', text: 'gave up' } as const;
const overflow = { kind: 'overflow', text: 'overflow' } as const;
const fault = { kind: 'fault', text: 'fault' } as const;

/** Every decision kind the simulation emits, with what it drives. */
export const DECISION_KINDS = {
  // Routing (route layer) and the app.
  route: { meaning: 'a route rule and backend were chosen' },
  'no-route': { meaning: 'no route matched: the proxy answered itself', badge: { kind: 'error', text: 'no route' }, notable: true },
  'fault-abort': { meaning: 'injected fault: the proxy aborted the request', badge: fault, narration: 'fault' },
  'fault-delay': { meaning: 'injected fault: the proxy delayed the request', badge: fault, narration: 'fault' },
  fault: { meaning: 'the app misbehaved as the scenario scripted', badge: fault, narration: 'fault' },
  'call-failed': { meaning: 'a call the app made failed, so its answer fails' },
  mirror: { meaning: 'a copy of the request went to the mirror backend; its answer is ignored' },
  // Retries and timeouts.
  retry: { meaning: 'the attempt failed and is retried', badge: { kind: 'retry', text: 'retry' }, notable: true, narration: 'retry' },
  'no-retry': { meaning: 'the failure is not retried' },
  'retries-exhausted': { meaning: 'the retry limit is reached', badge: gaveUp, notable: true, breakpoint: 'retries' },
  'retry-budget-exhausted': { meaning: 'the retry budget is spent', badge: gaveUp, notable: true, breakpoint: 'retries' },
  'retry-overflow': { meaning: 'too many retries in flight (maxRetries, or the retry budget)', badge: overflow, notable: true, breakpoint: 'retries' },
  timeout: { meaning: 'a request or attempt timeout fired', badge: { kind: 'timeout', text: 'timeout' }, notable: true, narration: 'timeout' },
  // Endpoints, pools and passive health.
  endpoint: { meaning: 'an endpoint was picked for the attempt' },
  locality: { meaning: "the client's own locality (zone) was preferred, or a locality drawn by its weight" },
  'locality-failover': {
    meaning: "too few healthy endpoints in the client's zone: the request fails over to another locality",
    badge: { kind: 'retry', text: 'failover' },
    notable: true,
  },
  waypoint: { meaning: "a node proxy sends service traffic through the service's waypoint" },
  'no-endpoint': { meaning: 'no endpoint to send to' },
  'backend-fallback': { meaning: 'every endpoint of a backend is unavailable: another backend is tried' },
  failover: { meaning: 'a target has no usable endpoint: the resolver fails over to the next target', notable: true },
  overflow: { meaning: 'connection-pool limits refused the request', badge: overflow, notable: true, breakpoint: 'breaker' },
  ejection: { meaning: 'an endpoint is taken out of load balancing', badge: { kind: 'ejected', text: 'ejected' }, notable: true, breakpoint: 'breaker' },
  'ejection-skipped': { meaning: 'an endpoint would be ejected, but the ejection cap keeps it' },
  uneject: { meaning: 'an ejected endpoint returns to load balancing' },
  probe: { meaning: 'an unavailable endpoint gets its one probe request' },
  recovered: { meaning: 'an endpoint answered its probe and is available again' },
  // mTLS and policy.
  mtls: { meaning: 'the client proxy originates mTLS toward an endpoint' },
  plaintext: { meaning: 'the client proxy sends plaintext toward an endpoint' },
  'handshake-ok': { meaning: 'an mTLS handshake completed', narration: 'handshake' },
  'handshake-failed': {
    meaning: 'an mTLS handshake failed',
    badge: { kind: 'denied', text: 'TLS failed' },
    notable: true,
    breakpoint: 'handshake',
    narration: 'handshake-failed',
  },
  'plaintext-accepted': { meaning: 'the server proxy accepted plaintext' },
  deny: { meaning: 'policy denied the request or connection', badge: denied, notable: true, breakpoint: 'deny', narration: 'deny' },
  audit: { meaning: 'an audit policy matched the request' },
  egress: { meaning: 'traffic leaves the cluster for an outside host' },
  // Identity.
  'certificate-signed': { meaning: 'the CA signed a workload certificate', narration: 'certificate' },
  'certificate-delivered': { meaning: 'the certificate was handed to the proxy' },
  'renewal-scheduled': { meaning: 'the next certificate renewal is scheduled' },
  'csr-failed': { meaning: 'a certificate signing request failed' },
  'csr-retry': { meaning: 'a failed CSR will be tried again' },
  // Control plane and network.
  inject: { meaning: 'the injector added a proxy to the pod' },
  'skip-injection': { meaning: 'the injector left the pod alone' },
  'config-change': { meaning: 'the control plane took in a config change' },
  'config-push': { meaning: 'the control plane pushed config to the proxies' },
  'config-rejected': { meaning: 'the control plane refused a resource: it has no effect', badge: { kind: 'error', text: 'rejected' } },
  'policy-unmapped': { meaning: 'a mesh-neutral policy has no equivalent in this mesh' },
  watch: { meaning: 'a proxy opened discovery watches for a service' },
  'lookup-failed': { meaning: 'a discovery lookup went unanswered', notable: true },
  up: { meaning: 'the control plane is back' },
  down: { meaning: 'the control plane stopped' },
  'link-cut': { meaning: 'the network between two places is cut', notable: true },
  // Connection meshes (Network Service Mesh, FIDELITY-MORE K2–K4): vWires, not requests.
  'nse-registered': { meaning: 'the registry lists an endpoint for its Network Services' },
  'nsm-authorized': { meaning: 'a connection request passed the policy check' },
  'nse-selected': { meaning: 'an endpoint was picked for a connection request' },
  'nse-named': { meaning: 'a refresh names its endpoint: no new selection' },
  'nse-unreachable': { meaning: 'the endpoint picked does not answer', notable: true },
  mechanism: { meaning: 'a forwarder chose how to carry the packets (kernel, VXLAN)' },
  'ip-assigned': { meaning: 'the endpoint gave both ends their addresses' },
  'vwire-up': { meaning: 'a vWire joins a client to an endpoint', narration: 'vwire' },
  'refresh-scheduled': { meaning: 'the client will re-send its Request before the path expires', narration: 'refresh' },
  'vwire-expired': { meaning: 'nobody refreshed a vWire in time: it is cleaned up', notable: true },
  'liveness-failed': { meaning: 'the liveness check over a vWire failed', badge: { kind: 'error', text: 'no reply' }, notable: true },
  heal: { meaning: 'the client asks for a new path: healing, not an HTTP retry', badge: { kind: 'retry', text: 'heal' }, notable: true, narration: 'heal' },
} as const satisfies Record<string, DecisionKindInfo>;

/** A kind of decision: one of {@link DECISION_KINDS}. */
export type DecisionKind = keyof typeof DECISION_KINDS;

/** What a decision kind drives (badge, breakpoint, notability, narration). */
export function decisionInfo(kind: DecisionKind): DecisionKindInfo {
  return DECISION_KINDS[kind];
}

/** Every decision kind, in the table's order. */
export const DECISION_KIND_LIST = Object.keys(DECISION_KINDS) as DecisionKind[];
