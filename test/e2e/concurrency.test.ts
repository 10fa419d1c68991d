/**
 * Two runners at once on one PostgreSQL state database, as a team's CI has them: two `up` of one
 * stack from two working copies (one proceeds, the other fails within seconds naming the lock and
 * how to clear a dead one, and the state stays whole), and two different stacks side by side
 * (both proceed).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProgramFolder, type OpenedStack } from "../../scripts/lib/stack";
import { runPulumi } from "../../scripts/lib/runPulumi";
import { createWorld, type E2eWorld, syncsConfig } from "./fixture";
import { backendKeys, postgresBackendUrl } from "../support/postgres";
import { waitUntil } from "./wait";

const SYNCS = 100;

describe("two runners on one PostgreSQL state database", () => {
  let world: E2eWorld;
  let first: OpenedStack;
  let secondCopy: string;

  beforeAll(async () => {
    world = await createWorld({ backendUrl: postgresBackendUrl("concurrency") });
    first = await world.stack("shared", { ...world.baseConfig(), syncs: syncsConfig(SYNCS) });
    // A second working copy of the repository: the same committed stack file, its own folder.
    secondCopy = makeProgramFolder(path.join(world.dir, "second-copy"));
    const stackFile = "Pulumi.shared.yaml";
    fs.copyFileSync(path.join(first.stack.workspace.workDir, stackFile), path.join(secondCopy, stackFile));
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  const objects = () => world.emulator.state.syncs().length;
  const locks = () => backendKeys(first.env.PULUMI_BACKEND_URL, "pulumi/.pulumi/locks/");

  it("one up of a stack proceeds; a second one at the same time fails within seconds, naming the lock", async () => {
    const started = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", "shared"], { cwd: first.stack.workspace.workDir, env: first.env, stdio: "ignore" });
    const firstDone = new Promise<number | null>((resolve) => started.once("exit", resolve));
    await waitUntil(async () => (await locks()).length > 0, "the first run's lock", 60_000, 20);

    const before = Date.now();
    const second = await runPulumi(["up", "--yes", "--stack", "shared"], { cwd: secondCopy, env: first.env, echo: false });
    const seconds = (Date.now() - before) / 1000;
    expect(second.status).not.toBe(0);
    expect(seconds).toBeLessThan(15);
    // One line from npm run pulumi, read off the backend's lock rows: who, since when, and the SQL for a dead one.
    const ours = second.output.split("\n").filter((line) => line.startsWith("[pulumi] "));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(
      /^\[pulumi\] organization\/polytomic-pipelines\/shared is locked by a run of \S+@\S+ \(pid \d+\) since \S+; if that run is dead, delete its lock: DELETE FROM \w+ WHERE key = 'pulumi\/\.pulumi\/locks\/organization\/polytomic-pipelines\/shared\/[0-9a-f-]+\.json'/,
    );
    expect(ours[0]).toContain(`(pid ${started.pid})`);

    expect(await firstDone).toBe(0);
    expect(objects()).toBe(SYNCS);
    // The state is whole: a preview from the second copy sees nothing to do.
    const preview = await runPulumi(["preview", "--stack", "shared", "--expect-no-changes"], { cwd: secondCopy, env: first.env, echo: false });
    expect(preview.status, preview.output).toBe(0);
  }, 300_000);

  it("two different stacks run side by side", async () => {
    // The organization's one event webhook belongs to the first stack: this one declares none.
    const { orgWebhookUrl: _url, orgWebhookSecret: _secret, ...config } = world.baseConfig();
    const other = await world.stack("other", { ...config, namePrefix: { value: "other" }, syncs: syncsConfig(10) });
    const [a, b] = await Promise.all([
      runPulumi(["up", "--yes", "--stack", "other"], { cwd: other.stack.workspace.workDir, env: other.env, echo: false }),
      runPulumi(["refresh", "--yes", "--stack", "shared"], { cwd: first.stack.workspace.workDir, env: first.env, echo: false }),
    ]);
    expect(a.status, a.output).toBe(0);
    expect(b.status, b.output).toBe(0);
    expect(await locks()).toEqual([]);
  }, 300_000);
});
