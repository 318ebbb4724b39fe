import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Model-backed tests saturate both cores on their own; run files one after another so that
    // their worker pools do not fight, and give real-video tests room to finish.
    fileParallelism: false,
    testTimeout: 120_000,
    // Tiled inference (the default) costs one inference per view, three for 16:9 video. Tests of
    // the API, server, jobs and reliability do not depend on it, so the suite runs whole-frame by
    // default; tests of what the model finds name their tiling explicitly.
    env: { EDGE_LABEL_DETECTION_TILING: 'off' },
    hookTimeout: 300_000,
  },
});
