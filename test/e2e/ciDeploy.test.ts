/**
 * A deploy job killed midway, then the next one, with the deploy workflow's own steps
 * (.github/workflows/deploy.yml, read from the file; pulumi/actions stood in for by the command it
 * runs, `pulumi up --yes --skip-preview`) and plain `pulumi` with the settings the workflow gives
 * it (the state written once per run), on a file and a PostgreSQL backend: kill -9 of the engine
 * and the provider host with a third of the syncs made, Polytomic's keys forgotten, then the next
 * deploy lifts the dead job's lock (saying why), refreshes, and makes every object exactly once,
 * with no lock left. A lock held by a live run of another machine is not touched: the deploy fails
 * naming it. And a deploy killed while adding syncs, followed by the pr-stack workflow's destroy
 * job: the dead run's objects, known to no state, go too.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedStack } from "../../scripts/lib/stack";
import { encodeBlob, parseBackendUrl } from "../../providers/runtime/postgresNotes";
import { API_KEY, createWorld, type E2eWorld, syncsConfig } from "./fixture";
import { backendKeys, postgresBackendUrl } from "../support/postgres";
import type { JobRun } from "./workflowSteps";
import { killTree, liveIds as live, runCiJob, stateIds as idsInState } from "./crashKit";
import { waitUntil } from "./wait";

const SYNCS = 30;
/** The gcs and webhook connections, the model and the org webhook. */
const OTHER_OBJECTS = 4;
const STACK = "prod";

describe.each(["file", "postgres"] as const)("the deploy workflow after a killed deploy, on a %s backend", (backend) => {
  let world: E2eWorld;
  let opened: OpenedStack;

  beforeAll(async () => {
    world = await createWorld({ backendUrl: backend === "postgres" ? postgresBackendUrl("ci_deploy") : undefined });
    opened = await world.stack(STACK, { ...world.baseConfig(), syncs: syncsConfig(SYNCS) });
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  /** The deploy job's steps: its shell steps, and `pulumi up` where it uses pulumi/actions. */
  const ciJob = (job: "deploy" | "prDestroy", env: Record<string, string> = {}): Promise<JobRun> =>
    runCiJob(job, {
      workspace: opened.stack.workspace.workDir,
      tmp: world.dir,
      stack: STACK,
      // What setup-pulumi leaves in the job's environment: the CLI, the speed settings (state written once per run).
      env: { ...opened.env, ...env },
      polytomicUrl: world.emulator.url,
      apiKey: API_KEY,
    });
  const deploy = (env: Record<string, string> = {}) => ciJob("deploy", env);

  const liveIds = () => live(world.emulator);
  const stateIds = () => idsInState(opened.stack);
  const backendDir = () => opened.env.PULUMI_BACKEND_URL.slice("file://".length);
  const locks = async () =>
    backend === "file"
      ? (fs.readdirSync(path.join(backendDir(), ".pulumi", "locks"), { recursive: true }) as string[]).filter((f) => f.endsWith(".json"))
      : backendKeys(opened.env.PULUMI_BACKEND_URL, "pulumi/.pulumi/locks/");

  it("kill -9 midway through a deploy: the next deploy lifts its lock, refreshes, and ends with every object exactly once", async () => {
    expect(opened.env.PULUMI_SKIP_CHECKPOINTS).toBe("true");
    // Slowed down (4 steps at once, each sync's POST 100 ms), so the kill lands midway on a busy machine too.
    world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: 100, times: SYNCS });
    const killed = deploy({ PULUMI_PARALLEL: "4" });
    try {
      await waitUntil(() => world.emulator.state.syncs().length >= SYNCS / 3, "the deploy to get midway", 120_000, 10);
    } finally {
      // The runner is lost: every process of the job at once (the step's shell, the CLI, its plugins).
      killTree(process.pid, { spareRoot: true });
    }
    const dead = await killed;
    world.emulator.faults.clear();
    expect(dead.failed?.id).toBe("pulumi-actions");
    expect(world.emulator.state.syncs().length).toBeLessThan(SYNCS);
    expect(await locks()).toHaveLength(1);
    world.emulator.forgetIdempotencyKeys();

    const next = await deploy();
    expect(next.failed, next.failed?.output).toBeUndefined();
    const lifted = next.steps.find((s) => s.id === "locks")!;
    expect(lifted.output).toMatch(/lock held by \S+@\S+ \(pid \d+\) since \S+, the runner of the previous CI job of this stack \(.*pulumi up\); that job is over, since this job holds the concurrency group pulumi-stack-prod and no other job of it runs: lifted/);
    expect(lifted.outputs.refresh).toBe("true");
    expect(next.steps.map((s) => s.id)).toEqual(["locks", "refresh", "pulumi-actions"]);
    expect(world.emulator.state.syncs()).toHaveLength(SYNCS);
    expect(liveIds().size).toBe(SYNCS + OTHER_OBJECTS);
    expect(await stateIds()).toEqual(liveIds());
    expect(await locks()).toEqual([]);

    // And a deploy after a clean one refreshes nothing.
    const clean = await deploy();
    expect(clean.failed).toBeUndefined();
    expect(clean.steps.map((s) => s.id)).toEqual(["locks", "pulumi-actions"]);
    expect(liveIds().size).toBe(SYNCS + OTHER_OBJECTS);
  }, 600_000);

  it("a lock held by a live run of another machine is not touched: the deploy fails naming it", async () => {
    const content = JSON.stringify({ pid: process.pid, username: "alice", hostname: "alices-laptop", timestamp: new Date().toISOString() });
    const key = `.pulumi/locks/organization/polytomic-pipelines/${STACK}/4a1ce000-0000-4000-8000-000000000001.json`;
    const remove = await writeBlob(key, content);
    try {
      const run = await deploy();
      const step = run.steps.find((s) => s.id === "locks")!;
      expect(step.output).toContain("lock held by alice@alices-laptop");
      expect(step.output).toContain("not by a CI job of this repository: left");
      expect(step.output.split("\n").filter((line) => line.startsWith("::warning::"))).toHaveLength(1);
      expect(run.failed?.id).toBe("pulumi-actions");
      expect(run.failed?.output).toContain("the stack is currently locked by 1 lock(s)");
      expect(await locks()).toHaveLength(1);
    } finally {
      await remove();
    }
    expect(await locks()).toEqual([]);
  }, 300_000);

  it("a deploy killed while adding syncs, then the pr-stack workflow's destroy job: nothing left, no lock, no stack", async () => {
    await opened.stack.setConfig("syncs", syncsConfig(2 * SYNCS));
    world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: 100, times: SYNCS });
    const killed = deploy({ PULUMI_PARALLEL: "4" });
    try {
      await waitUntil(() => world.emulator.state.syncs().length >= SYNCS + SYNCS / 3, "the deploy to get midway", 120_000, 10);
    } finally {
      killTree(process.pid, { spareRoot: true });
    }
    await killed;
    world.emulator.faults.clear();
    // Objects the dead run made that no state records.
    const recorded = await stateIds();
    const unrecorded = [...liveIds()].filter((id) => !recorded.has(id));
    expect(world.emulator.state.syncs().length).toBeGreaterThan(SYNCS);
    expect(unrecorded.length).toBeGreaterThan(0);

    const run = await ciJob("prDestroy");
    expect(run.failed, run.failed?.output).toBeUndefined();
    expect(run.steps.map((s) => s.id)).toEqual(["stack", "locks", "refresh", "finish", "pulumi-actions", "rm"]);
    expect(run.steps.find((s) => s.id === "locks")!.output).toContain(": lifted");
    expect(liveIds().size).toBe(0);
    expect(await locks()).toEqual([]);
  }, 600_000);

  /** Writes a blob of the backend (a file, or a row as Pulumi's PostgreSQL backend holds it); returns its removal. */
  async function writeBlob(key: string, content: string): Promise<() => Promise<void>> {
    if (backend === "file") {
      const file = path.join(backendDir(), ...key.split("/"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return async () => fs.rmSync(file);
    }
    const { Client } = await import("pg");
    const { connectionString, table, prefix } = parseBackendUrl(opened.env.PULUMI_BACKEND_URL);
    const query = async (sql: string, values: unknown[]) => {
      const client = new Client({ connectionString });
      await client.connect();
      try {
        await client.query(sql, values);
      } finally {
        await client.end();
      }
    };
    await query(`INSERT INTO ${table} (key, data) VALUES ($1, $2::json)`, [prefix + key, encodeBlob(content)]);
    return () => query(`DELETE FROM ${table} WHERE key = $1`, [prefix + key]);
  }
});
