import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One PostgreSQL for the run, for the tests that keep state there (test/support/postgres.ts).
    globalSetup: ["test/support/postgresSetup.ts"],
    // Child processes, not worker threads: Pulumi's runtime and the emulator keep process-wide state.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
