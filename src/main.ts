/**
 * The page's entry. One page, two faces: the full app, or with `?embed=1` the simulator made to
 * sit in a course (src/embed: only the controls asked for, the postMessage API, author scenarios
 * by URL or fragment). Each face is its own chunk, so neither downloads the other.
 */
// Meshes a build adds (MESH_SIM_EXTENSIONS; empty otherwise), registered before either face loads.
import './mesh/extensions.ts';
import { beginEarly, beginLibrary } from './ui/earlyStart.ts';

const query = new URLSearchParams(location.search);
if (query.has('embed')) {
  // A library scenario's run as the site built it: fetched now, while the embed's modules load.
  beginLibrary(location.search, location.hash);
  void import('./embed/main.ts');
} else {
  // A scenario by URL: its fetch and the simulation worker begin now, while the app's modules load;
  // a library scenario: its chunk and its run's.
  if (!query.has('author')) beginEarly(location.search, location.hash);
  void import('./ui/main.ts');
}
