/**
 * docs/team-backend.md's two sections, each run as written (test/e2e/docSection.ts) with the real
 * engine: "A stack on PostgreSQL from the start" on a fresh folder, and "Moving a stack to
 * PostgreSQL" after `npm start` made stack `dev` in the file backend. `npm run postgres` runs for
 * real (Debian's binaries, a cluster in the test's folder), and the page's `export
 * PULUMI_BACKEND_URL=...` line is the one it printed, as the page says. What differs from a
 * user's terminal: a local folder of the test's own (POLYTOMIC_LOCAL_DIR: state, emulator data,
 * the PostgreSQL cluster), free ports (EMULATOR_PORT, RECEIVER_PORT, POSTGRES_PORT: the variables
 * the docs name), and the moved state file under the test's folder.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { backendKeys } from "../support/postgres";
import { freePort } from "./ports";
import { bash, commandsOf, Ran, runLines, sectionOf, Server } from "./docSection";

const PLACEHOLDER_URL = "export PULUMI_BACKEND_URL='postgres://pulumi:<password>@127.0.0.1:<port>/pulumi?sslmode=disable'";

/** A fresh local folder (the postgres user must enter it) and the ports, with no backend chosen. */
async function freshMachine(prefix: string): Promise<{ local: string; env: NodeJS.ProcessEnv }> {
  const local = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(local, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLYTOMIC_LOCAL_DIR: local,
    EMULATOR_PORT: String(await freePort()),
    RECEIVER_PORT: String(await freePort()),
    POSTGRES_PORT: String(await freePort()),
  };
  delete env.PULUMI_BACKEND_URL;
  return { local, env };
}

/**
 * Runs a section's lines in this repository: `npm run postgres` for real, then its printed
 * `export` line in place of the page's placeholder one. Returns each line's output.
 */
async function runSection(lines: string[], env: NodeJS.ProcessEnv, rewrite: (line: string) => string = (l) => l): Promise<Map<string, Ran>> {
  expect(lines[0]).toBe("npm run postgres");
  expect(lines[1]).toBe(PLACEHOLDER_URL);
  const outputs = new Map<string, Ran>();
  let printed = "";
  const servers: Server[] = [];
  await runLines(lines, {
    cwd: repoRoot,
    env,
    servers,
    transcript: [],
    rewrite: (line) => (line === PLACEHOLDER_URL ? printed : rewrite(line)),
    after: (line, ran) => {
      outputs.set(line, ran);
      if (line === "npm run postgres") printed = /^export PULUMI_BACKEND_URL='[^']+'$/m.exec(ran.stdout)?.[0] ?? "";
    },
  });
  expect(servers).toEqual([]);
  return outputs;
}

/** `npm run postgres -- stop` (by its pid) and the folder removed. */
async function cleanUp(local: string | undefined, env: NodeJS.ProcessEnv | undefined): Promise<void> {
  if (!local || !env) return;
  await bash("npm run postgres -- stop", repoRoot, env);
  fs.rmSync(local, { recursive: true, force: true });
}

describe("docs/team-backend.md, as written", () => {
  const stackFile = path.join(repoRoot, "Pulumi.dev.yaml");
  const stackFileBefore = fs.readFileSync(stackFile, "utf8");
  const made: { local: string; env: NodeJS.ProcessEnv }[] = [];

  afterAll(async () => {
    for (const { local, env } of made) await cleanUp(local, env);
  });

  it("A stack on PostgreSQL from the start: npm run postgres on POSTGRES_PORT, npm start makes stack dev in the database", async () => {
    const machine = await freshMachine("polytomic-team-new-");
    made.push(machine);
    const lines = commandsOf(sectionOf("docs/team-backend.md", "A stack on PostgreSQL from the start"));
    expect(lines.slice(2)).toEqual(["npm start", "npm run pulumi -- stack ls"]);
    const outputs = await runSection(lines, machine.env);

    const url = machine.env.PULUMI_BACKEND_URL ?? "";
    expect(url).toMatch(new RegExp(`^postgres://pulumi:[^@]+@127\\.0\\.0\\.1:${machine.env.POSTGRES_PORT}/pulumi\\?sslmode=disable$`));
    expect(outputs.get("npm start")?.stdout).toMatch(/records received\s+[1-9]\d* \(/);
    expect(outputs.get("npm run pulumi -- stack ls")?.stdout).toMatch(/^dev\*?\s/m);
    expect(await backendKeys(url, "pulumi/.pulumi/stacks/")).toContain("pulumi/.pulumi/stacks/polytomic-pipelines/dev.json");
    expect(await backendKeys(url, "pulumi/.pulumi/history/")).toEqual([expect.stringMatching(/^pulumi\/\.pulumi\/history\/polytomic-pipelines\/dev\/dev-\d+\.checkpoint\.json$/), expect.stringMatching(/\.history\.json$/)]);
    // The file backend was left alone.
    expect(fs.existsSync(path.join(machine.local, ".pulumi-state", ".pulumi", "stacks"))).toBe(false);
    expect(fs.readFileSync(stackFile, "utf8")).toBe(stackFileBefore);
  }, 300_000);

  it("Moving a stack to PostgreSQL: after npm start, the stack moves with its history; its objects stay its own, and Pulumi.dev.yaml stays", async () => {
    const machine = await freshMachine("polytomic-team-move-");
    made.push(machine);
    const started = await bash("npm start", repoRoot, machine.env);
    expect(started.code, started.output).toBe(0);

    const lines = commandsOf(sectionOf("docs/team-backend.md", "Moving a stack to PostgreSQL"));
    const stateFile = path.join(machine.local, "dev-state.json");
    const outputs = await runSection(lines, machine.env, (line) => line.replaceAll(".data/dev-state.json", stateFile));
    const output = (command: string) => [...outputs].find(([line]) => line.includes(` -- ${command}`))?.[1].output ?? "";
    expect(fs.readFileSync(stateFile, "utf8")).toContain('"pulumi-nodejs:dynamic/polytomic:OrgWebhook"');
    // The history on PostgreSQL, before the preview: npm start's update.
    expect(output("copy-history dev")).toMatch(/: 1 update\(s\) in its PostgreSQL history/);
    expect(output("stack history").match(/UpdateKind: update/g)).toHaveLength(1);
    // The moved stack previews and updates with no change: its objects, its org webhook.
    expect(output("preview")).toMatch(/8 unchanged/);
    expect(output("up")).toMatch(/8 unchanged/);
    // The history there: npm start's update, then the last line's.
    const history = await bash("npm run --silent pulumi -- stack history --stack dev --json", repoRoot, machine.env);
    expect(history.code, history.output).toBe(0);
    expect((JSON.parse(history.stdout.slice(history.stdout.indexOf("["))) as { kind: string; result: string }[]).map((u) => [u.kind, u.result])).toEqual([
      ["update", "succeeded"],
      ["update", "succeeded"],
    ]);
    // The old copy is gone from the file backend; the committed config file is untouched.
    const left = await bash("PULUMI_BACKEND_URL= npm run --silent pulumi -- stack ls --json", repoRoot, machine.env);
    expect(JSON.parse(left.stdout.slice(left.stdout.indexOf("[")))).toEqual([]);
    expect(fs.readFileSync(stackFile, "utf8")).toBe(stackFileBefore);
  }, 600_000);
});
