/**
 * The world of a Network Service Mesh run (FIDELITY-MORE K2–K4): its clock and trace, the pods and
 * the roles the `nsm:` section gives them (client, endpoint), the registry's listing, each NSMgr's
 * round-robin position, and the vWires that came up; plus the timing rules the run follows.
 */
import { Scheduler, TraceRecorder, type Cause, type DecisionEvent, type FlightEvent, type NodeId, type RecordedActor } from '../../../sim/index.ts';
import { startRecordedActor } from '../../../sim/index.ts';
import { sectionResources, type LoadedScenario } from '../../../scenario/index.ts';
import { parseNetworkServiceUrl } from '../../../scenario/native/nsmUrl.ts';
import { parseDuration } from '../../../scenario/values.ts';
import { placePods } from '../../placement.ts';
import { workloadMachine } from '../../machines/workloadMachine.ts';
import { defaultCause } from '../../cause.ts';
import type { VWireRecord } from '../../report.ts';
import type { MeshRelease } from '../types.ts';

/** FIDELITY-MORE K4: cmd-nsc MaxTokenLifetime 10m (networkservicemesh/cmd-nsc internal/config/config.go). */
export const DEFAULT_TOKEN_LIFETIME_MS = 10 * 60_000;
/** FIDELITY-MORE K4: a failed refresh is tried again after 200 ms (sdk pkg/networkservice/common/refresh/client.go). */
export const REFRESH_RETRY_MS = 200;
/** FIDELITY-MORE K4: the heal client checks the data path every 200 ms, each check given 100 ms (sdk pkg/networkservice/common/heal/options.go). */
export const LIVENESS_INTERVAL_MS = 200;
export const LIVENESS_TIMEOUT_MS = 100;
/** [inference] one gRPC hop: 1 ms on the node (a unix socket), 2 ms between nodes; the lesson is the order, not the figure. */
export const LOCAL_HOP_MS = 1;
export const REMOTE_HOP_MS = 2;
/** The check deployments-k8s runs across a vWire is `ping` (FIDELITY-MORE K3), whose default interval is 1 s. */
export const PING_EVERY_MS = 1000;
/** [inference] endpoints register as they start; the client asks once its pod is up. */
export const CLIENT_START_MS = 500;

/** The upstream sources the run cites. */
export const SRC = {
  refresh: 'FIDELITY-MORE K4: networkservicemesh/sdk pkg/networkservice/common/refresh/client.go after()',
  heal: 'FIDELITY-MORE K4: networkservicemesh/site docs/concepts/features/healing.md; sdk pkg/networkservice/common/heal; cmd-nsc main.go (RESELECT_REQUESTED clears the endpoint name)',
  discover: 'FIDELITY-MORE K3: networkservicemesh/sdk pkg/networkservice/common/discover/server.go',
  roundRobin: 'FIDELITY-MORE K3: networkservicemesh/sdk pkg/networkservice/common/roundrobin (chains/nsmgr/server.go)',
  forwarder: 'FIDELITY-MORE K2, K3: deployments-k8s examples/use-cases/Kernel2Vxlan2Kernel (kernel to the local forwarder, VXLAN between forwarders)',
  register: 'FIDELITY-MORE K2: components_description.md (the registry stores Network Services and NSEs)',
  authorize: 'FIDELITY-MORE K5: SPIFFE identities from SPIRE, OPA policies on connection requests',
  cidr: 'FIDELITY-MORE K2: NSM_CIDR_PREFIX 172.16.1.100/31 gives the NSE .100 and the NSC .101',
} as const;

/** A pod in an NSM run. */
export interface NsmPod {
  name: string;
  service: string;
  namespace: string;
  serviceAccount: string;
  nodeName: string;
  app: NodeId;
  workload: RecordedActor<typeof workloadMachine>;
  up: boolean;
}

/** What the `nsm:` section says a service's pods do. */
export interface Roles {
  /** Service → the Network Services its pods request ({ service, iface }), and the token lifetime. */
  clients: Map<string, { wants: { service: string; iface: string }[]; tokenLifetimeMs: number; cause: Cause }>;
  /** Service → the Network Services its pods provide, and their CIDR prefix. */
  endpoints: Map<string, { provides: string[]; cidr: string }>;
}

type Env = Map<string, string>;

function rolesOf(scenario: LoadedScenario): Roles {
  const roles: Roles = { clients: new Map(), endpoints: new Map() };
  for (const r of sectionResources(scenario, 'nsm') ?? []) {
    const d = r as { metadata: { name: string }; spec: { template: { spec: { containers: { env?: { name: string; value: string }[] }[] } } } };
    const env: Env = new Map(d.spec.template.spec.containers.flatMap((c) => (c.env ?? []).map((e) => [e.name, e.value] as const)));
    const wanted = env.get('NSM_NETWORK_SERVICES');
    if (wanted !== undefined) {
      const lifetime = env.get('NSM_MAX_TOKEN_LIFETIME');
      const parsed = lifetime === undefined ? undefined : parseDuration(lifetime);
      const tokenLifetimeMs = typeof parsed === 'number' ? parsed : DEFAULT_TOKEN_LIFETIME_MS;
      roles.clients.set(d.metadata.name, {
        wants: wanted.split(',').flatMap((u) => {
          const p = parseNetworkServiceUrl(u);
          return typeof p === 'string' ? [] : [p];
        }),
        tokenLifetimeMs,
        cause:
          typeof parsed === 'number'
            ? {
                config: `Deployment ${d.metadata.name} env NSM_MAX_TOKEN_LIFETIME=${lifetime}`,
                isDefault: false,
                source: 'FIDELITY-MORE K4: cmd-nsc MaxTokenLifetime',
              }
            : defaultCause('cmd-nsc MaxTokenLifetime 10m', 'FIDELITY-MORE K4: cmd-nsc internal/config/config.go'),
      });
    }
    const provides = env.get('NSM_SERVICE_NAMES');
    if (provides !== undefined)
      roles.endpoints.set(d.metadata.name, {
        provides: provides.split(',').map((s) => s.trim()),
        cidr: env.get('NSM_CIDR_PREFIX') ?? '172.16.1.100/31',
      });
  }
  return roles;
}

/**
 * FIDELITY-MORE K4 (sdk refresh/client.go `after`): the client re-sends its Request after `scale`
 * times the time left before the earliest-expiring path segment, where scale is 1/3 for a path of
 * one segment and 0.2 + 0.2 × index / segments otherwise — the client is index 0, so 0.2 on any
 * path through an NSMgr.
 */
export function refreshAfterMs(remainingMs: readonly number[], index: number): number {
  const min = Math.min(...remainingMs);
  if (!(min > 0)) return 1;
  const scale = remainingMs.length > 1 ? 0.2 + (0.2 * index) / remainingMs.length : 1 / 3;
  return Math.floor(min * scale);
}

/** `172.16.1.100/31` → the endpoint's and the client's addresses (the prefix's first two). */
export function addresses(cidr: string): { nse: string; nsc: string } {
  const [ip] = cidr.split('/');
  const parts = (ip ?? '172.16.1.100').split('.').map(Number);
  const next = [...parts];
  next[3] = (next[3] ?? 0) + 1;
  return { nse: parts.join('.'), nsc: next.join('.') };
}

/** The NSM world of one run. */
export class NsmRun {
  readonly scheduler = new Scheduler();
  readonly recorder = new TraceRecorder();
  readonly pods = new Map<string, NsmPod>();
  readonly nodes: string[];
  readonly roles: Roles;
  /** Endpoints the registry lists per Network Service, in registration order. */
  readonly registry = new Map<string, NsmPod[]>();
  /** Each NSMgr's round-robin position per Network Service (sdk roundrobin keeps one per service). */
  readonly turn = new Map<string, number>();
  readonly vwires: VWireRecord[] = [];
  private flights = 0;

  constructor(
    readonly scenario: LoadedScenario,
    readonly release: MeshRelease,
  ) {
    this.roles = rolesOf(scenario);
    const names = scenario.services.flatMap((s) => Array.from({ length: s.replicas }, (_, i) => `${s.name}-${i}`));
    const placement = placePods(scenario, names);
    this.nodes = placement.nodes;
    for (const s of scenario.services)
      for (let i = 0; i < s.replicas; i++) {
        const name = `${s.name}-${i}`;
        const workload = startRecordedActor(workloadMachine, { scheduler: this.scheduler, recorder: this.recorder, entity: name, node: `${name}/app` });
        this.pods.set(name, {
          name,
          service: s.name,
          namespace: s.namespace,
          serviceAccount: s.serviceAccount ?? s.name,
          nodeName: placement.nodeOf.get(name)!,
          app: `${name}/app`,
          workload,
          up: false,
        });
      }
  }

  nsmgr = (node: string): NodeId => `nsmgr/${node}`;
  forwarder = (node: string): NodeId => `forwarder/${node}`;
  readonly registryNode: NodeId = 'nsm/registry';

  flight(kind: FlightEvent['kind'], from: NodeId, to: NodeId, label: string, delayMs: number, detail?: FlightEvent['detail']): number {
    const t = this.scheduler.now;
    this.recorder.record({
      type: 'flight',
      t,
      id: `f${this.flights++}`,
      kind,
      from,
      to,
      departMs: t,
      arriveMs: t + delayMs,
      label,
      ...(detail ? { detail } : {}),
    });
    return delayMs;
  }

  decide(d: Omit<DecisionEvent, 'type' | 't' | 'seq'>): void {
    this.recorder.record({ type: 'decision', t: this.scheduler.now, ...d });
  }

  hop = (a: string, b: string): number => (a === b ? LOCAL_HOP_MS : REMOTE_HOP_MS);

  /** Runs `steps` one after another, each after the previous one's delay. */
  chain(steps: (() => number)[], done?: () => void): void {
    const [first, ...rest] = steps;
    if (!first) return void done?.();
    const delay = first();
    this.scheduler.after(delay, () => this.chain(rest, done));
  }
}
