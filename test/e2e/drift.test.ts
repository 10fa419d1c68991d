/**
 * Drift from the UI, with the real engine and the emulator: an exported program adopted by
 * `pulumi up` and committed to a repository, then the nightly workflow's own steps
 * (.github/workflows/drift.yml, read from the file) run against it with a `gh` that records the
 * pull request. Clean, nothing happens; after edits made through the API (a sync's batch size, a
 * connection made in the UI, a sync deleted in the UI) `polytomic-export --check` exits 1 listing
 * each, the summary holds both looks, and the pull request's branch is a re-export; with its
 * change merged and `up` run, the same steps pass. The check's bad inputs give one line and exit 2,
 * and the check makes no write to the organization.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, PolytomicClient } from "../../client";
import { runExportCommand } from "../../cli/export/command";
import { readPackageInfo } from "../../cli/export/packageInfo";
import { startEmulator } from "../../emulator";
import { providePulumiCli, pulumiEnv, repoRoot } from "../../scripts/lib/pulumiEnv";
import { HandMadeOrg, makeHandMadeOrg } from "./exportOrg";
import { buildProgram, installProgramDependencies } from "./exportProgram";
import { JobRun, readJob, runJob } from "./workflowSteps";

const API_KEY = "drift-e2e-key-0123456789";
const PASSPHRASE = "drift-e2e-passphrase";
const STACK = "dev";
const PROGRAM = "polytomic-org";
const packageInfo = readPackageInfo(repoRoot);
const EXPORT_BIN = path.join(repoRoot, "dist", "bin", "polytomic-export.js");
const SECRET_LINE = /^\s*(pulumi config set --secret --stack \S+ (\S+))\s+# (.+): (\S+)$/;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** A `gh` that answers `pr list` with the pull request it "opened" and records every call and body. */
const FAKE_GH = `#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> "$FAKE_GH_DIR/calls.log"
body=""
args=("$@")
for ((i = 0; i < \${#args[@]}; i++)); do
  if [ "\${args[$i]}" = "--body-file" ]; then body="\${args[$((i + 1))]}"; fi
done
case "$1 $2" in
  "pr list") cat "$FAKE_GH_DIR/open-pr" 2>/dev/null || true ;;
  "pr create") cp "$body" "$FAKE_GH_DIR/body.md"; echo 7 > "$FAKE_GH_DIR/open-pr"; echo "https://github.example/pull/7" ;;
  "pr edit") cp "$body" "$FAKE_GH_DIR/body.md" ;;
  *) echo "fake gh: unexpected $*" >&2; exit 1 ;;
esac
`;

describe("drift from the UI: polytomic-export --check and the nightly workflow", () => {
  let emulator: Emulator;
  let client: PolytomicClient;
  let org: HandMadeOrg;
  let tmp: string;
  let repo: string;
  let programDir: string;
  let cliEnv: Record<string, string>;
  let ghDir: string;
  let madeInUi: string;

  /** A command line in `cwd` (asynchronous: the emulator answering it runs in this process). */
  const sh = async (line: string, cwd = programDir, stdin?: string) => {
    const child = promisify(execFile)("bash", ["-c", line], { cwd, env: cliEnv, maxBuffer: 64 * 1024 * 1024 });
    if (stdin !== undefined) {
      child.child.stdin?.end(stdin);
    }
    try {
      return (await child).stdout;
    } catch (err) {
      throw new Error(`${line} failed: ${(err as { stderr?: string }).stderr}`);
    }
  };
  const check = async (...args: string[]) => {
    const child = promisify(execFile)(process.execPath, [EXPORT_BIN, ...args], { cwd: tmp, env: cliEnv });
    try {
      const { stdout, stderr } = await child;
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };
  const job = readJob(path.join(repoRoot, ".github", "workflows", "drift.yml"), "drift");
  const runWorkflow = (): Promise<JobRun> =>
    runJob(job, {
      workspace: repo,
      tmp,
      skip: { install: "installs from the npm registry: the test links this checkout instead (exportProgram.ts)" },
      jobEnv: {
        PULUMI_BACKEND_URL: cliEnv.PULUMI_BACKEND_URL,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        POLYTOMIC_URL: "",
        POLYTOMIC_API_KEY: "",
        POLYTOMIC_PARTNER_KEY: "",
        STACK,
        PROGRAM_DIR: PROGRAM,
        BRANCH: `drift/${STACK}`,
        BASE_BRANCH: "main",
        GH_TOKEN: "fake-token",
      },
      baseEnv: { ...cliEnv, PATH: `${path.join(tmp, "fakebin")}${path.delimiter}${cliEnv.PATH}`, FAKE_GH_DIR: ghDir },
    });

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    client = createClient({ baseUrl: emulator.url, apiKey: API_KEY });
    org = await makeHandMadeOrg(client, emulator.gcsRoot);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-drift-"));
    repo = path.join(tmp, "repo");
    programDir = path.join(repo, PROGRAM);
    ghDir = path.join(tmp, "gh");
    fs.mkdirSync(ghDir);
    fs.mkdirSync(path.join(tmp, "fakebin"));
    fs.writeFileSync(path.join(tmp, "fakebin", "gh"), FAKE_GH, { mode: 0o755 });

    // Exported, then adopted with the printed commands.
    const printed: string[] = [];
    const code = await runExportCommand(["--out", programDir, "--stack", STACK], {
      createClient,
      stackConfig: async () => ({}),
      packageInfo,
      env: { POLYTOMIC_URL: emulator.url, POLYTOMIC_API_KEY: API_KEY },
      out: (line) => printed.push(line),
      err: () => undefined,
    });
    expect(code).toBe(0);
    installProgramDependencies(programDir, packageInfo.name);
    buildProgram(programDir);
    cliEnv = pulumiEnv({ binDir: providePulumiCli(), backendDir: path.join(tmp, "backend"), pulumiHome: path.join(tmp, "home"), passphrase: PASSPHRASE });
    for (const key of Object.keys(cliEnv)) if (key.startsWith("POLYTOMIC_")) delete cliEnv[key];
    await sh(`pulumi stack select --create ${STACK}`);
    await sh("pulumi config set --secret polytomic:apiKey", programDir, API_KEY);
    const values: Record<string, string> = {
      'connection "Archive bucket (EU)"': org.serviceAccountKeys["Archive bucket (EU)"],
      'connection "Contacts bucket"': org.serviceAccountKeys["Contacts bucket"],
      [`org webhook ${org.ids.webhooks[0]}`]: org.orgWebhookSecret,
    };
    for (const line of printed.filter((l) => SECRET_LINE.test(l))) {
      await sh(line.trim(), programDir, values[(line.match(SECRET_LINE) as RegExpMatchArray)[3]]);
    }
    await sh("pulumi up --yes --skip-preview --non-interactive");

    // The repository the workflow runs in, with an origin to push the drift branch to.
    await sh(`git init -q --bare ${path.join(tmp, "origin.git")}`, tmp);
    await sh(
      [
        "git init -q -b main",
        "git config user.name test && git config user.email test@example.com",
        `git remote add origin ${path.join(tmp, "origin.git")}`,
        "git add -A && git commit -qm 'the exported program' && git push -q origin main",
      ].join(" && "),
      repo,
    );
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("finds no drift right after the adoption: exit 0, and the workflow opens nothing", async () => {
    emulator.resetStats();
    const clean = await check("--check", programDir);
    expect(clean.stderr).toBe("");
    expect(clean.stdout).toMatch(/^No drift: .* 13 managed objects/);
    expect(clean.code).toBe(0);
    // The export's reads, and nothing else.
    expect(Object.keys(emulator.stats().routes).every((route) => route.startsWith("GET "))).toBe(true);

    const run = await runWorkflow();
    expect(run.failed?.output).toBeUndefined();
    expect(run.steps.map((s) => s.id)).toEqual(["preview", "check", "summary"]);
    expect(run.summary).toContain("No drift in stack `dev`");
    expect(fs.existsSync(path.join(ghDir, "calls.log"))).toBe(false);
  }, 180_000);

  it("npm run export -- --check sees the stack made with plain pulumi: the user's backend and Pulumi home, the CLI it provides", async () => {
    // The user's environment: their backend, home and passphrase, and no pulumi on PATH.
    const env = { ...cliEnv, PATH: process.env.PATH ?? "" };
    const harness = await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "scripts", "withPulumi.js"), EXPORT_BIN, "--check", programDir], { cwd: repoRoot, env }).catch(
      (err: { code?: number; stdout?: string; stderr?: string }) => err,
    );
    expect("code" in harness ? harness.code : 0, harness.stderr).toBe(0);
    expect(harness.stdout).toMatch(/^No drift: .* 13 managed objects/);
  });

  it("lists a field edited, an object made and one deleted in the UI, and makes no write", async () => {
    // The UI edits, made through the API.
    const nightly = await client.syncs.get(org.syncIds.nightly);
    await client.syncs.update(nightly.id, {
      name: nightly.name,
      mode: nightly.mode,
      schedule: nightly.schedule,
      target: { ...nightly.target, configuration: { ...nightly.target.configuration, batch_size: 750 } },
      fields: nightly.fields,
      active: nightly.active,
    });
    madeInUi = (await client.connections.create({ name: "Made in the UI", type: "webhook", configuration: { url: "http://127.0.0.1:9/ui" } })).id;
    await client.syncs.delete(org.syncIds.vips);

    emulator.resetStats();
    const result = await check("--check", programDir, "--stack", STACK);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const text = result.stdout;
    expect(text).toMatch(/^Drift: 3 differences between http:\/\/127\.0\.0\.1:\d+ and .* \(stack dev\)\./);
    expect(text).toContain(`connection "Made in the UI" (Connection, id ${madeInUi}); npm run export would write:`);
    expect(text).toContain('const madeInTheUiConnection = new Connection("made-in-the-ui", {');
    expect(text).toContain(`adoptId: "${madeInUi}",`);
    expect(text).toContain(`sync "Hourly VIPs" (id ${org.syncIds.vips}), resource hourly-vips`);
    expect(text).toContain(`sync "Nightly audit" (id ${org.syncIds.nightly}), resource nightly-audit:`);
    expect(text).toMatch(/target\.configuration\.batch_size +500 \| 750/);
    // No secret, and no write: reads only.
    for (const secret of [org.orgWebhookSecret, API_KEY, "PRIVATE KEY"]) expect(text).not.toContain(secret);
    const routes = emulator.stats().routes;
    expect(Object.keys(routes).filter((route) => !route.startsWith("GET "))).toEqual([]);
  }, 120_000);

  it("the workflow: preview and check fail, the summary holds both, one pull request shows the re-export", async () => {
    const run = await runWorkflow();
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ["preview", 0],
      ["check", 0],
      ["summary", 0],
      ["pull-request", 0],
      ["verdict", 1],
    ]);
    expect(run.steps[0].outputs.drift).toBe("true");
    expect(run.steps[1].outputs.drift).toBe("true");
    expect(run.summary).toContain("## Drift in stack `dev`");
    expect(run.summary).toMatch(/target\.configuration\.batch_size +500 \| 750/);
    expect(run.summary).toContain("no changes were expected");

    const calls = fs.readFileSync(path.join(ghDir, "calls.log"), "utf8").trim().split("\n");
    expect(calls[0]).toMatch(/^pr list --head drift\/dev --state open/);
    expect(calls[1]).toMatch(/^pr create --head drift\/dev --base main --title Drift in stack dev from the Polytomic UI --body-file /);
    expect(fs.readFileSync(path.join(ghDir, "body.md"), "utf8")).toContain(`connection "Made in the UI"`);

    // The branch on origin: the re-export, whose diff is the drift.
    const diff = await sh("git diff main origin/drift/dev -- .", repo);
    expect(diff).toMatch(/^-.*batch_size: 500\b/m);
    expect(diff).toMatch(/^\+.*batch_size: 750\b/m);
    expect(diff).toContain('+const madeInTheUiConnection = new Connection("made-in-the-ui", {');
    expect(diff).toContain('-const hourlyVipsSync = new ModelSync("hourly-vips", {');
    expect(await sh("git diff --name-only main origin/drift/dev", repo)).toBe(`${PROGRAM}/index.ts\n`);

    // A second night with the same drift updates the same pull request.
    await sh("git checkout -q main", repo);
    const again = await runWorkflow();
    expect(again.steps.find((s) => s.id === "pull-request")?.status).toBe(0);
    const later = fs.readFileSync(path.join(ghDir, "calls.log"), "utf8").trim().split("\n").slice(2);
    expect(later[0]).toMatch(/^pr list /);
    expect(later[1]).toMatch(/^pr edit 7 --body-file /);
    expect(later).toHaveLength(2);
  }, 300_000);

  it("with the pull request merged and up run, the same steps pass", async () => {
    await sh("git checkout -q main && git merge -q --ff-only origin/drift/dev", repo);
    buildProgram(programDir);
    await sh("pulumi up --yes --skip-preview --non-interactive");
    fs.rmSync(path.join(ghDir, "calls.log"));

    const run = await runWorkflow();
    expect(run.failed?.output).toBeUndefined();
    expect(run.steps.map((s) => s.id)).toEqual(["preview", "check", "summary"]);
    expect(run.summary).toContain("No drift in stack `dev`");
    expect(fs.existsSync(path.join(ghDir, "calls.log"))).toBe(false);
    expect((await check("--check", programDir)).code).toBe(0);
  }, 300_000);

  it("an edited and refactored program is checked by what its state declares, not by its text", async () => {
    // Variables renamed, comments gone, one batch size edited and applied: the text is no longer
    // what an export writes, and nothing drifted.
    const file = path.join(programDir, "index.ts");
    const source = fs.readFileSync(file, "utf8");
    const refactored = source
      .replace(/^\/\/.*\n/gm, "")
      .replace(/Connection\b(?=[ .,)(])/g, "Conn")
      .replace("import { Conn,", "import { Connection as Conn,")
      .replace(/batch_size: 750\b/, "batch_size: 800");
    expect(refactored).not.toBe(source);
    fs.writeFileSync(file, refactored);
    buildProgram(programDir);
    await sh("pulumi up --yes --skip-preview --non-interactive");
    expect((await client.syncs.get(org.syncIds.nightly)).target.configuration?.batch_size).toBe(800);
    const result = await check("--check", programDir);
    expect(result.stdout).toMatch(/^No drift/);
    expect(result.code).toBe(0);
  }, 120_000);

  it("bad input: one line each, exit 2, nothing written", async () => {
    const before = fs.readdirSync(programDir).sort();
    const notProgram = await check("--check", tmp);
    expect([notProgram.code, notProgram.stdout, notProgram.stderr.trim().split("\n").length]).toEqual([2, "", 1]);
    expect(notProgram.stderr).toContain("is not a Pulumi program (no Pulumi.yaml)");

    const noStack = await check("--check", programDir, "--stack", "nope");
    expect([noStack.code, noStack.stdout, noStack.stderr.trim().split("\n").length]).toEqual([2, "", 1]);
    expect(noStack.stderr).toMatch(/no stack named 'nope'/);

    await sh("pulumi config set --secret polytomic:apiKey", programDir, "a-wrong-key-0000");
    const wrongKey = await check("--check", programDir);
    expect([wrongKey.code, wrongKey.stdout, wrongKey.stderr.trim().split("\n").length]).toEqual([2, "", 1]);
    expect(wrongKey.stderr).toContain("refused the key (HTTP 401): check polytomic:apiKey");
    expect(wrongKey.stderr).not.toContain("a-wrong-key");

    await sh("pulumi config set --secret polytomic:apiKey", programDir, API_KEY);
    await sh("pulumi config set polytomic:url http://127.0.0.1:9");
    const unreachable = await check("--check", programDir);
    expect([unreachable.code, unreachable.stdout, unreachable.stderr.trim().split("\n").length]).toEqual([2, "", 1]);
    expect(unreachable.stderr).toContain("cannot reach the API at http://127.0.0.1:9");
    await sh(`pulumi config set polytomic:url ${emulator.url}`);

    const usage = await check("--check", programDir, "--out", tmp);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--out: not with --check");
    expect(fs.readdirSync(programDir).sort()).toEqual(before);
  }, 120_000);
});
