/**
 * Workload identity: a certificate a proxy obtains from the mesh's CA for one identity it holds,
 * and renews before it expires — a sidecar holds its pod's, a per-node proxy one per identity of
 * the pods on its node (FIDELITY-MORE H3). The flow is the same shape in every mesh — a CSR
 * travels to the CA, which checks the credentials and signs — and the profile supplies what
 * differs: the CA, the identity format, the lifetime and when to renew (FIDELITY A3, A6).
 *
 * A scenario fault can make a pod's certificate expire at a given time (its CSRs stop reaching
 * the CA from then on) or name another identity (as if the pod ran under another ServiceAccount).
 */
import type { Cause } from '../sim/index.ts';
import { formatDuration } from '../scenario/index.ts';
import { CertificateRunner } from './machines/certificateRunner.ts';
import type { World } from './world.ts';
import type { CertificateSlot, Proxy } from './proxy/Proxy.ts';
import { sameLife } from './types.ts';

/**
 * Starts the certificate machine of one identity `proxy` holds; the first CSR goes out at once.
 * With `warm` the proxy was running before the run began, so its first certificate is installed
 * without flights.
 */
export function startIdentity(world: World, proxy: Proxy, slot: CertificateSlot, onFirstCertificate: () => void, warm = false): void {
  new Identity(world, proxy, slot, onFirstCertificate, warm).start();
}

type Rules = World['profile']['identity'];
type Fault = NonNullable<World['scenario']['faults'][number]['certificate']>;

/**
 * One identity's certificate loop: its CSRs, the CA's answers, installing, retrying. One object per
 * identity, its state in fields and its steps as methods (a run with 30 replicas per service holds
 * 600 of them for the whole run; as one function's closures each held about eight).
 */
class Identity {
  private readonly rules: Rules;
  private readonly rng: ReturnType<World['rng']['fork']>;
  private readonly generation: number;
  private readonly fault: Fault | undefined;
  private serial = 0;
  private first = true;
  private failures = 0;
  private skipFlights: boolean;
  /** The CA's own loop rotates (FIDELITY-MORE J2) and the control plane is stopped: no CSR until it is back. */
  private waitingForCa = false;
  private actor!: CertificateRunner;
  /** The profile's draws of renewal and retry jitter. */
  private readonly draw = (): number => this.rng.next();
  /** The CSR goes out in a task of its own. */
  private readonly sendCsrTask = (): void => this.sendCsr();

  constructor(
    private readonly world: World,
    private readonly proxy: Proxy,
    private readonly slot: CertificateSlot,
    private readonly onFirstCertificate: () => void,
    warm: boolean,
  ) {
    this.rules = world.profile.identity.forProxy?.(proxy.kind) ?? world.profile.identity;
    this.rng = world.rng.fork(`identity:${slot.key}`);
    this.generation = proxy.generation;
    this.fault = world.scenario.faults.find((f) => f.certificate && slot.pods.some((p) => p.name === f.pod))?.certificate;
    this.skipFlights = warm;
  }

  start(): void {
    const { world, proxy, slot, rules, fault, generation } = this;
    // The certificate machine, run without xstate (it records exactly what xstate's actor would: certificateRunner.ts).
    const actor = (this.actor = new CertificateRunner({
      scheduler: world.scheduler,
      recorder: world.recorder,
      entity: `cert:${slot.key}`,
      node: proxy.node,
      retryInMs: rules.retryAfterMs(1, 0, () => 0, 'unreachable'),
      // Runs inside the machine's transition; the flight starts in a task of its own.
      sendCsr: () => void world.scheduler.after(0, this.sendCsrTask),
    }));
    slot.actor = actor;
    if (fault?.expireAt !== undefined) {
      world.scheduler.at(fault.expireAt, () => {
        if (proxy.generation === generation && slot.certificate && slot.certificate.expiresAtMs <= world.now) actor.send({ type: 'cert.expired' });
      });
    }
    actor.send({ type: 'proxy.started' });
  }

  /** Identity, expiry and renewal delay of a certificate signed now. */
  private sign(): { identity: string; expiresAtMs: number; renewInMs: number } {
    const { world, rules, fault, slot } = this;
    // A wrong identity names another account (for Consul, which names services, another service of that name).
    const identity = fault?.identity
      ? rules.identityOf(fault.identity.serviceAccount, fault.identity.namespace ?? slot.namespace, fault.identity.serviceAccount)
      : slot.identity;
    let expiresAtMs = world.now + rules.certTtlMs;
    if (fault?.expireAt !== undefined && fault.expireAt > world.now) expiresAtMs = Math.min(expiresAtMs, fault.expireAt);
    const lifetime = expiresAtMs - world.now;
    return { identity, expiresAtMs, renewInMs: Math.min(rules.renewAfterMs(lifetime, this.draw), lifetime) };
  }

  private install(identity: string, issuedAtMs: number, expiresAtMs: number, renewInMs: number): void {
    const { world, slot } = this;
    slot.certificate = { identity, serial: ++this.serial, issuedAtMs, expiresAtMs };
    world.stats.certificates.push({ workload: slot.key, identity, issuedAtMs, expiresAtMs });
    world.decide({
      node: this.proxy.node,
      layer: 'identity',
      kind: 'renewal-scheduled',
      summary: `renews in ${Math.round(renewInMs / 360_000) / 10}h`,
      cause: this.rules.renewCause,
    });
    this.actor.send({ type: 'cert.issued', renewInMs, expireInMs: expiresAtMs - world.now });
    if (this.first) {
      this.first = false;
      this.onFirstCertificate();
    }
  }

  private fail(why: string, reason: 'unreachable' | 'rate-limited' = 'unreachable', cause: Cause = this.rules.csrCause): void {
    const { world, rules, proxy, slot, generation } = this;
    world.decide({ node: rules.caNode, layer: 'identity', kind: 'csr-failed', summary: why, cause });
    this.failures++;
    world.scheduler.after(world.linkMs, () => {
      if (proxy.generation !== generation) return;
      const remainingMs = slot.certificate ? Math.max(0, slot.certificate.expiresAtMs - world.now) : 0;
      if (rules.waitsForCa && reason === 'unreachable' && !world.controlPlane.up) return this.waitForCa(remainingMs, rules.waitsForCa);
      const retryInMs = rules.retryAfterMs(this.failures, remainingMs, this.draw, reason);
      const holding = remainingMs > 0 ? `keeps its certificate (${formatDuration(remainingMs)} left)` : 'no certificate';
      world.decide({
        node: proxy.node,
        layer: 'identity',
        kind: 'csr-retry',
        summary: `${holding}; trying again in ${formatDuration(retryInMs)}`,
        cause: rules.retryCause,
      });
      this.actor.send({ type: 'csr.failed', retryInMs });
    });
  }

  /** Nothing retries while the CA's loop is stopped; once it is back the proxy asks again at once. */
  private waitForCa(remainingMs: number, cause: Cause): void {
    const { world, proxy } = this;
    const holding = remainingMs > 0 ? `keeps its certificate (${formatDuration(remainingMs)} left)` : 'no certificate';
    world.decide({ node: proxy.node, layer: 'identity', kind: 'csr-retry', summary: `${holding}; asks again when ${this.rules.caNode} is back`, cause });
    this.waitingForCa = true;
    world.controlPlane.whenUp(() => {
      this.waitingForCa = false;
      if (proxy.generation === this.generation) this.actor.send({ type: 'csr.failed', retryInMs: 0 });
    });
  }

  private sendCsr(): void {
    const { world, proxy, slot, fault } = this;
    if (!sameLife(proxy, this.generation) || this.waitingForCa) return;
    if (this.skipFlights) {
      this.skipFlights = false;
      const { identity, expiresAtMs, renewInMs } = this.sign();
      return this.install(identity, world.now, expiresAtMs, renewInMs);
    }
    const rules = this.rules;
    const ca = rules.caNode;
    const blocked = fault?.expireAt !== undefined && world.now >= fault.expireAt;
    const arrive = world.flight({ kind: 'csr', from: proxy.node, to: ca, delayMs: world.linkMs, label: rules.csrLabel, detail: rules.csrDetail(slot) });
    world.scheduler.at(arrive, () => {
      if (blocked) return this.fail(`CSR from ${slot.key} never reaches the CA (scenario fault)`);
      if (!world.controlPlaneReachable(proxy)) return this.fail(`the CA is unreachable: CSR from ${slot.key} goes unanswered`);
      // A CA with a CSR rate limit may make the request wait for its turn, or refuse it (Consul, FIDELITY-MORE I2).
      const admission = world.controlPlane.admitCsr?.(proxy);
      if (admission && 'refused' in admission) return this.fail(admission.refused, 'rate-limited', admission.cause);
      if (admission && admission.waitMs > 0) world.scheduler.after(admission.waitMs, () => this.signAndSend());
      else this.signAndSend();
    });
  }

  /** The CA signs now and sends the certificate back. */
  private signAndSend(): void {
    const { world, proxy, slot, rules } = this;
    const ca = rules.caNode;
    this.failures = 0;
    const issuedAtMs = world.now;
    const { identity, expiresAtMs, renewInMs } = this.sign();
    world.decide({
      node: ca,
      layer: 'identity',
      kind: 'certificate-signed',
      summary: `signed ${identity}, valid ${Math.round(((expiresAtMs - issuedAtMs) / 3_600_000) * 10) / 10}h`,
      cause: rules.ttlCause,
      data: { identity, workload: slot.key },
    });
    const back = world.flight({
      kind: 'certificate',
      from: ca,
      to: proxy.node,
      delayMs: world.linkMs,
      label: 'certificate',
      detail: { identity, serial: this.serial + 1, expiresAtMs },
    });
    world.scheduler.at(back, () => {
      if (!sameLife(proxy, this.generation)) return;
      if (rules.delivery)
        world.decide({ node: proxy.node, layer: 'identity', kind: 'certificate-delivered', summary: rules.delivery.label, cause: rules.delivery.cause });
      this.install(identity, issuedAtMs, expiresAtMs, renewInMs);
    });
  }
}
