/**
 * ModelSync's options with the real Pulumi engine against the emulator: a sync with an identity, a
 * filter, an override, a weekly schedule and an `encryptionPassphrase` written as a plain string
 * literal. `up` creates it, neither the preview's output nor `pulumi stack export` holds the
 * passphrase, a no-op preview shows no change, a refresh finds none, an edit of the schedule is one
 * in-place update, `destroy` leaves nothing.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateServiceAccountKey, startEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { openStack, type OpenedStack } from "../../scripts/lib/stack";

const API_KEY = "sync-options-e2e-key-0123456789";
const PASSPHRASE = "sync-plain-literal-passphrase";

const program = (serviceAccount: string) => `
const pulumi = require("@pulumi/pulumi");
const p = require("./dist/lib.js");
const config = new pulumi.Config();
const gcs = new p.Connection("gcs", {
  name: "bucket", type: "gcs", configuration: { bucket: "polytomic-demo" },
  sensitiveConfiguration: { service_account: ${JSON.stringify(serviceAccount)} }, schemaReadyTimeoutSeconds: 30,
});
const hook = new p.Connection("hook", { name: "hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/in" } });
const users = new p.Model("users", {
  name: "users", connectionId: gcs.id,
  configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" },
  fields: ["email_address", "first_name", "plan"], identifier: "email_address",
});
const sync = new p.ModelSync("to-hook", {
  name: "users to hook", mode: "updateOrCreate", active: false,
  schedule: { frequency: "weekly", dayOfWeek: "1", hour: config.get("hour") ?? "8", minute: "0" },
  target: { connectionId: hook.id, object: "http", configuration: { batch_size: 50 } },
  fields: [{ source: { modelId: users.id, field: "email_address" }, encryptionEnabled: true }, { source: { modelId: users.id, field: "first_name" } }],
  identity: { source: { modelId: users.id, field: "email_address" }, target: "record", function: "Equality" },
  filters: [{ source: { modelId: users.id, field: "plan" }, function: "IsNotNull" }],
  overrides: [{ source: { modelId: users.id, field: "first_name" }, function: "IsNull", override: "friend" }],
  encryptionPassphrase: ${JSON.stringify(PASSPHRASE)},
});
exports.syncId = sync.id;
exports.passphrase = sync.encryptionPassphrase;
`;

describe("ModelSync options with the real engine", () => {
  let dir: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let opened: OpenedStack;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-options-e2e-"));
    const folder = path.join(dir, "program");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "name: sync-options\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: program.js\n");
    fs.writeFileSync(path.join(folder, "program.js"), program(generateServiceAccountKey({ projectId: "p-e2e" })));
    for (const link of ["node_modules", "dist", "package.json"]) fs.symlinkSync(path.join(repoRoot, link), path.join(folder, link));
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
    opened = await openStack({ stackName: "options", workDir: folder, backendDir: path.join(dir, "state") });
    await opened.stack.setAllConfig({
      "polytomic:url": { value: emulator.url },
      "polytomic:apiKey": { value: API_KEY, secret: true },
    });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // `pulumi stack export` as a user runs it (the Automation API's exportStack shows secrets).
  const exported = () => execFileSync("pulumi", ["stack", "export", "--stack", "options"], { cwd: opened.stack.workspace.workDir, env: opened.env, encoding: "utf8" });

  it("up creates the sync with every option, the passphrase sent to Polytomic and shown nowhere", async () => {
    const preview = await opened.stack.preview({ diff: true });
    expect(preview.stdout).not.toContain(PASSPHRASE);
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.stdout).not.toContain(PASSPHRASE);
    const [sync] = emulator.state.syncs();
    expect(sync).toMatchObject({
      encryption_passphrase: PASSPHRASE,
      schedule: { frequency: "weekly", day_of_week: "1", hour: "8", minute: "0" },
      identity: { target: "record", function: "Equality" },
      filters: [{ field_type: "Model", function: "IsNotNull" }],
      overrides: [{ function: "IsNull", override: "friend" }],
    });
    expect(up.outputs.passphrase.secret).toBe(true);
    const state = exported();
    expect(state).toContain("users to hook");
    expect(state).not.toContain(PASSPHRASE);
  });

  it("a no-op preview and a refresh change nothing", async () => {
    expect((await opened.stack.preview()).changeSummary).toEqual({ same: 6 });
    const refresh = await opened.stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 6 });
    expect((await opened.stack.preview()).changeSummary).toEqual({ same: 6 });
    expect(exported()).not.toContain(PASSPHRASE);
  });

  it("an edit of the schedule is one in-place update", async () => {
    await opened.stack.setConfig("hour", { value: "9" });
    const up = await opened.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(emulator.state.syncs()[0]).toMatchObject({ schedule: { hour: "9" }, encryption_passphrase: PASSPHRASE });
    expect(exported()).not.toContain(PASSPHRASE);
  });

  it("destroy leaves nothing", async () => {
    expect((await opened.stack.destroy()).summary.result).toBe("succeeded");
    expect([emulator.state.syncs(), emulator.state.models(), emulator.state.connections()]).toEqual([[], [], []]);
  });
});
