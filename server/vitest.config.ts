import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests open real SQLite files and real sockets; one file at a time keeps 2 cores calm.
    fileParallelism: false,
    passWithNoTests: true,
  },
});
