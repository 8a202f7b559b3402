/**
 * One client's connection to one Network Service (FIDELITY-MORE K3, K4): the Request through its
 * NSMgr (authorize, discover, round robin), the forwarders and the endpoint; the pings across the
 * vWire; the refresh before the path expires; the liveness check and the heal onto another endpoint.
 */
import type { Cause, NodeId, PeeredActor } from '../../../sim/index.ts';
import { startRecordedActor } from '../../../sim/index.ts';
import { defaultCause } from '../../cause.ts';
import type { VWireRecord } from '../../report.ts';
import { vwireMachine } from './vwireMachine.ts';
import {
  DEFAULT_TOKEN_LIFETIME_MS,
  LIVENESS_INTERVAL_MS,
  LIVENESS_TIMEOUT_MS,
  LOCAL_HOP_MS,
  PING_EVERY_MS,
  REFRESH_RETRY_MS,
  REMOTE_HOP_MS,
  SRC,
  addresses,
  refreshAfterMs,
  type NsmPod,
  type NsmRun,
} from './world.ts';

/** One client's connection to one Network Service. */
export class ClientConnection {
  /** The vWire's state; its peer the endpoint's app it joins (healing: the one it leaves, until another joins). */
  readonly machine: PeeredActor<typeof vwireMachine>;
  record: VWireRecord | undefined;
  endpoint: NsmPod | undefined;
  private generation = 0;
  expiresAtMs = 0;
  private tokenLifetimeMs: number;
  private tokenCause: Cause;

  constructor(
    readonly run: NsmRun,
    readonly client: NsmPod,
    readonly networkService: string,
    readonly iface: string,
  ) {
    const spec = run.roles.clients.get(client.service)!;
    this.tokenLifetimeMs = spec.tokenLifetimeMs;
    this.tokenCause = spec.cause;
    this.machine = startRecordedActor(vwireMachine, { scheduler: run.scheduler, recorder: run.recorder, entity: `vwire:${client.name}`, node: client.app });
  }

  /** The NSC's Request through its NSMgr, discovery, selection, both forwarders, to an endpoint. */
  request(kind: 'first' | 'heal'): void {
    const { run, client } = this;
    const mgr = run.nsmgr(client.nodeName);
    const gen = ++this.generation;
    const label = kind === 'heal' ? `Request ${this.networkService} (reselect: no endpoint named)` : `Request ${this.networkService}`;
    this.machine.send({ type: 'request' });
    let chosen: NsmPod | undefined;
    run.chain(
      [
        () =>
          run.flight('grpc', client.app, mgr, label, LOCAL_HOP_MS, {
            api: 'NetworkService.Request',
            networkService: this.networkService,
            mechanism: `kernel (${this.iface})`,
            from: `spiffe://example.org/ns/${client.namespace}/sa/${client.serviceAccount}`,
          }),
        () => {
          run.decide({
            node: mgr,
            layer: 'authorize',
            kind: 'nsm-authorized',
            summary: `NSMgr authorizes the request of ${client.name} (its SPIFFE ID, checked by the OPA policy)`,
            cause: defaultCause('NSMgr authorize element, default OPA policies', SRC.authorize),
          });
          return run.flight('discovery', mgr, run.registryNode, `Find endpoints of ${this.networkService}`, REMOTE_HOP_MS, {
            api: 'NetworkServiceEndpointRegistry.Find',
          });
        },
        () => {
          const listed = run.registry.get(this.networkService) ?? [];
          return run.flight(
            'discovery',
            run.registryNode,
            mgr,
            `${listed.length} endpoint${listed.length === 1 ? '' : 's'}: ${listed.map((p) => p.name).join(', ') || 'none'}`,
            REMOTE_HOP_MS,
          );
        },
        () => {
          const listed = run.registry.get(this.networkService) ?? [];
          chosen = this.select(mgr, listed);
          return 0;
        },
      ],
      () => {
        if (!chosen) {
          // FIDELITY-MORE K3: with no endpoint, discover keeps watching the registry; mesh-sim asks again a second later.
          run.scheduler.after(1000, () => gen === this.generation && this.request(kind));
          return;
        }
        this.connect(chosen, gen, kind);
      },
    );
  }

  /** Round robin among the endpoints listed (sdk roundrobin: one position per Network Service). */
  private select(mgr: NodeId, listed: NsmPod[]): NsmPod | undefined {
    const { run } = this;
    if (listed.length === 0) {
      run.decide({
        node: mgr,
        layer: 'discover',
        kind: 'no-endpoint',
        summary: `no endpoint provides ${this.networkService} yet: NSMgr waits for one to register`,
        cause: defaultCause('discover watches the registry', SRC.discover),
      });
      return undefined;
    }
    const key = `${mgr}|${this.networkService}`;
    const n = run.turn.get(key) ?? 0;
    run.turn.set(key, n + 1);
    const pick = listed[n % listed.length]!;
    run.decide({
      node: mgr,
      layer: 'select',
      kind: 'nse-selected',
      summary: `NSMgr picks ${pick.name} round robin among ${listed.map((p) => p.name).join(', ')} — once for this connection request, not per packet`,
      cause: defaultCause('NSMgr round robin among the matching endpoints', SRC.roundRobin),
      data: { candidates: listed.map((p) => p.name), picked: pick.name },
    });
    return pick;
  }

  /** The forwarders set up the path to `nse`, which assigns addresses; the answer comes back the same way. */
  private connect(nse: NsmPod, gen: number, kind: 'first' | 'heal' | 'refresh'): void {
    const { run, client } = this;
    const here = client.nodeName;
    const there = nse.nodeName;
    const local = here === there;
    const mechanism = local ? 'kernel ↔ kernel (same node)' : 'kernel → VXLAN → kernel';
    const fwdA = run.forwarder(here);
    const fwdB = run.forwarder(there);
    const mgrA = run.nsmgr(here);
    const mgrB = run.nsmgr(there);
    const label = kind === 'refresh' ? `Request (refresh, endpoint ${nse.name})` : `Request → ${nse.name}`;
    const out: (() => number)[] = [
      () => {
        if (kind !== 'refresh')
          run.decide({
            node: fwdA,
            layer: 'forwarder',
            kind: 'mechanism',
            summary: local
              ? `forwarder joins ${client.name} and ${nse.name} on this node with kernel interfaces`
              : `forwarder picks kernel toward ${client.name} and VXLAN toward the forwarder on ${there}`,
            cause: defaultCause('forwarder-vpp mechanism preferences', SRC.forwarder),
          });
        return run.flight('grpc', mgrA, fwdA, label, LOCAL_HOP_MS);
      },
    ];
    if (!local) {
      out.push(() => run.flight('grpc', fwdA, mgrB, label, REMOTE_HOP_MS));
      out.push(() => run.flight('grpc', mgrB, fwdB, label, LOCAL_HOP_MS));
    }
    out.push(() => run.flight('grpc', fwdB, nse.app, label, LOCAL_HOP_MS));
    run.chain(out, () => {
      if (gen !== this.generation) return;
      if (!nse.up && kind === 'refresh') {
        // A refresh names its endpoint: when it fails, the refresh element tries again in 200 ms
        // (sdk refresh/client.go); the heal client's liveness check is what moves the client on.
        run.decide({
          node: fwdB,
          layer: 'forwarder',
          kind: 'nse-unreachable',
          summary: `${nse.name} does not answer the refresh: the client's refresh element tries again in ${REFRESH_RETRY_MS} ms`,
          cause: defaultCause('a failed refresh is retried after 200 ms', SRC.refresh),
        });
        run.scheduler.after(REFRESH_RETRY_MS, () => gen === this.generation && this.refresh(gen));
        return;
      }
      if (!nse.up) {
        // The endpoint is gone: the request fails back to the NSMgr, whose discover tries the others (sdk discover/server.go).
        run.decide({
          node: fwdB,
          layer: 'forwarder',
          kind: 'nse-unreachable',
          summary: `${nse.name} does not answer: the request fails back to the NSMgr`,
          cause: defaultCause('discover retries with endpoints not tried yet', SRC.discover),
        });
        run.chain([() => run.flight('grpc', fwdB, mgrA, `error: ${nse.name} unreachable`, run.hop(there, here))], () => {
          if (gen !== this.generation) return;
          const others = (run.registry.get(this.networkService) ?? []).filter((p) => p !== nse);
          const next = this.select(mgrA, others);
          if (next) this.connect(next, gen, kind);
          else run.scheduler.after(1000, () => gen === this.generation && this.request('heal'));
        });
        return;
      }
      const spec = run.roles.endpoints.get(nse.service)!;
      const ips = addresses(spec.cidr);
      if (kind !== 'refresh')
        run.decide({
          node: nse.app,
          layer: 'endpoint',
          kind: 'ip-assigned',
          summary: `${nse.name} takes ${ips.nse} and gives ${client.name} ${ips.nsc} on ${this.iface} (from ${spec.cidr})`,
          cause: { config: `Deployment ${nse.service} env NSM_CIDR_PREFIX=${spec.cidr}`, isDefault: false, source: SRC.cidr },
        });
      const back: (() => number)[] = [() => run.flight('grpc', nse.app, fwdB, 'Connection (IP context)', LOCAL_HOP_MS)];
      if (!local) {
        back.push(() => run.flight('grpc', fwdB, mgrB, 'Connection', LOCAL_HOP_MS));
        back.push(() => run.flight('grpc', mgrB, fwdA, 'Connection', REMOTE_HOP_MS));
      }
      back.push(() => run.flight('grpc', fwdA, mgrA, 'Connection', LOCAL_HOP_MS));
      back.push(() => run.flight('grpc', mgrA, client.app, `Connection: ${this.iface} ${ips.nsc} ↔ ${ips.nse}`, LOCAL_HOP_MS));
      run.chain(back, () => {
        if (gen !== this.generation) return;
        this.up(nse, kind, mechanism, ips);
      });
    });
  }

  private up(nse: NsmPod, kind: 'first' | 'heal' | 'refresh', mechanism: string, ips: { nsc: string; nse: string }): void {
    const { run, client } = this;
    const now = run.scheduler.now;
    // FIDELITY-MORE K4: every path segment expires with the token its hop signed; the client's is the shortest here.
    const segments = nse.nodeName === client.nodeName ? 4 : 6;
    const remaining = Array.from({ length: segments }, (_, i) => (i === 0 ? this.tokenLifetimeMs : Math.max(this.tokenLifetimeMs, DEFAULT_TOKEN_LIFETIME_MS)));
    this.expiresAtMs = now + Math.min(...remaining);
    if (kind === 'refresh' && this.record) {
      this.record.refreshes++;
      this.machine.send({ type: 'refreshed' });
    } else {
      this.endpoint = nse;
      // The vWire's other end, on its state changes from here on: a heal may join another endpoint (FIDELITY-MORE K2, K4).
      this.machine.peerWith(nse.app);
      this.record = { client: client.name, networkService: this.networkService, endpoint: nse.name, upMs: now, refreshes: 0, mechanism, addresses: ips };
      run.vwires.push(this.record);
      this.machine.send({ type: 'connected' });
      run.decide({
        node: client.app,
        layer: 'vwire',
        kind: 'vwire-up',
        summary: `vWire up: ${client.name} (${ips.nsc}) ↔ ${nse.name} (${ips.nse}), ${mechanism} — packets in at one end leave only at the other`,
        cause: defaultCause('a vWire connects one client to one endpoint for one Network Service', 'FIDELITY-MORE K2: architecture.md'),
        data: { endpoint: nse.name, mechanism },
      });
      if (kind === 'first') this.ping();
      this.liveness();
    }
    const after = refreshAfterMs(remaining, 0);
    run.decide({
      node: client.app,
      layer: 'refresh',
      kind: 'refresh-scheduled',
      summary: `the path expires in ${remaining.length > 0 ? Math.min(...remaining) / 1000 : 0} s; ${client.name} will re-send its Request in ${after / 1000} s (0.2 of the time left: the client is the first of ${segments} path segments; 1/3 only on a one-segment path)`,
      cause: { ...this.tokenCause, source: `${SRC.refresh}; ${this.tokenCause.source}` },
      data: { refreshAfterMs: after, expiresInMs: Math.min(...remaining), segments },
    });
    const gen = this.generation;
    run.scheduler.after(after, () => gen === this.generation && this.refresh(gen));
    const expiresAt = this.expiresAtMs;
    run.scheduler.at(expiresAt, () => {
      if (gen !== this.generation || this.expiresAtMs !== expiresAt || !this.record) return;
      this.record.endMs = run.scheduler.now;
      this.record.end = 'expired';
      this.machine.send({ type: 'expired' });
      run.decide({
        node: client.app,
        layer: 'refresh',
        kind: 'vwire-expired',
        summary: `nobody refreshed the path in time: NSM cleans the vWire up`,
        cause: defaultCause('every vWire has a finite expiry', 'FIDELITY-MORE K3: architecture.md Request/Close/Monitor'),
      });
    });
  }

  /** Re-sends the Request along the same path, the endpoint named (discover skips selection). */
  private refresh(gen: number): void {
    const { run, client } = this;
    if (!this.endpoint) return;
    this.machine.send({ type: 'refresh' });
    const mgr = run.nsmgr(client.nodeName);
    run.chain(
      [
        () =>
          run.flight('grpc', client.app, mgr, `Request (refresh, endpoint ${this.endpoint!.name})`, LOCAL_HOP_MS, {
            api: 'NetworkService.Request',
            networkServiceEndpointName: this.endpoint!.name,
          }),
        () => {
          run.decide({
            node: mgr,
            layer: 'discover',
            kind: 'nse-named',
            summary: `the refresh names ${this.endpoint!.name}: NSMgr looks it up and sends the Request on, no new selection`,
            cause: defaultCause('a Request with networkServiceEndpointName set skips selection', SRC.discover),
          });
          return 0;
        },
      ],
      () => gen === this.generation && this.connect(this.endpoint!, gen, 'refresh'),
    );
  }

  /** The client pings its endpoint every second across the vWire (the deployments-k8s check). */
  private ping(): void {
    const { run, client } = this;
    run.scheduler.after(PING_EVERY_MS, () => {
      const nse = this.endpoint;
      const state = this.machine.getSnapshot().value;
      if (nse && (state === 'up' || state === 'refreshing') && this.record && this.record.end === undefined) {
        const ips = this.record.addresses;
        const fwdA = run.forwarder(client.nodeName);
        const fwdB = run.forwarder(nse.nodeName);
        const hops: [NodeId, NodeId, number][] = [[client.app, fwdA, LOCAL_HOP_MS]];
        if (fwdA !== fwdB) hops.push([fwdA, fwdB, REMOTE_HOP_MS]);
        hops.push([fwdB, nse.app, LOCAL_HOP_MS]);
        const echo = `ICMP echo ${ips.nsc} → ${ips.nse}`;
        const steps = hops.map(
          ([a, b, d]) =>
            () =>
              run.flight('ip', a, b, echo, d, { over: `vWire (${this.record!.mechanism})` }),
        );
        run.chain(steps, () => {
          if (!nse.up) return; // nothing answers: the packet is lost at the dead end of the vWire
          const reply = `ICMP reply ${ips.nse} → ${ips.nsc}`;
          run.chain(
            [...hops].reverse().map(
              ([a, b, d]) =>
                () =>
                  run.flight('ip', b, a, reply, d),
            ),
          );
        });
      }
      this.ping();
    });
  }

  /** The heal client's data-path liveness check every 200 ms; a failed one starts healing. */
  private liveness(): void {
    const { run, client } = this;
    const gen = this.generation;
    const check = (): void => {
      if (gen !== this.generation || !this.endpoint || this.record?.end !== undefined) return;
      if (this.endpoint.up) return void run.scheduler.after(LIVENESS_INTERVAL_MS, check);
      run.scheduler.after(LIVENESS_TIMEOUT_MS, () => {
        if (gen !== this.generation || !this.record) return;
        const dead = this.endpoint!;
        run.decide({
          node: client.app,
          layer: 'heal',
          kind: 'liveness-failed',
          summary: `the liveness check over the vWire to ${dead.name} got no answer within 100 ms: the data path is down`,
          cause: defaultCause('heal client: data-path liveness check every 200 ms, 100 ms timeout', SRC.heal),
        });
        this.record.endMs = run.scheduler.now;
        this.record.end = 'healed';
        this.machine.send({ type: 'liveness.failed' });
        run.decide({
          node: client.app,
          layer: 'heal',
          kind: 'heal',
          summary: `${client.name} heals: it closes the old path and asks again with no endpoint named, so the NSMgr selects another (no HTTP retry: a new connection request)`,
          cause: defaultCause('data-plane loss: the client requests a new endpoint', SRC.heal),
          data: { from: dead.name },
        });
        this.closeOld(dead);
        this.request('heal');
      });
    };
    run.scheduler.after(LIVENESS_INTERVAL_MS, check);
  }

  /** Close travels the old path as far as it still goes (the forwarders remove the interfaces). */
  private closeOld(dead: NsmPod): void {
    const { run, client } = this;
    const mgr = run.nsmgr(client.nodeName);
    const steps = [() => run.flight('grpc', client.app, mgr, `Close (old vWire to ${dead.name})`, LOCAL_HOP_MS, { api: 'NetworkService.Close' })];
    steps.push(() => run.flight('grpc', mgr, run.forwarder(client.nodeName), 'Close', LOCAL_HOP_MS));
    run.chain(steps);
  }
}
