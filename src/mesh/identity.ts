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
  const rules = world.profile.identity.forProxy?.(proxy.kind) ?? world.profile.identity;
  const rng = world.rng.fork(`identity:${slot.key}`);
  const generation = proxy.generation;
  const fault = world.scenario.faults.find((f) => f.certificate && slot.pods.some((p) => p.name === f.pod))?.certificate;
  let serial = 0;
  let first = true;
  let failures = 0;
  let skipFlights = warm;
  /** The CA's own loop rotates (FIDELITY-MORE J2) and the control plane is stopped: no CSR until it is back. */
  let waitingForCa = false;

  /** Identity, expiry and renewal delay of a certificate signed now. */
  const sign = (): { identity: string; expiresAtMs: number; renewInMs: number } => {
    // A wrong identity names another account (for Consul, which names services, another service of that name).
    const identity = fault?.identity
      ? rules.identityOf(fault.identity.serviceAccount, fault.identity.namespace ?? slot.namespace, fault.identity.serviceAccount)
      : slot.identity;
    let expiresAtMs = world.now + rules.certTtlMs;
    if (fault?.expireAt !== undefined && fault.expireAt > world.now) expiresAtMs = Math.min(expiresAtMs, fault.expireAt);
    const lifetime = expiresAtMs - world.now;
    return {
      identity,
      expiresAtMs,
      renewInMs: Math.min(
        rules.renewAfterMs(lifetime, () => rng.next()),
        lifetime,
      ),
    };
  };

  const install = (identity: string, issuedAtMs: number, expiresAtMs: number, renewInMs: number): void => {
    slot.certificate = { identity, serial: ++serial, issuedAtMs, expiresAtMs };
    world.stats.certificates.push({ workload: slot.key, identity, issuedAtMs, expiresAtMs });
    world.decide({
      node: proxy.node,
      layer: 'identity',
      kind: 'renewal-scheduled',
      summary: `renews in ${Math.round(renewInMs / 360_000) / 10}h`,
      cause: rules.renewCause,
    });
    actor.send({ type: 'cert.issued', renewInMs, expireInMs: expiresAtMs - world.now });
    if (first) {
      first = false;
      onFirstCertificate();
    }
  };

  const fail = (why: string, reason: 'unreachable' | 'rate-limited' = 'unreachable', cause: Cause = rules.csrCause): void => {
    world.decide({ node: rules.caNode, layer: 'identity', kind: 'csr-failed', summary: why, cause });
    failures++;
    world.scheduler.after(world.linkMs, () => {
      if (proxy.generation !== generation) return;
      const remainingMs = slot.certificate ? Math.max(0, slot.certificate.expiresAtMs - world.now) : 0;
      if (rules.waitsForCa && reason === 'unreachable' && !world.controlPlane.up) return waitForCa(remainingMs, rules.waitsForCa);
      const retryInMs = rules.retryAfterMs(failures, remainingMs, () => rng.next(), reason);
      const holding = remainingMs > 0 ? `keeps its certificate (${formatDuration(remainingMs)} left)` : 'no certificate';
      world.decide({
        node: proxy.node,
        layer: 'identity',
        kind: 'csr-retry',
        summary: `${holding}; trying again in ${formatDuration(retryInMs)}`,
        cause: rules.retryCause,
      });
      actor.send({ type: 'csr.failed', retryInMs });
    });
  };

  /** Nothing retries while the CA's loop is stopped; once it is back the proxy asks again at once. */
  const waitForCa = (remainingMs: number, cause: Cause): void => {
    const holding = remainingMs > 0 ? `keeps its certificate (${formatDuration(remainingMs)} left)` : 'no certificate';
    world.decide({ node: proxy.node, layer: 'identity', kind: 'csr-retry', summary: `${holding}; asks again when ${rules.caNode} is back`, cause });
    waitingForCa = true;
    world.controlPlane.whenUp(() => {
      waitingForCa = false;
      if (proxy.generation === generation) actor.send({ type: 'csr.failed', retryInMs: 0 });
    });
  };

  const sendCsr = (): void => {
    if (!sameLife(proxy, generation) || waitingForCa) return;
    if (skipFlights) {
      skipFlights = false;
      const { identity, expiresAtMs, renewInMs } = sign();
      return install(identity, world.now, expiresAtMs, renewInMs);
    }
    const ca = rules.caNode;
    const blocked = fault?.expireAt !== undefined && world.now >= fault.expireAt;
    const arrive = world.flight({ kind: 'csr', from: proxy.node, to: ca, delayMs: world.linkMs, label: rules.csrLabel, detail: rules.csrDetail(slot) });
    world.scheduler.at(arrive, () => {
      if (blocked) return fail(`CSR from ${slot.key} never reaches the CA (scenario fault)`);
      if (!world.controlPlaneReachable(proxy)) return fail(`the CA is unreachable: CSR from ${slot.key} goes unanswered`);
      // A CA with a CSR rate limit may make the request wait for its turn, or refuse it (Consul, FIDELITY-MORE I2).
      const admission = world.controlPlane.admitCsr?.(proxy);
      if (admission && 'refused' in admission) return fail(admission.refused, 'rate-limited', admission.cause);
      if (admission && admission.waitMs > 0) world.scheduler.after(admission.waitMs, signAndSend);
      else signAndSend();
    });
  };

  /** The CA signs now and sends the certificate back. */
  const signAndSend = (): void => {
    const ca = rules.caNode;
    failures = 0;
    const issuedAtMs = world.now;
    const { identity, expiresAtMs, renewInMs } = sign();
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
      detail: { identity, serial: serial + 1, expiresAtMs },
    });
    world.scheduler.at(back, () => {
      if (!sameLife(proxy, generation)) return;
      if (rules.delivery)
        world.decide({ node: proxy.node, layer: 'identity', kind: 'certificate-delivered', summary: rules.delivery.label, cause: rules.delivery.cause });
      install(identity, issuedAtMs, expiresAtMs, renewInMs);
    });
  };

  // The certificate machine, run without xstate (it records exactly what xstate's actor would: certificateRunner.ts).
  const actor = new CertificateRunner({
    scheduler: world.scheduler,
    recorder: world.recorder,
    entity: `cert:${slot.key}`,
    node: proxy.node,
    retryInMs: rules.retryAfterMs(1, 0, () => 0, 'unreachable'),
    // Runs inside the machine's transition; the flight starts in a task of its own.
    sendCsr: () => void world.scheduler.after(0, sendCsr),
  });
  slot.actor = actor;
  if (fault?.expireAt !== undefined) {
    world.scheduler.at(fault.expireAt, () => {
      if (proxy.generation === generation && slot.certificate && slot.certificate.expiresAtMs <= world.now) actor.send({ type: 'cert.expired' });
    });
  }
  actor.send({ type: 'proxy.started' });
}
