/**
 * What the simulation worker (simulation.worker.ts) answers a request, once the mesh's profile is
 * loaded: the run, its trace's columns transferred rather than cloned (a long run's half a million
 * events would be); for a request marked `preview` (a long run begun early, runner.ts), first the
 * run's preview (parse.ts runTextPreviewed), then the run — a long run with its show map.
 */
import { runText, runTextPreviewed } from './parse.ts';
import type { RunOutcome } from './run.ts';
import { wireOutcome, type WorkerRequest, type WorkerResponse } from './runner.ts';
import { buildShowMap } from './pace.ts';

export function answer({ id, request, preview, showAboveEvents }: WorkerRequest, post: (response: WorkerResponse, transfer: ArrayBuffer[]) => void): void {
  const send = (outcome: RunOutcome, early = false): void => {
    // A long run's show map is made here, where the simulation's heap goes with the worker, not
    // on the page beside the run (runner.ts RETIRE_WORKER_EVENTS).
    const long = !early && outcome.ok && showAboveEvents !== undefined && outcome.trace.events.length >= showAboveEvents;
    const show = long ? buildShowMap(outcome.trace.events, outcome.trace.durationMs) : undefined;
    const { response, transfer } = wireOutcome(id, outcome, show);
    post(early ? { ...response, preview: true } : response, transfer);
  };
  send(preview ? runTextPreviewed(request, (early) => send(early, true)) : runText(request));
}
