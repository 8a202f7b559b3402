/**
 * What the page's entry script (src/main.ts) begins for a `scenarioUrl` — which may be a long run
 * for the worker — before the app's modules have arrived (their download and compile take the
 * better part of a second in software-rendered Chromium): the simulation worker, which loads its
 * own modules meanwhile, and the scenario's fetch. The page's head start (headStart.ts) takes both,
 * so the run is asked of a worker that is ready, with the text at hand. Small on purpose: it is in
 * the entry chunk, ahead of everything else.
 */
import { fetchScenario } from './scenarioUrl.ts';

/** The simulation worker of runner.ts (src/player/simulation.worker.ts). */
export const simulationWorker = (): Worker => new Worker(new URL('../player/simulation.worker.ts', import.meta.url), { type: 'module' });

let worker: Worker | null = null;
let fetched: { url: string; file: ReturnType<typeof fetchScenario> } | null = null;

/** Begins the worker and the fetch when `search` asks for a scenario by URL (the app's page, not the embed or the authoring view). */
export function beginEarly(search: string): void {
  const url = new URLSearchParams(search).get('scenarioUrl');
  if (url === null) return;
  worker = simulationWorker();
  fetched = { url, file: fetchScenario(url) };
}

/** The worker begun early (once), else a new one. */
export function takeWorker(): Worker {
  const begun = worker;
  worker = null;
  return begun ?? simulationWorker();
}

/** The fetch of `url` begun early (once), if that is the URL it fetched. */
export function takeFetch(url: string): ReturnType<typeof fetchScenario> | null {
  const begun = fetched?.url === url ? fetched.file : null;
  fetched = null;
  return begun;
}
