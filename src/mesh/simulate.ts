/**
 * `simulate(scenario, profile, options)`: runs a scenario under one mesh to the end, in virtual
 * time, and returns its trace and run report. Deterministic: the same scenario, profile and seed
 * give the same trace, in Node and in the browser.
 */
import type { Trace } from '../sim/index.ts';
import { sectionResources, type LoadedScenario } from '../scenario/index.ts';
import { isConnectionMesh, type AnyMeshProfile } from './profiles/types.ts';
import { World, type SimulateOptions } from './world.ts';
import { createWorkloads, crashPod, restartPod, startPod } from './workloads.ts';
import { startProxy } from './proxies.ts';
import { topologyOf } from './topology.ts';
import { startTraffic } from './traffic.ts';
import { scenarioAfter } from './changes.ts';
import { answerCheckpoints } from './checkpoints.ts';
import { weaveNarration } from './narration.ts';
import { buildReport, type RunReport } from './report.ts';
import { dataPlaneProblems } from './profiles/dataPlaneModes.ts';
import { machineGraphs } from './machines/charts.ts';
import { serveApp } from './appServer.ts';
import { profileForRun } from './profiles/forRun.ts';

export type { SimulateOptions };

export interface SimulationResult {
  trace: Trace;
  report: RunReport;
  /** Scheduler tasks the run executed (the engine benchmark's "events"). */
  engineEvents: number;
}

export function simulate(scenario: LoadedScenario, meshProfile: AnyMeshProfile, options: SimulateOptions = {}): SimulationResult {
  // A service asking for a data plane this mesh lacks is refused, never given another (FIDELITY-MORE H8).
  const planes = dataPlaneProblems(scenario, meshProfile);
  if (planes.length > 0) throw new Error(planes.map((p) => `${p.path} ${p.message}`).join('\n'));
  // A connection mesh (NSM) has no request pipeline: it simulates its own world.
  if (isConnectionMesh(meshProfile)) return meshProfile.simulate(scenario, options);
  const seed = options.seed ?? scenario.seed;
  const profile = profileForRun(scenario, meshProfile, options.versions);
  const world = new World(scenario, profile, seed);
  world.controlPlane = profile.createControlPlane(world);
  world.serveApp = serveApp;
  createWorkloads(world);
  const pods = [...world.pods.values()];
  // Proxies of their own (a node's proxy, a waypoint) run before the pods they serve start.
  const standalone = [...world.proxies.values()].filter((p) => !p.pod);
  world.scheduler.at(0, () => {
    for (const proxy of standalone) startProxy(world, proxy, scenario.startup === 'warm');
    for (const pod of pods) if (pod.deployedBy === undefined) startPod(world, pod);
  });
  for (const f of scenario.faults) {
    if (f.controlPlane === 'down') {
      world.scheduler.at(f.from ?? 0, () => world.controlPlane.setUp(false));
      if (f.until !== undefined) world.scheduler.at(f.until, () => world.controlPlane.setUp(true));
    }
    if (f.link && f.pod) {
      const { pod, link } = { pod: f.pod, link: f.link };
      world.scheduler.at(f.from ?? 0, () => {
        world.decide({
          node: world.receiverOf(world.pods.get(pod)!),
          layer: 'network',
          kind: 'link-cut',
          summary: `network between ${pod} and ${link.to} is cut`,
          cause: {
            config: 'faults (link)',
            isDefault: false,
            source: 'scenario faults',
          },
        });
        world.setLinkCut(pod, link.to, true);
      });
      if (f.until !== undefined) world.scheduler.at(f.until, () => world.setLinkCut(pod, link.to, false));
    }
    if (!f.crash) continue;
    const targets = f.pod ? [world.pods.get(f.pod)!] : world.services.get(f.service!)!.pods;
    const { at, restartAfter } = f.crash;
    world.scheduler.at(at, () => {
      for (const pod of targets) crashPod(world, pod);
    });
    if (restartAfter !== undefined) {
      world.scheduler.at(at + restartAfter, () => {
        for (const pod of targets) restartPod(world, pod);
      });
    }
  }
  scenario.changes.forEach((change, k) => {
    world.scheduler.at(change.at, () => {
      world.configs.push(profile.compile(scenarioAfter(scenario, k + 1)));
      // A change with nothing for this mesh (only another section's resources) is not pushed. The
      // section, not the mesh id: meshes that share a section (Istio's two modes) see the same change.
      if (change.policies || sectionResources(change, profile.resourcesKey)) world.controlPlane.configChanged(world.configs.length - 1);
      // Pods this change deploys (a waypoint) start now: admission, certificate and config from here.
      for (const pod of pods) if (pod.deployedBy === k) startPod(world, pod);
    });
  });
  startTraffic(world);
  const untilMs = Math.min(options.untilMs ?? scenario.duration, scenario.duration);
  world.scheduler.runUntil(untilMs);

  // Narration is told per mesh, by id (a line about ambient is not one about sidecars), while
  // resources are read per section: the two are different keys of the catalog.
  const store = weaveNarration(
    world.recorder.store.seal(true),
    scenario.narration.filter((n) => !n.mesh || n.mesh === profile.id),
  ).seal();
  // Each event is a small view over the columns (src/sim/traceStore.ts).
  const events = store.views();
  const trace: Trace = {
    version: 1,
    scenario: { id: scenario.id, title: scenario.title, ...(scenario.description ? { description: scenario.description } : {}) },
    mesh: profile.id,
    release: { version: profile.release.version, label: profile.release.label },
    seed,
    durationMs: untilMs,
    topology: topologyOf(world),
    machines: machineGraphs(),
    events,
  };
  const report = buildReport(world, events.length, untilMs);
  report.checkpoints = answerCheckpoints(scenario.checkpoints, trace, report);
  return { trace, report, engineEvents: world.scheduler.processed };
}
