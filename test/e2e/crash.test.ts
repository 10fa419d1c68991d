/**
 * kill -9 of the CLI's process group in the middle of `up`, with the real engine: no language
 * host, program or provider host of ours is left running, and the next `up` (after `pulumi
 * cancel` lifts the dead run's lock) finishes the stack with no duplicate and no orphan, thanks
 * to idempotent creates: syncs the dead run created without recording them are replayed.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, createWorld, E2eWorld } from "./fixture";
import { inventory } from "./api";
import { processTree, stillRunning } from "../../scripts/lib/processes";

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("kill -9 of the CLI in the middle of up", () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createWorld();
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it("leaves no process of ours, and the next up converges without duplicates", async () => {
    const SYNCS = 40;
    const { stack, env } = await world.stack("crash", { ...world.baseConfig(), syncCount: { value: String(SYNCS) }, namePrefix: { value: "crash" } });
    // Slow sync creates, so the kill lands while some are done, some in flight, some not sent.
    world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: 400, times: SYNCS });

    const cli = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "crash"], {
      cwd: path.join(world.dir, "program"),
      env,
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => cli.once("exit", resolve));
    const syncPosts = () => world.emulator.stats().routes["POST /api/syncs"] ?? 0;
    await until(() => syncPosts() >= 12, 120_000, "sync creates to start");

    const ours = processTree(cli.pid!);
    expect(ours.some((p) => p.command.includes("pulumi-language-nodejs"))).toBe(true);
    expect(ours.some((p) => p.command.includes("dynamic-provider"))).toBe(true);
    expect(ours.some((p) => p.command.includes("cmd/run"))).toBe(true);
    process.kill(-cli.pid!, "SIGKILL");
    await exited;
    await until(() => stillRunning(ours).length === 0, 5_000, `processes to end: ${JSON.stringify(stillRunning(ours))}`).catch(() => undefined);
    expect(stillRunning(ours)).toEqual([]);
    const createdBeforeKill = (await inventory(world.emulator.url, API_KEY)).syncs.length;
    expect(createdBeforeKill).toBeGreaterThan(0);
    expect(createdBeforeKill).toBeLessThan(SYNCS);

    world.emulator.faults.clear();
    await stack.cancel();
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const inv = await inventory(world.emulator.url, API_KEY);
    const names = inv.syncs.map((s) => s.name);
    expect(names.length).toBe(SYNCS);
    expect(new Set(names).size).toBe(SYNCS);
    expect(inv.connections.length).toBe(2);
    expect(inv.models.length).toBe(1);
    // The state names exactly the objects that exist: none dead, none left out.
    const inState = Object.values(up.outputs.syncs.value as Record<string, string>).sort();
    expect(inState).toEqual(inv.syncs.map((s) => s.id).sort());
  });
});
