import { defineConfig } from 'vitest/config';

// Two layers: pure unit tests next to the code, and integration tests that drive the real
// Docker engine. The integration layer runs one file at a time: the files share one engine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/src/**/*.test.ts', 'scripts/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['server/test/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The playground on a cluster of three engines on this machine (npm run cluster): brought
        // up at the start (about 2.5 min from cold) and taken down at the end.
        test: {
          name: 'cluster',
          include: ['server/test/cluster/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 1_200_000,
        },
      },
    ],
  },
});
