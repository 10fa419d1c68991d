/**
 * Replacements with the real engine and plain `pulumi` (the state written once per run, as the
 * workflows run it), on a file and a PostgreSQL backend: `pulumi up --replace <urn>` of an
 * object of every kind the program declares makes a new object and deletes the old one (the
 * create is told from a killed run's retry by the last written state, createJournal.ts); a
 * `keepers` change does the same; and kill -9 in the middle of a replacement of every sync, with
 * Polytomic's keys forgotten, then the same command again, ends with each object exactly once,
 * the state holding exactly what exists, and as many journal records as objects.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedStack } from "../../scripts/lib/stack";
import { killTree, liveIds as live, POLYTOMIC_TYPE as POLYTOMIC, pulumiCli, stateResources } from "./crashKit";
import { stackNotes } from "../../providers/runtime/stackNotes";
import { createWorld, type E2eWorld, syncsConfig } from "./fixture";
import { postgresBackendUrl } from "../support/postgres";
import { waitUntil } from "./wait";

const SYNCS = 30;
const STACK = "replace";

describe.each(["file", "postgres"] as const)("pulumi up --replace, on a %s backend", (backend) => {
  let world: E2eWorld;
  let opened: OpenedStack;

  beforeAll(async () => {
    world = await createWorld({ backendUrl: backend === "postgres" ? postgresBackendUrl("replace") : undefined });
    opened = await world.stack(STACK, { ...world.baseConfig(), syncs: syncsConfig(SYNCS) });
    const up = await pulumi("up");
    expect(up.code, up.output.slice(-2000)).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  const pulumi = (command: string, ...args: string[]) =>
    pulumiCli([command, "--yes", "--skip-preview", "--stack", STACK, ...args], opened.stack.workspace.workDir, opened.env);
  const liveIds = () => live(world.emulator);
  const resources = () => stateResources(opened.stack);
  const stateIds = async () => new Set((await resources()).map((r) => r.id));
  const records = async () => (await stackNotes(`polytomic-pipelines/${STACK}`, opened.env)!.list("creates/")).size;
  /** Every declared object exactly once, the state holding exactly those, one journal record each. */
  const exactlyOnce = async () => {
    expect(world.emulator.state.syncs()).toHaveLength(SYNCS);
    expect(world.emulator.state.connections()).toHaveLength(2);
    expect(world.emulator.state.models()).toHaveLength(1);
    expect(world.emulator.state.webhooks()).toHaveLength(1);
    expect(await stateIds()).toEqual(liveIds());
    expect(await records()).toBe(liveIds().size);
  };

  it("of an object of every kind: new objects, the old ones deleted", async () => {
    const before = await resources();
    // One of each kind: the gcs and webhook connections, the model, a sync, the org webhook.
    const chosen = [...new Map(before.map((r) => [`${r.type}${r.type.endsWith("Connection") ? r.urn : ""}`, r])).values()];
    expect(new Set(chosen.map((r) => r.type.slice(POLYTOMIC.length)))).toEqual(new Set(["Connection", "Model", "ModelSync", "OrgWebhook"]));
    const up = await pulumi("up", ...chosen.flatMap((r) => ["--replace", r.urn]));
    expect(up.code, up.output.slice(-3000)).toBe(0);
    const after = new Map((await resources()).map((r) => [r.urn, r.id]));
    for (const r of chosen) {
      expect(after.get(r.urn), r.urn).not.toBe(r.id);
      expect(liveIds().has(r.id), r.urn).toBe(false);
    }
    await exactlyOnce();
  }, 300_000);

  it("forced by keepers (a new webhookSecretVersion): a new webhook connection, the old one deleted", async () => {
    const hook = (await resources()).find((r) => r.type.endsWith(":Connection") && r.urn.endsWith("-webhook"))!;
    await opened.stack.setConfig("webhookSecretVersion", { value: "2" });
    const up = await pulumi("up");
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect(liveIds().has(hook.id)).toBe(false);
    expect((await resources()).find((r) => r.urn === hook.urn)?.id).not.toBe(hook.id);
    await exactlyOnce();
  }, 300_000);

  it("kill -9 during a replacement of every sync, keys forgotten, the same command again: each object once", async () => {
    const syncs = (await resources()).filter((r) => r.type.endsWith("ModelSync"));
    const args = ["up", "--yes", "--skip-preview", "--stack", STACK, ...syncs.flatMap((r) => ["--replace", r.urn])];
    // Slowed down (4 steps at once, each sync's POST 100 ms), so the kill lands midway on a busy machine too.
    world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: 100, times: SYNCS });
    const child = spawn("pulumi", args, { cwd: opened.stack.workspace.workDir, env: { ...opened.env, PULUMI_PARALLEL: "4" }, stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await waitUntil(() => world.emulator.state.syncs().length >= SYNCS + SYNCS / 3, "the replacement to get midway", 120_000, 10);
    } finally {
      killTree(child.pid!);
    }
    await exited;
    world.emulator.faults.clear();
    expect(world.emulator.state.syncs().length).toBeGreaterThan(SYNCS);
    expect(world.emulator.state.syncs().length).toBeLessThan(2 * SYNCS);
    // The dead run's lock, lifted as the workflows and npm run pulumi do (ciDeploy.test.ts, crashSkippedCheckpoints.test.ts).
    const { clearDeadRunLocks } = await import("../../scripts/lib/deadRunLocks");
    expect(await clearDeadRunLocks(opened.env.PULUMI_BACKEND_URL, STACK)).toHaveLength(1);
    world.emulator.forgetIdempotencyKeys();

    const retry = await pulumi(...(args.slice(0, 1) as [string]), ...args.slice(5));
    expect(retry.code, retry.output.slice(-3000)).toBe(0);
    const after = new Map((await resources()).map((r) => [r.urn, r.id]));
    for (const r of syncs) expect(after.get(r.urn)).not.toBe(r.id);
    await exactlyOnce();
  }, 600_000);
});
