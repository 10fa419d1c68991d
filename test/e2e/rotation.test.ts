/**
 * Key rotation with the real engine: `up` with one key, rotate it in the stack config and revoke
 * the old one in the emulator, then `refresh` and `destroy` as this project's scripts run them
 * work with the new one (they fall back to running the program, see scripts/lib/runPulumi.ts). Also: what the
 * emulator keeps on disk for replays holds no secret, and a destroy with the API down says so.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateServiceAccountKey, startEmulator } from "../../emulator";
import { makeProgramFolder, openStack, OpenedStack } from "../../scripts/lib/stack";
import { providePulumiCli } from "../../scripts/lib/pulumiEnv";
import { runPulumi } from "../../scripts/lib/runPulumi";
import { count, inventory } from "./api";

const OLD_KEY = "rotation-old-key-0123456789";
const NEW_KEY = "rotation-new-key-9876543210";
const NEWEST_KEY = "rotation-newest-key-5555555555";
const ORG_WEBHOOK_SECRET = "rotation-org-secret-42";
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe("rotating the API key", () => {
  let dir: string;
  let dataDir: string;
  let port: number;
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  let opened: OpenedStack;

  /** The emulator on its fixed port and data folder, accepting only `apiKey`. */
  const restartEmulator = async (apiKey: string | undefined) => {
    await emulator?.stop();
    emulator = apiKey === undefined ? undefined : await startEmulator({ port, dataDir, apiKey, log: () => undefined });
  };

  beforeAll(async () => {
    const binDir = providePulumiCli();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-rotation-"));
    dataDir = path.join(dir, "emulator");
    emulator = await startEmulator({ port: 0, dataDir, apiKey: OLD_KEY, log: () => undefined });
    port = Number(new URL(emulator.url).port);
    opened = await openStack({
      stackName: "rotation",
      workDir: makeProgramFolder(path.join(dir, "program")),
      binDir,
      backendDir: path.join(dir, "backend"),
      pulumiHome: path.join(dir, "home"),
      passphrase: "e2e-passphrase",
    });
    await opened.stack.setAllConfig({
      "polytomic:url": { value: emulator.url },
      "polytomic:apiKey": { value: OLD_KEY, secret: true },
      gcpMode: { value: "existing" },
      bucketName: { value: "polytomic-demo" },
      serviceAccountKey: { value: generateServiceAccountKey({ projectId: "rotation" }), secret: true },
      receiverUrl: { value: "http://127.0.0.1:9/records" },
      orgWebhookUrl: { value: "http://127.0.0.1:9/events" },
      orgWebhookSecret: { value: ORG_WEBHOOK_SECRET, secret: true },
    });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("up keeps no secret in the emulator's replay records", async () => {
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const webhookSecret = String((await opened.stack.outputs()).webhookSecret.value);
    await emulator!.stop(); // writes state.json
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, "state.json"), "utf8"));
    expect(Object.keys(saved.idempotency).length).toBeGreaterThanOrEqual(5);
    const replays = JSON.stringify(saved.idempotency);
    for (const secret of [ORG_WEBHOOK_SECRET, webhookSecret, "PRIVATE KEY"]) expect(replays).not.toContain(secret);
    emulator = await startEmulator({ port, dataDir, apiKey: OLD_KEY, log: () => undefined });
  }, 300_000);

  it("after a rotation, refresh and destroy use the new key from the stack config", async () => {
    await opened.stack.setConfig("polytomic:apiKey", { value: NEW_KEY, secret: true });
    await restartEmulator(NEW_KEY); // the old key is revoked

    // What Pulumi does on its own: refresh without the program uses the config recorded by the
    // last `up`, and the message says how to run with the current one.
    const stale = await runCli(["refresh", "--yes", "--color", "never"], { PULUMI_RUN_PROGRAM: "false" });
    expect(stale.status).not.toBe(0);
    expect(stale.output).toMatch(/refused the API key from polytomic:apiKey \(HTTP 401\)/);
    expect(stale.output).toMatch(/--run-program/);
    expect(stale.output).not.toMatch(STACK_FRAME);

    // This project's scripts (`npm run pulumi -- refresh --yes`) see that failure and run the
    // command again with the program: the current config wins.
    const refresh = await runScript(["refresh", "--yes", "--color", "never"]);
    expect(refresh.status).toBe(0);
    expect(refresh.reranWithProgram).toBe(true);
    expect(refresh.output).toMatch(/Resources:\s+\d+ unchanged\s/);
    expect(refresh.output).not.toMatch(STACK_FRAME);

    // With the API down, destroy fails in seconds with the URL to check, not a stack trace.
    await restartEmulator(undefined);
    const down = await runScript(["destroy", "--yes", "--color", "never"]);
    expect(down.status).not.toBe(0);
    expect(down.output).toMatch(new RegExp(`Cannot reach the Polytomic API at http://127.0.0.1:${port} \\(polytomic:url\\)`));
    expect(down.output).not.toMatch(STACK_FRAME);

    // The refresh that ran the program recorded the new key; rotate once more before destroying.
    await opened.stack.setConfig("polytomic:apiKey", { value: NEWEST_KEY, secret: true });
    await restartEmulator(NEWEST_KEY);
    const destroy = await runScript(["destroy", "--yes"]);
    expect(destroy.status).toBe(0);
    expect(destroy.reranWithProgram).toBe(true);
    expect(count(await inventory(emulator!.url, NEWEST_KEY))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
    await emulator!.stop();
    const saved = fs.readFileSync(path.join(dataDir, "state.json"), "utf8");
    expect(saved).not.toContain(ORG_WEBHOOK_SECRET);
  }, 300_000);

  /** A command as `npm run pulumi` runs it. */
  function runScript(args: string[]) {
    return runPulumi([...args, "--stack", "rotation"], { cwd: opened.stack.workspace.workDir, env: opened.env, echo: false });
  }

  /** The CLI itself (asynchronously: the emulator answers from this process). */
  function runCli(args: string[], env: Record<string, string>): Promise<{ status: number; output: string }> {
    return new Promise((resolve) => {
      execFile(
        "pulumi",
        [...args, "--stack", "rotation"],
        { cwd: opened.stack.workspace.workDir, env: { ...opened.env, ...env }, encoding: "utf8" },
        (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
      );
    });
  }
});
