import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests start servers and browsers; keep them from fighting over the two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
