/**
 * Test helpers: build a scenario from a plain object (through the real loader, so defaults and
 * validation apply), run it under a mesh, and query what happened.
 */
import { stringify } from 'yaml';
import { parseScenario, formatProblem, type LoadedScenario } from '../../src/scenario/index.ts';
import { simulate, profileById, type SimulationResult } from '../../src/mesh/index.ts';
import { World } from '../../src/mesh/world.ts';
import { createWorkloads, startPod } from '../../src/mesh/workloads.ts';
import { profileForRun } from '../../src/mesh/profiles/forRun.ts';
import type { MeshProfile } from '../../src/mesh/profiles/types.ts';
import type { DecisionEvent, FlightEvent, RequestEndEvent, TransitionEvent } from '../../src/sim/index.ts';

/** Loads a scenario written as a JS object; throws with the located problems if invalid. */
export function scenarioOf(obj: Record<string, unknown>): LoadedScenario {
  const base = { id: 'test', title: 'test', duration: '10s', ...obj };
  const r = parseScenario(stringify(base), 'test.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

export interface Run extends SimulationResult {
  decisions(kind?: string, layer?: string): DecisionEvent[];
  flights(kind?: FlightEvent['kind']): FlightEvent[];
  ends(): RequestEndEvent[];
  transitions(machine?: string, entity?: string): TransitionEvent[];
}

export function run(obj: Record<string, unknown>, mesh: string, seed?: number): Run {
  const result = simulate(scenarioOf(obj), profileById(mesh)!, seed === undefined ? {} : { seed });
  const ev = result.trace.events;
  return {
    ...result,
    decisions: (kind, layer) => ev.filter((e): e is DecisionEvent => e.type === 'decision' && (!kind || e.kind === kind) && (!layer || e.layer === layer)),
    flights: (kind) => ev.filter((e): e is FlightEvent => e.type === 'flight' && (!kind || e.kind === kind)),
    ends: () => ev.filter((e): e is RequestEndEvent => e.type === 'request' && e.phase === 'end'),
    transitions: (machine, entity) =>
      ev.filter((e): e is TransitionEvent => e.type === 'transition' && (!machine || e.machine === machine) && (!entity || e.entity === entity)),
  };
}

/** One client calling one service once, at 1s. */
export function oneCall(extra: Record<string, unknown> = {}, target = 'server'): Record<string, unknown> {
  return {
    services: [{ name: 'client' }, { name: 'server', replicas: 3 }],
    traffic: [{ from: 'client', to: target, at: '1s' }],
    ...extra,
  };
}

/** A world of `obj`'s services under `mesh` with its control plane, every pod started and run to `untilMs` (no traffic driven). */
export function startedWorld(obj: Record<string, unknown>, mesh: MeshProfile, untilMs: number): World {
  const scenario = scenarioOf(obj);
  const world = new World(scenario, profileForRun(scenario, mesh), 1);
  world.controlPlane = world.profile.createControlPlane(world);
  createWorkloads(world);
  for (const pod of world.pods.values()) startPod(world, pod);
  world.scheduler.runUntil(untilMs);
  return world;
}
