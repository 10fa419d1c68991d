/**
 * Why this project may skip the engine's checkpoints (scripts/lib/checkpoints.ts): kill -9 in the
 * middle of `up` and of `destroy` of a 300-sync stack, with the state written only at the end of
 * a run, then the same command again, on a file and on a PostgreSQL backend. Before each retry
 * the API forgets every Idempotency-Key, as Polytomic does after a day or so: the retry finds
 * what the killed run made through the stack's journal of creates (kept with the state), not
 * through replays. Nothing is lost: no duplicate, no orphan, and the state holds exactly what
 * exists. And through this project's scripts, a killed `destroy` followed by an `up`: the dead
 * run's lock is lifted and the state re-read before anything is decided.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDeadRunLocks } from "../../scripts/lib/deadRunLocks";
import { runPulumi } from "../../scripts/lib/runPulumi";
import type { OpenedStack } from "../../scripts/lib/stack";
import { createWorld, E2eWorld } from "./fixture";
import { waitUntil } from "./wait";
import { postgresBackendUrl } from "../support/postgres";
import { killTree, liveIds as live, stateIds as idsInState } from "./crashKit";

const SYNCS = 300;
/** The gcs and webhook connections, the model and the org webhook. */
const OTHER_OBJECTS = 4;

describe.each(["file", "postgres"] as const)(`kill -9 with checkpoints skipped, ${SYNCS} syncs, on a %s backend`, (backend) => {
  let world: E2eWorld;
  let opened: OpenedStack;

  beforeAll(async () => {
    world = await createWorld({ backendUrl: backend === "postgres" ? postgresBackendUrl("crash") : undefined });
    const syncs = Object.fromEntries(Array.from({ length: SYNCS }, (_, i) => [i === 0 ? "sync" : `sync-${i}`, {}]));
    opened = await world.stack("crash-scale", { ...world.baseConfig(), syncs: { value: JSON.stringify(syncs) } });
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  const liveIds = () => live(world.emulator);
  const stateIds = () => idsInState(opened.stack);

  /**
   * Runs `pulumi <command>` and kills it, with the plugins it started, once `midway()` holds;
   * then lifts the dead run's lock by hand, unless `keepLock` (this project's scripts do it).
   */
  async function killMidway(command: string, midway: () => boolean, keepLock = false): Promise<void> {
    const child = spawn("pulumi", [command, "--yes", "--skip-preview", "--stack", "crash-scale"], {
      cwd: opened.stack.workspace.workDir,
      env: opened.env,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      // Polled often: the kill must land while the run is still midway.
      await waitUntil(midway, `${command} to get midway`, 120_000, 10);
    } finally {
      // The CLI and the plugins it started (each in a process group of its own), all at once.
      killTree(child.pid!);
    }
    await exited;
    // What an operator does after a crash: remove the dead run's lock (the file, or the row).
    if (!keepLock) expect(await clearDeadRunLocks(opened.env.PULUMI_BACKEND_URL, "crash-scale")).toEqual(["organization/polytomic-pipelines/crash-scale"]);
    // The retry comes after Polytomic has forgotten every Idempotency-Key.
    world.emulator.forgetIdempotencyKeys();
  }

  it("up: the re-run makes every object once and records each", async () => {
    expect(opened.env.PULUMI_SKIP_CHECKPOINTS).toBe("true");
    await killMidway("up", () => world.emulator.state.syncs().length >= SYNCS / 3);
    const madeBeforeTheKill = world.emulator.state.syncs().length;
    expect(madeBeforeTheKill).toBeGreaterThanOrEqual(SYNCS / 3);
    expect(madeBeforeTheKill).toBeLessThan(SYNCS);
    // The state was not written: the killed run's objects are known only to the API.
    expect((await stateIds()).size).toBe(0);

    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(world.emulator.state.syncs()).toHaveLength(SYNCS);
    expect(liveIds().size).toBe(SYNCS + OTHER_OBJECTS);
    expect(await stateIds()).toEqual(liveIds());

    const preview = await opened.stack.preview();
    expect(Object.keys(preview.changeSummary).filter((op) => op !== "same")).toEqual([]);
  }, 600_000);

  it("destroy: the re-run deletes what is left, and the state ends empty", async () => {
    await killMidway("destroy", () => world.emulator.state.syncs().length <= SYNCS - 30);
    const left = world.emulator.state.syncs().length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(SYNCS);
    // The state still lists everything, deleted or not: each delete of a gone object counts as done.
    expect((await stateIds()).size).toBe(SYNCS + OTHER_OBJECTS);

    const destroy = await opened.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(liveIds().size).toBe(0);
    expect((await stateIds()).size).toBe(0);
  }, 600_000);

  it("a killed destroy, then up as this project's scripts run it: unlocked, refreshed, everything made again", async () => {
    const first = await scriptRun("up", "--yes");
    expect(first.status).toBe(0);
    expect(liveIds().size).toBe(SYNCS + OTHER_OBJECTS);
    await killMidway("destroy", () => world.emulator.state.syncs().length <= SYNCS - 30, true);
    expect(world.emulator.state.syncs().length).toBeLessThan(SYNCS);

    const up = await scriptRun("up", "--yes");
    expect(up.status).toBe(0);
    expect(up.unlockedAfterDeadRun).toEqual(["organization/polytomic-pipelines/crash-scale"]);
    expect(world.emulator.state.syncs()).toHaveLength(SYNCS);
    expect(liveIds().size).toBe(SYNCS + OTHER_OBJECTS);
    expect(await stateIds()).toEqual(liveIds());

    const destroy = await scriptRun("destroy", "--yes");
    expect(destroy.status).toBe(0);
    expect(liveIds().size).toBe(0);
  }, 600_000);

  /** A command as `npm run pulumi -- <args>` runs it. */
  function scriptRun(...args: string[]) {
    return runPulumi([...args, "--stack", "crash-scale"], { cwd: opened.stack.workspace.workDir, env: opened.env, echo: false });
  }
});
