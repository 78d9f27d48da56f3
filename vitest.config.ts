import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ first: the CLI and worker threads under test load compiled code.
    globalSetup: ["test/helpers/build-dist.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker-thread tests spawn real threads; keep file-level parallelism modest on 2 cores.
    maxWorkers: 2,
  },
});
