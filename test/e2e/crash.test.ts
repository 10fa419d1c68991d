/**
 * kill -9 in the middle of `pulumi up`, after a create reached the API and before its answer was
 * recorded: the next `up` replays that create (same state, same salt, same Idempotency-Key)
 * instead of making a duplicate.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processTree } from "../../scripts/lib/processes";
import { count, inventory } from "./api";
import { waitUntil } from "./wait";
import { API_KEY, createWorld, E2eWorld } from "./fixture";

describe("a crash during up", () => {
  let world: E2eWorld;

  beforeAll(async () => {
    // The gcs connection's create waits this long for its schema: the window to crash in.
    world = await createWorld({ schemaReadyDelayMs: 20_000 });
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it("the next up replays the interrupted create instead of duplicating it", async () => {
    const opened = await world.stack("crash");
    const workDir = opened.stack.workspace.workDir;
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", "crash"], { cwd: workDir, env: opened.env, stdio: "ignore" });
    try {
      await waitUntil(async () => (await inventory(world.emulator.url, API_KEY)).connections.some((c) => c.type.id === "gcs"), "the gcs connection", 120_000);
    } finally {
      // The CLI and the plugins it started (they run in process groups of their own), all at once.
      for (const { pid } of processTree(child.pid!)) process.kill(pid, "SIGKILL");
    }
    await new Promise((resolve) => child.once("exit", resolve));
    const before = await inventory(world.emulator.url, API_KEY);
    const gcsId = before.connections.find((c) => c.type.id === "gcs")!.id;

    // What an operator does after a crash of a local-file stack: remove the dead run's lock.
    const locks = path.join(world.dir, "backend", ".pulumi", "locks");
    fs.rmSync(locks, { recursive: true, force: true });
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.gcsConnectionId.value).toBe(gcsId);
    const after = await inventory(world.emulator.url, API_KEY);
    expect(count(after)).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 1 });
    await opened.stack.destroy();
  }, 300_000);
});
