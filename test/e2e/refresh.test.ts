/**
 * With the real engine: `refresh --yes` reads every object once. Pulumi runs a preview pass
 * first even when --yes means nobody confirms it, reading everything twice; cliArgs (what
 * `npm run pulumi` runs) skips that pass. Both are measured, so the test shows the difference.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliArgs } from "../../scripts/lib/pulumiEnv";
import { API_KEY, createWorld, E2eWorld, syncsConfig } from "./fixture";
import { count, inventory } from "./api";

const run = promisify(execFile);

describe("refresh", () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createWorld();
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it("reads each object once when run with --yes", async () => {
    const SYNCS = 4;
    const { stack, env } = await world.stack("refresh", { ...world.baseConfig(), syncs: syncsConfig(SYNCS) });
    await stack.up();
    const objects = count(await inventory(world.emulator.url, API_KEY));
    const reads = () => {
      const routes = world.emulator.stats().routes;
      return {
        connections: routes["GET /api/connections/{id}"] ?? 0,
        models: routes["GET /api/models/{id}"] ?? 0,
        syncs: routes["GET /api/syncs/{id}"] ?? 0,
        webhooks: routes["GET /api/webhooks/{id}"] ?? 0,
      };
    };
    const refresh = async (args: string[]) => {
      world.emulator.resetStats();
      await run("pulumi", [...args, "--non-interactive", "--stack", "refresh"], { cwd: path.join(world.dir, "program"), env });
      return reads();
    };

    expect(cliArgs(["refresh", "--yes"])).toContain("--skip-preview");
    expect(await refresh(cliArgs(["refresh", "--yes"]))).toEqual(objects);
    // Pulumi's own `refresh --yes`: a preview pass, then the refresh: two reads of each.
    const plain = await refresh(["refresh", "--yes"]);
    expect(plain).toEqual({ connections: 2 * objects.connections, models: 2 * objects.models, syncs: 2 * objects.syncs, webhooks: 2 * objects.webhooks });
    expect(objects.syncs).toBe(SYNCS);
    await stack.destroy();
  });

  it("leaves explicit previews alone", () => {
    expect(cliArgs(["preview", "--refresh"])).toEqual(["preview", "--refresh"]);
    expect(cliArgs(["refresh"])).toEqual(["refresh"]);
    expect(cliArgs(["refresh", "--yes", "--preview-only"])).toEqual(["refresh", "--yes", "--preview-only"]);
    expect(cliArgs(["up", "-y", "-f"])).toEqual(["up", "-y", "-f"]);
    expect(cliArgs(["up", "-y"])).toEqual(["up", "-y", "--skip-preview"]);
    expect(cliArgs(["stack", "export", "--yes"])).toEqual(["stack", "export", "--yes"]);
  });
});
