import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Model-backed tests saturate both cores on their own; run files one after another so that
    // their worker pools do not fight, and give real-video tests room to finish.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
