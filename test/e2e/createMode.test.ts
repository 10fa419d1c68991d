/**
 * `gcpMode: create` offline, with the real engine: the program finds the CSV relative to the
 * project (the folder of Pulumi.yaml) although it runs from dist/, so the only thing missing is
 * Google Cloud's provider plugin, and the error says so instead of naming a CSV that exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, E2eWorld } from "./fixture";

describe("gcpMode create, offline", () => {
  let world: E2eWorld;
  beforeAll(async () => {
    world = await createWorld();
  }, 120_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it("reads the CSV from the project folder and stops only at the missing gcp plugin", async () => {
    const { serviceAccountKey: _key, bucketName: _bucket, ...base } = world.baseConfig();
    const opened = await world.stack("create-mode", {
      ...base,
      gcpMode: { value: "create" },
      gcpLocation: { value: "EU" },
      gcpProject: { value: "offline-project" },
      csvPath: { value: "data/high_paying_users.csv" },
    });
    const failure = await opened.stack.preview().then(
      () => undefined,
      (error: unknown) => String(error),
    );
    expect(failure).toBeDefined();
    expect(failure).not.toContain("csvPath");
    expect(failure).toContain("pulumi-resource-gcp");
  });

  it("refuses to create Google Cloud resources when the engine skips checkpoints, before anything is made", async () => {
    const { serviceAccountKey: _key, bucketName: _bucket, ...base } = world.baseConfig();
    const opened = await world.stack(
      "create-mode-no-checkpoints",
      { ...base, gcpMode: { value: "create" }, gcpLocation: { value: "EU" }, gcpProject: { value: "offline-project" } },
      { checkpoints: "end" },
    );
    expect(opened.env.PULUMI_SKIP_CHECKPOINTS).toBe("true");
    world.emulator.resetStats();
    const failure = await opened.stack.preview().then(
      () => undefined,
      (error: unknown) => String(error),
    );
    expect(failure).toContain("gcpMode create");
    expect(failure).toContain("POLYTOMIC_CHECKPOINTS=each-step");
    expect(failure).not.toContain("pulumi-resource-gcp");
    expect(world.emulator.stats().routes["POST /api/connections"] ?? 0).toBe(0);
  });
});
