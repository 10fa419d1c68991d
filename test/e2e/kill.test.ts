/**
 * kill -9 of the CLI's process group in the middle of `up` and of `destroy`, with the real
 * engine: no language host, program or provider host of ours is left running, and the next run
 * (after `pulumi cancel` lifts the dead run's lock) converges with no duplicate and no orphan:
 * objects the dead run created without recording them are replayed by their idempotency keys,
 * and deleting an object already gone counts as done.
 *
 * Both with the engine's checkpoints after every step (POLYTOMIC_CHECKPOINTS=each-step) and
 * written once per run (PULUMI_SKIP_CHECKPOINTS=true, this project's default), where the dead
 * run leaves the state exactly as the last finished run saved it. The 300-sync version of the
 * second, from an empty stack, is test/e2e/crashSkippedCheckpoints.test.ts.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, createWorld, E2eWorld, syncsConfig } from "./fixture";
import { count, inventory } from "./api";
import { waitUntil } from "./wait";
import { processTree, stillRunning } from "../../scripts/lib/processes";

const SYNCS = 40;
const FAULT_LATENCY_MS = 400;
const TIMEOUT_MS = 240_000;

describe.each([
  { mode: "with checkpoints", skipCheckpoints: false },
  { mode: "with PULUMI_SKIP_CHECKPOINTS", skipCheckpoints: true },
])("kill -9 of the CLI $mode", ({ skipCheckpoints }) => {
  let world: E2eWorld;
  const stackName = skipCheckpoints ? "crash-skip" : "crash";

  beforeAll(async () => {
    world = await createWorld();
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  /** The stack, its Automation API runs in the mode under test. */
  async function openCrashStack(syncCount: number) {
    const opened = await world.stack(
      stackName,
      { ...world.baseConfig(), syncs: syncsConfig(syncCount), namePrefix: { value: "crash" } },
      { checkpoints: skipCheckpoints ? "end" : "each-step" },
    );
    expect(opened.env.PULUMI_SKIP_CHECKPOINTS).toBe(String(skipCheckpoints));
    return opened;
  }

  /** Runs `pulumi <command>` in its own process group, kills the group once `started()`, checks nothing of it is left. */
  async function killMidway(command: string, env: Record<string, string>, started: () => boolean): Promise<void> {
    const cli = spawn("pulumi", [command, "--yes", "--skip-preview", "--non-interactive", "--stack", stackName], {
      cwd: path.join(world.dir, "program"),
      env,
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => cli.once("exit", resolve));
    await waitUntil(started, `${command} to get going`, 120_000);
    const ours = processTree(cli.pid!);
    if (command === "up") expect(ours.some((p) => p.command.includes("pulumi-language-nodejs"))).toBe(true);
    expect(ours.some((p) => p.command.includes("dynamic-provider"))).toBe(true);
    process.kill(-cli.pid!, "SIGKILL");
    await exited;
    await waitUntil(() => stillRunning(ours).length === 0, "processes to end", 5_000).catch(() => undefined);
    expect(stillRunning(ours)).toEqual([]);
    // Requests the dead run had in flight still finish on the server (the fault's latency first).
    await new Promise((r) => setTimeout(r, FAULT_LATENCY_MS + 300));
  }

  it("mid-up: leaves no process of ours, and the next up converges without duplicates", async () => {
    const opened = await openCrashStack(skipCheckpoints ? 1 : SYNCS);
    let { stack } = opened;
    if (skipCheckpoints) {
      // The opt-in is for stacks that have been up before: finish one, then grow it.
      expect((await stack.up()).summary.result).toBe("succeeded");
      await stack.setConfig("syncs", syncsConfig(SYNCS));
    }
    // Slow sync creates, so the kill lands while some are done, some in flight, some not sent.
    world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: FAULT_LATENCY_MS, times: SYNCS });
    const syncPosts = () => world.emulator.stats().routes["POST /api/syncs"] ?? 0;
    world.emulator.resetStats();
    await killMidway("up", opened.env, () => syncPosts() >= 12);
    const createdBeforeKill = (await inventory(world.emulator.url, API_KEY)).syncs.length;
    expect(createdBeforeKill).toBeGreaterThan(skipCheckpoints ? 1 : 0);
    expect(createdBeforeKill).toBeLessThan(SYNCS);

    world.emulator.faults.clear();
    // As a user would: open the stack again (which repairs an interrupted metadata write, see
    // scripts/lib/backendRepair.ts), lift the dead run's lock, run again.
    ({ stack } = await openCrashStack(SYNCS));
    await stack.cancel();
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const inv = await inventory(world.emulator.url, API_KEY);
    const names = inv.syncs.map((s) => s.name);
    expect(names.length).toBe(SYNCS);
    expect(new Set(names).size).toBe(SYNCS);
    expect(count(inv)).toMatchObject({ connections: 2, models: 1, webhooks: 1 });
    // The state names exactly the objects that exist: none dead, none left out.
    const inState = Object.values(up.outputs.syncs.value as Record<string, string>).sort();
    expect(inState).toEqual(inv.syncs.map((s) => s.id).sort());
  }, TIMEOUT_MS);

  it("mid-destroy: leaves no process of ours, and the next destroy removes the rest", async () => {
    const opened = await openCrashStack(SYNCS);
    let { stack } = opened;
    world.emulator.faults.set({ method: "DELETE", path: "^/api/syncs/", latencyMs: FAULT_LATENCY_MS, times: SYNCS });
    const syncDeletes = () => world.emulator.stats().routes["DELETE /api/syncs/{id}"] ?? 0;
    world.emulator.resetStats();
    await killMidway("destroy", opened.env, () => syncDeletes() >= 12);
    const leftAfterKill = (await inventory(world.emulator.url, API_KEY)).syncs.length;
    expect(leftAfterKill).toBeGreaterThan(0);
    expect(leftAfterKill).toBeLessThan(SYNCS);

    world.emulator.faults.clear();
    ({ stack } = await openCrashStack(SYNCS));
    await stack.cancel();
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(count(await inventory(world.emulator.url, API_KEY))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
    expect((await stack.exportStack()).deployment.resources ?? []).toEqual([]);
  }, TIMEOUT_MS);
});
