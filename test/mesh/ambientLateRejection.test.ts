/**
 * Istio ambient: ztunnel authorizes a connection when it is set up, tracks it, and closes it when
 * a config push tightens the policy (FIDELITY-MORE H4; istio/ztunnel connection_manager.rs
 * PolicyWatcher, proxy.rs AuthorizationPolicyLateRejection). Under sidecars the policy is read for
 * each request, so the request in flight finishes and the next one gets a 403.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import type { DecisionEvent, FlightEvent } from '../../src/sim/index.ts';

const policy = (principal: string) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'server-allow' },
  spec: {
    selector: { matchLabels: { app: 'server' } },
    action: 'ALLOW',
    rules: [{ from: [{ source: { principals: [`cluster.local/ns/default/sa/${principal}`] } }] }],
  },
});
/** A keep-alive client (one fortio-style worker) calling a slow server; at 2 s the policy stops allowing it. */
const scenario = (traffic: Record<string, unknown>) => ({
  nodes: [
    { name: 'node-a', pods: ['client-0'] },
    { name: 'node-b', pods: ['server-0'] },
  ],
  services: [{ name: 'client' }, { name: 'server', latency: '300ms' }],
  traffic: [{ from: 'client', to: 'server', start: '1s', ...traffic }],
  istio: [policy('client')],
  changes: [{ at: '2s', istio: [policy('other')] }],
  duration: '4s',
});
const KEEP_ALIVE = { count: 30, concurrency: 1 };

const pushTo = (flights: FlightEvent[], node: string): FlightEvent => flights.find((f) => f.kind === 'config' && f.to === node && /v1/.test(f.label))!;

describe('Istio ambient: connections closed when policy tightens', () => {
  it('FIDELITY-MORE H4: the push reaching the destination ztunnel closes the tracked connection and resets the request in flight on it', () => {
    const r = run(scenario(KEEP_ALIVE), 'ambient');
    const push = pushTo(r.flights(), 'node-b/ztunnel');
    expect(push).toBeDefined();
    const denies = r.decisions('deny');
    // Nothing is denied before the push arrives, although the change was applied to istiod at 2 s.
    expect(denies[0]!.t).toBe(push.arriveMs);
    const late = denies[0]!;
    expect(late.node).toBe('node-b/ztunnel');
    expect(late.summary).toMatch(
      /^connection closed due to policy change: spiffe:\/\/cluster\.local\/ns\/default\/sa\/client → server-0 \(the app's connection traffic\[0\]#0\) was allowed when it opened/,
    );
    expect(late.summary).toMatch(/the request in flight on it is reset$/);
    expect(late.cause.source).toMatch(/^FIDELITY-MORE H4: istio\/ztunnel src\/proxy\/connection_manager\.rs PolicyWatcher/);
    // The request in flight: reset at once (the server would have answered 300 ms after it started).
    const inFlight = r.report.requests.find((q) => q.id === late.requestId)!;
    expect(inFlight.status).toBe(0);
    // The client's ztunnel closes the app's connection in turn: the app reads why.
    expect(inFlight.reason).toMatch(/^connection reset: .*connection closed due to policy change$/);
    expect(inFlight.startMs).toBeLessThan(push.arriveMs);
    expect(inFlight.endMs).toBeLessThan(inFlight.startMs + 300);
    // The RST travels back from the destination ztunnel at the push's arrival.
    expect(r.flights('tcp').some((f) => f.requestId === late.requestId && f.from === 'node-b/ztunnel' && f.departMs === push.arriveMs)).toBe(true);
    // Every request before it passed on the one connection; every request after it opens a new one, refused at setup.
    const before = r.report.requests.filter((q) => q.startMs < inFlight.startMs);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((q) => q.status === 200)).toBe(true);
    const after = denies.slice(1);
    expect(after.length).toBe(r.report.requests.filter((q) => q.startMs > inFlight.startMs).length);
    expect(
      after.every((d: DecisionEvent) => /opens a connection to server-0 — connection closed due to policy rejection: no ALLOW policy/.test(d.summary)),
    ).toBe(true);
    expect(r.report.requests.filter((q) => q.startMs > inFlight.startMs).every((q) => q.status === 0)).toBe(true);
  });

  it('FIDELITY-MORE H4: under Istio sidecars the request in flight finishes; the next request is refused with 403', () => {
    const r = run(scenario(KEEP_ALIVE), 'istio');
    const push = pushTo(r.flights(), 'server-0/proxy');
    const first = r.decisions('deny')[0]!;
    expect(first.t).toBeGreaterThan(push.arriveMs);
    expect(first.summary).not.toMatch(/connection closed/);
    const spanning = r.report.requests.find((q) => q.startMs < push.arriveMs && q.endMs > push.arriveMs)!;
    expect(spanning.status).toBe(200);
    expect(r.report.requests.filter((q) => q.startMs > spanning.startMs).every((q) => q.status === 403)).toBe(true);
  });

  it('FIDELITY-MORE H4: a policy change that still allows the connection leaves it open', () => {
    const still = { ...scenario(KEEP_ALIVE), changes: [{ at: '2s', istio: [policy('client')] }] };
    const r = run(still, 'ambient');
    expect(r.decisions('deny')).toEqual([]);
    expect(r.report.summary.byStatus).toEqual({ 200: r.report.requests.length });
  });

  it('FIDELITY-MORE H4: an app that opens a connection per request has only the requests in flight closed', () => {
    const r = run(scenario({ rate: '10/s', stop: '3s' }), 'ambient');
    const push = pushTo(r.flights(), 'node-b/ztunnel');
    const late = r.decisions('deny').filter((d) => d.summary.startsWith('connection closed due to policy change'));
    // 10/s of 300 ms requests: about three in flight when the push lands, each its own connection.
    expect(late.length).toBeGreaterThanOrEqual(2);
    expect(late.every((d) => d.t === push.arriveMs && /no request was in flight|the request in flight on it is reset/.test(d.summary))).toBe(true);
    // Each closed connection carried a request that started before the push and is reset by it.
    const closed = new Set(late.map((d) => d.requestId));
    expect(closed.size).toBe(late.length);
    const reset = r.report.requests.filter((q) => closed.has(q.id));
    expect(reset.every((q) => q.startMs < push.arriveMs && q.reason?.endsWith('connection closed due to policy change'))).toBe(true);
    // The others around the push were answered before it reached the pod, or, still on the wire, refused at setup.
    for (const q of r.report.requests.filter((x) => x.startMs < push.arriveMs && x.endMs >= push.arriveMs && !closed.has(x.id))) {
      if (q.status !== 200) expect(r.decisions('deny').find((d) => d.requestId === q.id)!.summary).toMatch(/connection closed due to policy rejection/);
    }
    // Requests already answered before the push stay answered: 200.
    expect(r.report.requests.filter((q) => q.endMs < push.arriveMs).every((q) => q.status === 200)).toBe(true);
  });

  it('FIDELITY-MORE H4: a keep-alive connection whose calls are done is no longer tracked, so nothing is closed', () => {
    const r = run(scenario({ count: 2, concurrency: 1 }), 'ambient');
    expect(r.report.requests.every((q) => q.endMs < 2000)).toBe(true);
    expect(r.decisions('deny')).toEqual([]);
  });
});
