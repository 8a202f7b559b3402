/** Web Worker entry: simulates runs off the main thread for {@link createRunner}. */
// Meshes a build adds (MESH_SIM_EXTENSIONS), registered here too: the worker has its own modules.
import '../mesh/extensions.ts';
import { runScenario } from './parse.ts';
import type { WorkerRequest, WorkerResponse } from './runner.ts';

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(m: WorkerResponse): void };
scope.onmessage = (e) => {
  scope.postMessage({ id: e.data.id, outcome: runScenario(e.data.request) });
};
