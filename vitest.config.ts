import { defineConfig } from 'vitest/config';
import { scenarioLibrary } from './build/scenarioLibrary.ts';

export default defineConfig({
  // The compiled scenario library, as the site has it (src/ui/library.ts imports it).
  plugins: [scenarioLibrary(import.meta.dirname)],
  test: {
    include: ['test/**/*.test.ts'],
    // Trace events are views over columns: toEqual compares them as the events they show.
    setupFiles: ['test/helpers/setup.ts'],
    // Generous: the end-to-end tests share two cores with builds and other test files.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests start servers and browsers; keep them from fighting over the two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
