/**
 * What the simulation worker (simulation.worker.ts) answers a request, once the mesh's profile is
 * loaded: the run, its trace's columns transferred rather than cloned (a long run's half a million
 * events would be); for a request marked `preview` (a long run begun early, runner.ts), first the
 * run's preview (parse.ts runTextPreviewed), then the run.
 */
import { runText, runTextPreviewed } from './parse.ts';
import type { RunOutcome } from './run.ts';
import { wireOutcome, type WorkerRequest, type WorkerResponse } from './runner.ts';

export function answer({ id, request, preview }: WorkerRequest, post: (response: WorkerResponse, transfer: ArrayBuffer[]) => void): void {
  const send = (outcome: RunOutcome, early = false): void => {
    const { response, transfer } = wireOutcome(id, outcome);
    post(early ? { ...response, preview: true } : response, transfer);
  };
  send(preview ? runTextPreviewed(request, (early) => send(early, true)) : runText(request));
}
