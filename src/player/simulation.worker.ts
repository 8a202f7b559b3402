/** Web Worker entry: simulates runs off the main thread for {@link createRunner}. */
// Meshes a build adds (MESH_SIM_EXTENSIONS), registered here too: the worker has its own modules.
import '../mesh/extensions.ts';
import { loadProfile } from '../mesh/index.ts';
import type { WorkerRequest, WorkerResponse } from './runner.ts';
import { answer } from './workerAnswer.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(m: WorkerResponse, transfer: Transferable[]): void;
};
scope.onmessage = async (e) => {
  // Only the profile of the mesh asked for is loaded (src/mesh/profiles/registry.ts).
  await loadProfile(e.data.request.mesh);
  answer(e.data, (response, transfer) => scope.postMessage(response, transfer));
};
