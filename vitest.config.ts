import { defineConfig } from 'vitest/config';
import { scenarioLibrary } from './build/scenarioLibrary.ts';

/**
 * Test files that change what the whole process shares — register a mesh in the catalog, mock a
 * module, spy on a prototype — each run in a fresh module graph of their own. The rest share one
 * per worker (`isolate: false`): importing the sources afresh for every file was about half the
 * unit tests' time (session 37: 183 files 315 s isolated, 169 s shared). test/isolated.test.ts
 * fails for a file that does such things and is not listed.
 */
export const ISOLATED = [
  'test/cli/internalError.test.ts', // mocks the mesh catalog
  'test/lesson/pack.test.ts', // sets process.env.TZ
  'test/mesh/catalog.test.ts', // registers meshes
  'test/mesh/extension.test.ts', // registers linkerd-copy
  'test/mesh/sharedSection.test.ts',
  'test/mesh/certificateRunner.test.ts', // spies on console
  'test/mesh/flightNames.test.ts', // spies on TraceStore's prototype
  'test/mesh/handshake.test.ts',
  'test/player/cursorReads.test.ts',
  'test/player/parseOnce.test.ts', // mocks the scenario module
  'test/player/preload.test.ts', // loads the mesh profiles, which must not be loaded before it
  'test/scenario/catalog.test.ts', // adds late-mesh to the catalog
  'test/sim/flatMachines.test.ts', // spies on console and a store
  'test/scenario/fuzzData.test.ts', // spy on process.emitWarning (fuzz.ts)
  'test/scenario/fuzzText.test.ts',
  'test/e2e/compareExtension.test.ts', // imports linkerd-copy
];

export default defineConfig({
  // The compiled scenario library, as the site has it (src/ui/library.ts imports it).
  plugins: [scenarioLibrary(import.meta.dirname)],
  test: {
    // Trace events are views over columns: toEqual compares them as the events they show.
    setupFiles: ['test/helpers/setup.ts'],
    // Generous: the end-to-end tests share two cores with builds and other test files.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests start servers and browsers; keep them from fighting over the two cores.
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
