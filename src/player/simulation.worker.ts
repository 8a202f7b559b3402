/** Web Worker entry: simulates runs off the main thread for {@link createRunner}. */
// Meshes a build adds (MESH_SIM_EXTENSIONS), registered here too: the worker has its own modules.
import '../mesh/extensions.ts';
import { runScenario } from './parse.ts';
import { wireOutcome, type WorkerRequest, type WorkerResponse } from './runner.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(m: WorkerResponse, transfer: Transferable[]): void;
};
scope.onmessage = (e) => {
  // The trace's columns are transferred, not cloned (a long run's half a million events would be).
  const { response, transfer } = wireOutcome(e.data.id, runScenario(e.data.request));
  scope.postMessage(response, transfer);
};
