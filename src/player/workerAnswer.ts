/**
 * What the simulation worker (simulation.worker.ts) answers a request, once the mesh's profile is
 * loaded: the run, its trace's columns transferred rather than cloned (a long run's half a million
 * events would be); for a request marked `preview` (a long run begun early, runner.ts), first the
 * run's preview (parse.ts runTextPreviewed), then the run. A long run's trace sent back to a
 * worker (runner.ts ShowRequest) is answered with its show map.
 */
import { packedBuffers, unpackTrace } from '../sim/index.ts';
import { runText, runTextPreviewed } from './parse.ts';
import type { RunOutcome } from './run.ts';
import { showBuffers, wireOutcome, type ShowRequest, type ShowResponse, type WorkerRequest, type WorkerResponse } from './runner.ts';
import { buildShowMap } from './pace.ts';

export function answer(message: WorkerRequest | ShowRequest, post: (response: WorkerResponse | ShowResponse, transfer: ArrayBuffer[]) => void): void {
  if ('showOf' in message) {
    // The trace's columns are read in place (unpacking makes no copy) and go back as they came.
    const { id, showOf } = message;
    const trace = unpackTrace(showOf);
    const show = buildShowMap(trace.events, trace.durationMs);
    post({ id, showOf, show }, [...packedBuffers(showOf), ...showBuffers(show)]);
    return;
  }
  const { id, request, preview } = message;
  const send = (outcome: RunOutcome, early = false): void => {
    const { response, transfer } = wireOutcome(id, outcome);
    post(early ? { ...response, preview: true } : response, transfer);
  };
  send(preview ? runTextPreviewed(request, (early) => send(early, true)) : runText(request));
}
