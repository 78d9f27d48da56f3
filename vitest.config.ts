import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker-thread tests spawn real threads; keep file-level parallelism modest on 2 cores.
    maxWorkers: 2,
  },
});
