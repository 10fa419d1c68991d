/**
 * EMULATOR_PORT and RECEIVER_PORT, which the README says every command honours, while other
 * services listen on the default ports 8787 and 8788 and count what reaches them: nothing may.
 * `npm start` (the real engine), then each other command the docs show, as they show it, in
 * bash: `npm run pulumi` (config get, preview), `npm run sync`, `npm run export` (docs/export.md's
 * lines with `--out`, `--from-stack`, and `--check` of this repository's stack). And a busy port
 * stops `npm start` with one line naming the variable to set.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY } from "../../emulator/defaults";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { bash, commandsOf, sectionOf } from "./docSection";
import { readTree } from "./exportProgram";
import { closedPort } from "./ports";

const STACK_FRAME = /^\s+at .+[(:]\d+/m;

/** A service on `port` that only counts requests; waits while another process holds the port. */
async function countingListener(port: number): Promise<{ hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(503).end();
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
      });
      break;
    } catch (err) {
      // Another engineer's `npm start` may hold the port for a while.
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  return { hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function runStart(env: Record<string, string>, script = ["start.js"]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "dist", "scripts", script[0]), ...script.slice(1)], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe("npm start with EMULATOR_PORT and RECEIVER_PORT", () => {
  let local: string;
  let decoys: Awaited<ReturnType<typeof countingListener>>[] = [];

  beforeAll(async () => {
    local = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-start-"));
    decoys = [await countingListener(8787), await countingListener(8788)];
  }, 300_000);

  afterAll(async () => {
    for (const decoy of decoys) await decoy.close();
    if (local) fs.rmSync(local, { recursive: true, force: true });
  });

  let emulatorPort: number;
  let receiverPort: number;

  it("runs the whole job on the chosen ports and sends nothing to the default ones", async () => {
    [emulatorPort, receiverPort] = [await closedPort(), await closedPort()];
    const stackFileBefore = fs.readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8");
    const run = await bash("npm start", repoRoot, { ...process.env, EMULATOR_PORT: String(emulatorPort), RECEIVER_PORT: String(receiverPort), POLYTOMIC_LOCAL_DIR: local });
    expect(run.output).not.toMatch(STACK_FRAME);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain(`emulator  http://127.0.0.1:${emulatorPort}`);
    expect(run.stdout).toContain(`webhookUrl             "http://127.0.0.1:${receiverPort}/records"`);
    expect(run.stdout).toMatch(/records received\s+[1-9]\d* \(/);
    expect(run.stdout).toMatch(/signatures\s+all valid/);
    expect(decoys.map((d) => d.hits())).toEqual([0, 0]);
    // The repository's stack file is untouched (the ports live in a copy under the local folder).
    expect(fs.readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8")).toBe(stackFileBefore);
  }, 300_000);

  it("every other command the docs show uses the chosen ports: npm run pulumi (config get, preview), npm run sync, npm run export (--out, --from-stack, --check)", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, EMULATOR_PORT: String(emulatorPort), RECEIVER_PORT: String(receiverPort), POLYTOMIC_LOCAL_DIR: local };
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    /** One command line as the docs show it, in this repository, as a user's shell runs it. */
    const run = async (line: string) => {
      const ran = await bash(line, repoRoot, env);
      expect(ran.output).not.toMatch(STACK_FRAME);
      expect(ran.code, `${line}\n${ran.output}`).toBe(0);
      return ran;
    };

    const configGet = await run("npm run --silent pulumi -- config get polytomic:url");
    expect(configGet.stdout.trim().split("\n").at(-1)).toBe(emulatorUrl);
    // npm start stopped its servers: each command starts the emulator around itself, on the chosen port.
    const preview = await run("npm run pulumi -- preview --expect-no-changes");
    expect(preview.output).toContain(`emulator started on ${emulatorUrl}`);

    // A stand-in receiver takes the records.
    const receiver = http.createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end()));
    await new Promise<void>((resolve) => receiver.listen(receiverPort, "127.0.0.1", resolve));
    try {
      const sync = await run("npm run sync -- sync");
      expect(sync.output).toContain(`emulator started on ${emulatorUrl}`);
      expect(sync.stdout).toMatch(/completed in [\d.]+ s: \d+ records, 0 errors/);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }

    // docs/export.md's export lines: from the dev stack's config, and from the emulator's URL.
    const [fromUrl, , fromStack] = commandsOf(sectionOf("docs/export.md", "Bring an existing organization under code"));
    expect(fromStack).toMatch(/^npm run export -- --out \.\.\/polytomic-org --from-stack dev\s+#/);
    const stackOut = path.join(local, "from-stack");
    await run(fromStack.replace("../polytomic-org", stackOut));
    expect(fs.readFileSync(path.join(stackOut, "Pulumi.dev.yaml"), "utf8")).toContain(emulatorUrl);
    expect(fs.readFileSync(path.join(stackOut, "index.ts"), "utf8")).toMatch(/new ModelSync\(/);
    const urlOut = path.join(local, "from-url");
    const byUrl = await run(fromUrl.replace("https://app.polytomic.com", emulatorUrl).replace("<key>", DEFAULT_API_KEY).replace("../polytomic-org", urlOut));
    expect(byUrl.output).toContain(`emulator started on ${emulatorUrl}`);
    expect(readTree(urlOut)).toEqual(readTree(stackOut));

    // --check of this repository's own program: its dev stack against the emulator it runs on.
    const check = await run("npm run export -- --check .");
    expect(check.stdout).toMatch(new RegExp(`No drift: ${emulatorUrl.replace(/\./g, "\\.")} matches \\. \\(stack dev\\): \\d+ managed objects`));
    expect(decoys.map((d) => d.hits())).toEqual([0, 0]);
  }, 300_000);

  it("stops at once with one line naming the variable when a port is busy", async () => {
    const busyEmulator = await runStart({ RECEIVER_PORT: String(await closedPort()), POLYTOMIC_LOCAL_DIR: local, EMULATOR_PORT: "" });
    expect(busyEmulator.code).toBe(1);
    expect(busyEmulator.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^port 8787 is already in use.*set EMULATOR_PORT to a free port/)]);

    const busyReceiver = await runStart({ EMULATOR_PORT: String(await closedPort()), POLYTOMIC_LOCAL_DIR: local, RECEIVER_PORT: "" });
    expect(busyReceiver.code).toBe(1);
    expect(busyReceiver.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^port 8788 is already in use.*set RECEIVER_PORT to a free port/)]);
    const notAPort = await runStart({ EMULATOR_PORT: "87a87", POLYTOMIC_LOCAL_DIR: local });
    expect(notAPort.code).toBe(1);
    expect(notAPort.stderr.trim().split("\n")).toEqual(["EMULATOR_PORT=87a87 is not a port number: set EMULATOR_PORT to a whole number from 1 to 65535"]);
    expect(decoys.map((d) => d.hits())).toEqual([0, 0]);
  }, 120_000);
});
