import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // First the Pulumi CLI (built from the Go module proxy on a fresh machine: minutes, before any
    // test's clock starts), then one PostgreSQL for the run, for the tests that keep state there.
    globalSetup: ["test/support/pulumiCliSetup.ts", "test/support/postgresSetup.ts"],
    // Child processes, not worker threads: Pulumi's runtime and the emulator keep process-wide state.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
