/**
 * Consul's control plane on Kubernetes as the data plane sees it (FIDELITY-MORE I1, I2): the
 * connect-injector (consul-k8s: the webhook that adds consul-dataplane, and the controllers that
 * write pods into the catalog and CRDs into config entries) and the Consul server, which keeps the
 * catalog, signs leaf certificates with its built-in CA and serves every dataplane's xDS. A change
 * (an endpoint, a config entry) reaches a proxy after proxycfg's 200 ms coalescing window, which
 * starts at the first change and gathers whatever arrives before it closes. The CA takes at most
 * CSRMaxPerSecond (50) CSRs a second and lets one wait up to 500 ms for its turn.
 */
import type { Cause } from '../../../sim/index.ts';
import { PushingControlPlane, type ControlPlane } from '../../controlPlane.ts';
import type { ServiceRuntime } from '../../types.ts';
import type { Proxy } from '../../proxy/Proxy.ts';
import type { CompiledMesh } from '../types.ts';
import { defaultCause } from '../../cause.ts';
import type { ConsulEntries } from './entries.ts';

export const CONSUL_SERVER = 'consul-server';
export const CONSUL_INJECTOR = 'connect-injector';

/** FIDELITY-MORE I1: agent/proxycfg/state.go coalesceTimeout. */
const COALESCE_MS = 200;
const PUSH_CAUSE = defaultCause(
  'Consul proxycfg: changes within 200ms of the first are sent to the proxy together',
  'FIDELITY-MORE I1: agent/proxycfg/state.go coalesceTimeout 200ms',
);
/** FIDELITY-MORE I2: CSRMaxPerSecond default 50; a CSR waits up to csrLimitWait (500 ms) for a token. */
const CSR_PER_SECOND = 50;
const CSR_MAX_WAIT_MS = 500;
const CSR_LIMIT: Cause = defaultCause(
  'Consul CA rate limit: CSRMaxPerSecond 50 (a CSR waits up to 500ms for its turn)',
  'FIDELITY-MORE I2: server_connect.go SignCertificate, connect_ca_endpoint.go csrLimitWait',
);

/** A compiled Consul config keeps its entries, so the server can say what it refused. */
export interface ConsulCompiled extends CompiledMesh {
  entries: ConsulEntries;
}

export class ConsulServer extends PushingControlPlane implements ControlPlane {
  private coalesceTimer: number | null = null;
  private coalesceStart: number | null = null;
  /** When the CA's rate limiter has its next token (golang rate.Limiter, burst 1). */
  private nextCsrToken = 0;

  constructor(world: ConstructorParameters<typeof PushingControlPlane>[0]) {
    super(world);
    // What Consul refused, and what the scenario's intent could not say, shows at the start.
    world.scheduler.at(0, () => this.report(0, undefined));
  }

  /** Decisions for the entries version `v` refuses (that version `prev` did not) and its policy notes. */
  private report(v: number, prev: number | undefined): void {
    const w = this.world;
    const now = (w.configs[v] as ConsulCompiled | undefined)?.entries;
    if (!now) return;
    const before = prev === undefined ? undefined : (w.configs[prev] as ConsulCompiled | undefined)?.entries;
    const seen = new Set((before?.rejected ?? []).map((r) => `${r.entry.path}|${r.message}`));
    for (const r of now.rejected) {
      if (seen.has(`${r.entry.path}|${r.message}`)) continue;
      w.decide({
        node: CONSUL_SERVER,
        layer: 'config',
        kind: 'config-rejected',
        summary: `${r.entry.resource.kind} ${r.entry.resource.metadata.name} not synced: ${r.message}`,
        cause: r.cause,
      });
    }
    if (prev !== undefined) return;
    for (const n of now.notes)
      w.decide({
        node: CONSUL_SERVER,
        layer: 'config',
        kind: 'policy-unmapped',
        summary: `${n.path}: ${n.message}`,
        cause: defaultCause(`scenario ${n.path}`, 'mesh-sim: the mesh-neutral intent has no Consul equivalent'),
      });
  }

  protected readonly injectorNode = CONSUL_INJECTOR;

  connectProxy(proxy: Proxy, onSynced: () => void, warm = false): void {
    // FIDELITY-MORE I1: consul-dataplane opens one gRPC stream to a server and relays Envoy's xDS on it.
    this.hello(proxy, onSynced, warm, {
      to: CONSUL_SERVER,
      request: {
        label: 'xDS over gRPC (consul-dataplane)',
        detail: { proxy: proxy.kind === 'sidecar' ? `${proxy.name}-sidecar-proxy` : proxy.name, service: proxy.workload?.service.name ?? proxy.name },
      },
      reply: { label: 'CDS/EDS/LDS/RDS', detail: { services: this.world.services.size } },
      endpoints: true,
      connected: (p) => this.connected.set(p.name, p),
    });
  }

  protected readonly outage = {
    node: CONSUL_SERVER,
    cause: PUSH_CAUSE,
    down: 'the Consul servers stopped: no leaf certificates are signed and no config is sent; proxies keep what they have, intentions included',
    up: 'the Consul servers are back: dataplanes reconnect and get the current config',
  };

  discover(_proxy: Proxy, _service: ServiceRuntime, ready: () => void): void {
    ready(); // the server already sent every upstream's endpoints with the proxy's snapshot
  }

  discovered(): boolean {
    return true;
  }

  configChanged(version: number): void {
    this.report(version, version - 1);
    this.pendingConfig = version;
    if (!this.up) return;
    this.world.decide({
      node: CONSUL_SERVER,
      layer: 'push',
      kind: 'config-change',
      summary: `consul-k8s wrote config version ${version} to Consul; proxies get it after the 200ms coalescing window`,
      cause: PUSH_CAUSE,
    });
    this.changed();
  }

  /** FIDELITY-MORE I2: a token bucket of 50 a second (burst 1); a CSR that would wait over 500 ms is refused. */
  admitCsr(): { waitMs: number } | { refused: string; cause: Cause } {
    const now = this.world.now;
    const at = Math.max(now, this.nextCsrToken);
    if (at - now > CSR_MAX_WAIT_MS)
      return { refused: `CA rate limit reached (CSRMaxPerSecond ${CSR_PER_SECOND}): the CSR is refused with ErrRateLimited`, cause: CSR_LIMIT };
    this.nextCsrToken = at + 1000 / CSR_PER_SECOND;
    return { waitMs: at - now };
  }

  /** FIDELITY-MORE I1: the first change opens a 200 ms window; everything in it is sent together. */
  protected batch(): void {
    const w = this.world;
    if (this.coalesceTimer !== null) return;
    this.coalesceStart = w.now;
    this.coalesceTimer = w.scheduler.at(w.now + COALESCE_MS, () => this.push());
  }

  private push(): void {
    const w = this.world;
    this.coalesceTimer = null;
    if (!this.up) return; // kept pending: sent when the servers are back
    const { services, version } = this.takePending();
    const waited = w.now - (this.coalesceStart ?? w.now);
    this.coalesceStart = null;
    const what = [version !== null ? `listeners, routes, clusters (config v${version})` : '', services.length ? `endpoints of ${services.join(', ')}` : '']
      .filter(Boolean)
      .join(' and ');
    w.decide({
      node: CONSUL_SERVER,
      layer: 'push',
      kind: 'config-push',
      summary: `send ${what} to ${this.connected.size} proxies after the ${waited}ms coalescing window`,
      cause: PUSH_CAUSE,
    });
    this.deliver(CONSUL_SERVER, services, version, version !== null ? `xDS (v${version})` : `EDS: ${services.join(', ')}`);
  }
}
