/**
 * docs/team-backend.md "Moving a stack to PostgreSQL", run as written (test/e2e/docSection.ts)
 * after `npm start` made stack `dev` in the file backend, with the real engine. What differs from
 * a user's terminal: a local folder of the test's own (POLYTOMIC_LOCAL_DIR: state, emulator data),
 * free ports (EMULATOR_PORT / RECEIVER_PORT), the state file under the test's folder, and, for
 * `npm run postgres` and the `export` line it prints, the test run's PostgreSQL (a table of this
 * test's own), started by the global setup.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { postgresBackendUrl } from "../support/postgres";
import { freePort } from "./ports";
import { bash, commandsOf, runLines, sectionOf, Server } from "./docSection";

describe("docs/team-backend.md: moving the dev stack of npm start to PostgreSQL, as written", () => {
  let local: string;
  let env: NodeJS.ProcessEnv;
  const stackFile = path.join(repoRoot, "Pulumi.dev.yaml");
  const stackFileBefore = fs.readFileSync(stackFile, "utf8");

  beforeAll(async () => {
    local = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-team-"));
    env = { ...process.env, POLYTOMIC_LOCAL_DIR: local, EMULATOR_PORT: String(await freePort()), RECEIVER_PORT: String(await freePort()) };
    delete env.PULUMI_BACKEND_URL;
  });

  afterAll(() => {
    if (local) fs.rmSync(local, { recursive: true, force: true });
  });

  it("npm start, then every line of the section: the stack's objects stay its own, and Pulumi.dev.yaml stays", async () => {
    const started = await bash("npm start", repoRoot, env);
    expect(started.code, started.output).toBe(0);

    const lines = commandsOf(sectionOf("docs/team-backend.md", "Moving a stack to PostgreSQL"));
    expect(lines[0]).toBe("npm run postgres");
    expect(lines[1]).toMatch(/^export PULUMI_BACKEND_URL='postgres:\/\//);
    const backend = postgresBackendUrl("team_backend_doc");
    const transcript: string[] = [];
    const servers: Server[] = [];
    const outputs = new Map<string, string>();
    await runLines(lines, {
      cwd: repoRoot,
      env,
      servers,
      transcript,
      rewrite: (line) => line.replaceAll(".data/dev-state.json", path.join(local, "dev-state.json")),
      handle: (line) => {
        if (line === "npm run postgres") return true; // the run's own PostgreSQL: see the header
        if (line.startsWith("export PULUMI_BACKEND_URL=")) {
          env.PULUMI_BACKEND_URL = backend;
          return true;
        }
        return false;
      },
      after: (line, ran) => void outputs.set(line.split(" -- ")[1]?.split(" ")[0] + (line.includes("stack rm") ? " rm" : ""), ran.output),
    });
    expect(servers).toEqual([]);
    expect(fs.readFileSync(path.join(local, "dev-state.json"), "utf8")).toContain('"pulumi-nodejs:dynamic/polytomic:OrgWebhook"');
    // The moved stack previews and updates with no change: its objects, its org webhook.
    expect(outputs.get("preview")).toMatch(/8 unchanged/);
    expect(outputs.get("up")).toMatch(/8 unchanged/);
    // The old copy is gone from the file backend; the committed config file is untouched.
    const left = await bash("PULUMI_BACKEND_URL= npm run --silent pulumi -- stack ls --json", repoRoot, env);
    expect(JSON.parse(left.stdout.slice(left.stdout.indexOf("[")))).toEqual([]);
    expect(fs.readFileSync(stackFile, "utf8")).toBe(stackFileBefore);
  }, 600_000);
});
