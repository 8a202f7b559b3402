/**
 * The page's entry. One page, two faces: the full app, or with `?embed=1` the simulator made to
 * sit in a course (src/embed: only the controls asked for, the postMessage API, author scenarios
 * by URL or fragment). Each face is its own chunk, so neither downloads the other.
 */
// Meshes a build adds (MESH_SIM_EXTENSIONS; empty otherwise), registered before either face loads.
import './mesh/extensions.ts';
import { beginEarly } from './ui/earlyStart.ts';

const query = new URLSearchParams(location.search);
if (query.has('embed')) void import('./embed/main.ts');
else {
  // A scenario by URL: its fetch and the simulation worker begin now, while the app's modules load.
  if (!query.has('author')) beginEarly(location.search);
  void import('./ui/main.ts');
}
