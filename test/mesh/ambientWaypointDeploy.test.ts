/**
 * Istio ambient: a waypoint a `changes[]` step deploys starts with that change (FIDELITY-MORE H6:
 * istiod deploys the waypoint when its Gateway is applied, and gives services their waypoint only
 * once it has a ready pod — istio/istio pilot/pkg/serviceregistry/ambient/waypoints.go). Before
 * it, no traffic reaches it and the player's view does not show it running.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate, ambientProfile } from '../../src/mesh/index.ts';
import { loadScenarioOrThrow } from '../../src/scenario/index.ts';
import { Timeline, viewAt, showAtTime } from '../../src/player/index.ts';
import type { FlightEvent, TransitionEvent } from '../../src/sim/index.ts';

const FILE = 'scenarios/ambient-waypoint-l7.yaml';
const WAYPOINT = 'waypoint-0/gateway';

describe('Istio ambient: a waypoint deployed by a change', () => {
  const scenario = loadScenarioOrThrow(readFileSync(FILE, 'utf8'), FILE);
  const changeAt = scenario.changes[0]!.at;
  const { trace } = simulate(scenario, ambientProfile);
  const flights = trace.events.filter((e): e is FlightEvent => e.type === 'flight');
  const transitions = trace.events.filter((e): e is TransitionEvent => e.type === 'transition');

  it('FIDELITY-MORE H6: the waypoint pod starts when its change applies: admission, certificate and config from then on', () => {
    expect(changeAt).toBe(5000);
    const own = transitions.filter((e) => e.entity === 'waypoint-0' || e.entity === 'cert:waypoint-0' || e.entity === 'config:waypoint-0');
    expect(own.length).toBeGreaterThan(0);
    expect(Math.min(...own.map((e) => e.t))).toBe(changeAt);
    expect(own.find((e) => e.entity === 'waypoint-0' && e.to === 'ready')!.t).toBeGreaterThanOrEqual(changeAt);
    // Its CSR and its first xDS request leave the waypoint after the change, not before.
    const fromIt = flights.filter((f) => f.from === WAYPOINT && (f.kind === 'csr' || f.kind === 'discovery'));
    expect(fromIt.map((f) => f.kind).sort()).toEqual(['csr', 'discovery']);
    expect(fromIt.every((f) => f.departMs >= changeAt)).toBe(true);
  });

  it('FIDELITY-MORE H6: before the change no traffic reaches the waypoint; after it is ready, requests go through it', () => {
    const toWaypoint = flights.filter((f) => f.kind === 'http-request' && f.to === WAYPOINT);
    expect(toWaypoint.length).toBeGreaterThan(0);
    const first = Math.min(...toWaypoint.map((f) => f.departMs));
    expect(first).toBeGreaterThan(changeAt);
    // Only once istiod has pushed the waypoint's ready endpoint to the ztunnels.
    const ready = transitions.find((e) => e.entity === 'waypoint-0' && e.to === 'ready')!.t;
    const eds = flights.find((f) => f.kind === 'config' && f.to.endsWith('/ztunnel') && f.departMs > ready && /waypoint/.test(f.label))!;
    expect(eds).toBeDefined();
    expect(first).toBeGreaterThanOrEqual(eds.arriveMs);
  });

  it("FIDELITY-MORE H6: the player's view does not list the waypoint as running before the change, and does after", () => {
    const tl = new Timeline(trace);
    const at = (t: number) => viewAt(tl, { showMs: showAtTime(tl.show, t), seq: Number.MAX_SAFE_INTEGER });
    const waypointState = (t: number) => at(t).components.find((c) => c.entity === 'waypoint-0' && c.machine === 'workload')?.state;
    expect(waypointState(changeAt - 1)).toBeUndefined();
    expect(at(changeAt - 1).components.filter((c) => /waypoint-0/.test(c.entity))).toEqual([]);
    // The workloads deployed from the start are listed ready at the same moment.
    expect(at(changeAt - 1).components.find((c) => c.entity === 'reviews-0' && c.machine === 'workload')?.state).toBe('ready');
    expect(waypointState(changeAt + 500)).toBe('ready');
  });
});
