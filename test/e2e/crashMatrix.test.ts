/**
 * The crash cases the other crash tests leave out (providers/README.md, "Every crash, and the test
 * that shows it"), each a row of that table: kill -9 during `refresh`, `up`, `destroy` or
 * `up --replace`, of the engine (the CLI) alone, of the provider host alone, or of both, on a file
 * and a PostgreSQL backend, with Polytomic's Idempotency-Keys kept or forgotten before the next
 * run, and that next run made as the workflows make it (the deploy and pr-stack jobs by their own
 * steps), as `npm run pulumi` makes it, or as plain `pulumi`. The state is written once per run
 * (PULUMI_SKIP_CHECKPOINTS=true, as the workflows and the scripts run Pulumi).
 *
 * After each case: every declared object exists once (0 duplicates), the state holds exactly
 * what exists (0 orphans, none missing), no lock is left, and a preview shows no change (after a
 * destroy: nothing exists, the state is empty). A killed `up --replace` is finished by a plain
 * `up` (no `--replace`): the new objects it made are taken over, the old ones deleted.
 *
 * The cases of one backend run in order on one small stack, each starting where the last ended.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedStack } from "../../scripts/lib/stack";
import { runPulumi } from "../../scripts/lib/runPulumi";
import { API_KEY, createWorld, type E2eWorld, syncsConfig } from "./fixture";
import { postgresBackendUrl } from "../support/postgres";
import { type Killed, killPulumi, liveIds as live, locksOn, pulumiCli, runCiJob, stateResources } from "./crashKit";
import { waitUntil } from "./wait";

/** Syncs of the stack at first. */
const SYNCS = 10;
/** Syncs each `up` case adds. */
const ADDED = 6;
const STACK = "matrix";
/** The gcs and webhook connections, the model and the org webhook. */
const OTHER_OBJECTS = 4;
/** Each slowed request's delay, so the kill lands midway on a busy machine too. */
const LATENCY_MS = 150;

type Op = "up" | "destroy" | "refresh" | "replace";
type NextRun = "workflow" | "npm" | "pulumi";

interface Case {
  /** What is killed, in order: a workflow's refresh step runs only after a dead run, so it follows one. */
  kills: { op: Op; killed: Killed }[];
  keys: "kept" | "forgotten";
  next: NextRun;
}

/** Per backend, in the order they run. */
const CASES: Record<"file" | "postgres", Case[]> = {
  file: [
    { kills: [{ op: "refresh", killed: "both" }], keys: "kept", next: "npm" },
    { kills: [{ op: "up", killed: "both" }, { op: "refresh", killed: "engine" }], keys: "forgotten", next: "workflow" },
    { kills: [{ op: "up", killed: "host" }], keys: "forgotten", next: "pulumi" },
    { kills: [{ op: "up", killed: "engine" }], keys: "kept", next: "npm" },
    { kills: [{ op: "replace", killed: "both" }], keys: "forgotten", next: "npm" },
    { kills: [{ op: "destroy", killed: "host" }], keys: "kept", next: "pulumi" },
  ],
  postgres: [
    { kills: [{ op: "up", killed: "engine" }, { op: "refresh", killed: "both" }], keys: "kept", next: "workflow" },
    { kills: [{ op: "refresh", killed: "host" }], keys: "forgotten", next: "npm" },
    { kills: [{ op: "up", killed: "host" }], keys: "kept", next: "workflow" },
    { kills: [{ op: "replace", killed: "host" }], keys: "kept", next: "pulumi" },
    { kills: [{ op: "replace", killed: "engine" }], keys: "forgotten", next: "npm" },
    { kills: [{ op: "destroy", killed: "engine" }], keys: "forgotten", next: "workflow" },
  ],
};

const title = (c: Case) =>
  `${c.kills.map((k) => `${k.op} (${k.killed === "both" ? "engine and provider host" : k.killed === "engine" ? "engine alone" : "provider host alone"} killed)`).join(", then ")}; keys ${c.keys}; next run by ${c.next === "npm" ? "npm run pulumi" : c.next === "pulumi" ? "plain pulumi" : "the workflow's steps"}`;

describe.each(["file", "postgres"] as const)("kill -9 with the state written once per run, on a %s backend", (backend) => {
  let world: E2eWorld;
  let opened: OpenedStack;
  /** How many syncs the stack declares now. */
  let declared = SYNCS;

  beforeAll(async () => {
    world = await createWorld({ backendUrl: backend === "postgres" ? postgresBackendUrl("crash_matrix") : undefined });
    opened = await world.stack(STACK, { ...world.baseConfig(), syncs: syncsConfig(SYNCS) });
    expect(opened.env.PULUMI_SKIP_CHECKPOINTS).toBe("true");
    const up = await pulumi("up");
    expect(up.code, up.output.slice(-2000)).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  const cwd = () => opened.stack.workspace.workDir;
  const pulumi = (command: string, ...args: string[]) => pulumiCli([command, "--yes", "--skip-preview", "--stack", STACK, ...args], cwd(), opened.env);
  const locks = () => locksOn(opened.env.PULUMI_BACKEND_URL, STACK);
  const syncs = () => world.emulator.state.syncs();
  const syncGets = () => world.emulator.stats().routes["GET /api/syncs/{id}"] ?? 0;
  const ciJob = (job: "deploy" | "prDestroy", env: Record<string, string> = {}) =>
    runCiJob(job, { workspace: cwd(), tmp: world.dir, stack: STACK, env: { ...opened.env, ...env }, polytomicUrl: world.emulator.url, apiKey: API_KEY });

  /**
   * Starts what the case kills: plain `pulumi` (a person's run, or npm run pulumi's) or the
   * workflow's job, 4 steps at once; resolves with what it printed once it has ended.
   */
  async function start(op: Op, next: NextRun, replace: string[]): Promise<string> {
    const env = { ...opened.env, PULUMI_PARALLEL: "4" };
    if (next === "workflow") {
      if (op === "replace") throw new Error("no workflow runs up --replace");
      const run = await ciJob(op === "destroy" ? "prDestroy" : "deploy", env);
      return run.steps.map((step) => `[${step.id}] ${step.output}`).join("\n");
    }
    const command = op === "replace" ? "up" : op;
    const child = spawn("pulumi", [command, "--yes", "--skip-preview", "--non-interactive", "--stack", STACK, ...replace], { cwd: cwd(), env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    return new Promise((resolve) => child.once("close", () => resolve(output)));
  }

  /** Runs `op` slowed down, kills what the case says once midway. */
  async function killMidway(op: Op, killed: Killed, next: NextRun): Promise<void> {
    const before = syncs().length;
    let midway: () => boolean;
    let replace: string[] = [];
    world.emulator.resetStats();
    if (op === "up") {
      declared += ADDED;
      await opened.stack.setConfig("syncs", syncsConfig(declared));
      world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: LATENCY_MS, times: ADDED });
      midway = () => syncs().length >= before + ADDED / 3;
    } else if (op === "replace") {
      replace = (await stateResources(opened.stack)).filter((r) => r.type.endsWith(":ModelSync")).flatMap((r) => ["--replace", r.urn]);
      world.emulator.faults.set({ method: "POST", path: "^/api/syncs$", latencyMs: LATENCY_MS, times: declared });
      midway = () => syncs().length >= before + declared / 3;
    } else if (op === "destroy") {
      world.emulator.faults.set({ method: "DELETE", path: "^/api/syncs/", latencyMs: LATENCY_MS, times: declared });
      midway = () => syncs().length <= before - declared / 3;
    } else {
      world.emulator.faults.set({ method: "GET", path: "^/api/syncs/[^/]+$", latencyMs: LATENCY_MS, times: declared });
      midway = () => syncGets() >= 4;
    }
    let ended: string | undefined;
    const run = start(op, next, replace).then((output) => (ended = output));
    await waitUntil(() => ended !== undefined || midway(), `${op} to get midway`, 120_000, 10);
    if (ended !== undefined) throw new Error(`${op} ended before it got midway:\n${ended.slice(-3000)}`);
    killPulumi(process.pid, killed);
    await run;
    // Requests the dead run had in flight still finish on the server (the fault's latency first).
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS + 500));
    world.emulator.faults.clear();
    // What the kill left: for an up or a replacement, objects made; for a destroy, objects deleted; a refresh changes none.
    if (op === "up" || op === "replace") expect(syncs().length).toBeGreaterThan(before);
    if (op === "destroy") expect(syncs().length).toBeLessThan(before);
    if (op === "refresh") expect(syncs()).toHaveLength(before);
    // The provider host alone: the engine fails the run and unlocks. The engine killed: its lock stays.
    expect(await locks()).toBe(killed === "host" ? 0 : 1);
  }

  /** The next run, as the case makes it; its output when it fails. */
  async function nextRun(c: Case, destroying: boolean, lockLeft: boolean): Promise<void> {
    const command = destroying ? "destroy" : "up";
    if (c.next === "workflow") {
      const run = await ciJob(destroying ? "prDestroy" : "deploy");
      expect(run.failed, run.failed?.output).toBeUndefined();
      const locksStep = run.steps.find((s) => s.id === "locks")!;
      expect(locksStep.output).toContain(lockLeft ? ": lifted" : "is not locked");
      // After a dead up, destroy or refresh of a CI job: refreshed first.
      expect(run.steps.some((s) => s.id === "refresh")).toBe(lockLeft);
      // The pr-stack destroy job removes the stack too.
      if (destroying) expect(run.steps.map((s) => s.id)).toContain("rm");
      return;
    }
    if (c.next === "npm") {
      const run = await runPulumi([command, "--yes", "--stack", STACK], { cwd: cwd(), env: opened.env, echo: false });
      expect(run.status, run.output.slice(-3000)).toBe(0);
      expect(run.unlockedAfterDeadRun).toEqual(lockLeft ? [`organization/polytomic-pipelines/${STACK}`] : []);
      return;
    }
    // Plain pulumi lifts no lock: only after the provider host alone was killed (the engine unlocked).
    expect(lockLeft).toBe(false);
    const run = await pulumi(command);
    expect(run.code, run.output.slice(-3000)).toBe(0);
  }

  it.each(CASES[backend].map((c) => [title(c), c] as const))("%s", async (_, c) => {
    const started = Date.now();
    const syncsBefore = new Map((await stateResources(opened.stack)).filter((r) => r.type.endsWith(":ModelSync")).map((r) => [r.urn, r.id]));
    for (const { op, killed } of c.kills) await killMidway(op, killed, c.next);
    const destroying = c.kills.some((k) => k.op === "destroy");
    const madeByKilledRun = syncs().length - syncsBefore.size;
    const lockLeft = (await locks()) > 0;
    if (c.keys === "forgotten") world.emulator.forgetIdempotencyKeys();

    await nextRun(c, destroying, lockLeft);

    // The pr-stack destroy job removed the stack (checked above): nothing is left of its state.
    const state = destroying && c.next === "workflow" ? [] : await stateResources(opened.stack);
    const inState = new Set(state.map((r) => r.id));
    const liveIds = live(world.emulator);
    const names = syncs().map((s) => s.name);
    const numbers = {
      // A duplicate has the name of the object it duplicates; after a destroy, whatever exists is one.
      duplicates: destroying ? liveIds.size : names.length - new Set(names).size,
      orphans: [...liveIds].filter((id) => !inState.has(id)).length,
      missing: [...inState].filter((id) => !liveIds.has(id)).length,
      locks: await locks(),
    };
    console.log(`[crash-matrix] ${backend}: ${title(c)}: ${JSON.stringify(numbers)}, ${Math.round((Date.now() - started) / 1000)} s`);
    expect(numbers).toEqual({ duplicates: 0, orphans: 0, missing: 0, locks: 0 });
    if (destroying) {
      expect(liveIds.size).toBe(0);
      expect(state).toEqual([]);
      return;
    }
    expect(names).toHaveLength(declared);
    expect(liveIds.size).toBe(declared + OTHER_OBJECTS);
    if (c.kills.some((k) => k.op === "replace")) {
      // Each replacement the killed run began was finished by the plain up: new object, old one gone.
      const replaced = state.filter((r) => syncsBefore.has(r.urn) && syncsBefore.get(r.urn) !== r.id);
      expect(replaced.length).toBeGreaterThanOrEqual(madeByKilledRun);
      for (const id of syncsBefore.values()) if (!inState.has(id)) expect(liveIds.has(id)).toBe(false);
    }
    const preview = await opened.stack.preview();
    expect(Object.keys(preview.changeSummary).filter((op) => op !== "same")).toEqual([]);
  }, 600_000);
});
