/** Web Worker entry: simulates runs off the main thread for {@link createRunner}. */
// Meshes a build adds (MESH_SIM_EXTENSIONS), registered here too: the worker has its own modules.
import '../mesh/extensions.ts';
import { loadProfile } from '../mesh/index.ts';
import { loadCommands } from './edits.ts';
import type { ShowRequest, ShowResponse, WorkerRequest, WorkerResponse } from './runner.ts';
import { answer } from './workerAnswer.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest | ShowRequest>) => void) | null;
  postMessage(m: WorkerResponse | ShowResponse, transfer: Transferable[]): void;
};
scope.onmessage = async (e) => {
  const post = (response: WorkerResponse | ShowResponse, transfer: ArrayBuffer[]): void => scope.postMessage(response, transfer);
  // A long run's trace, for its show map: no profile needed.
  if ('showOf' in e.data) return answer(e.data, post);
  // Only the profile of the mesh asked for is loaded (src/mesh/profiles/registry.ts).
  await loadProfile(e.data.request.mesh);
  // What runs the learner's commands, when the request has any (edits.ts loadCommands).
  if (e.data.request.edits?.commands?.length) await loadCommands();
  answer(e.data, post);
};
