/**
 * The runtime's safety rules against the in-process emulator, without the engine: keys bound to
 * the state's salt, one credential check per run with messages that name the setting, the org
 * webhook's single owner, and expected failures without stack traces.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";
import { idempotencyKey, canonical } from "../../providers/runtime/shape";
import { ExpectedFailure, rethrowQuietly } from "../../providers/runtime/expectedFailure";
import { readRecordedConfigFailure, RECORDED_CONFIG_FAILURE_FILE } from "../../providers/recordedConfig";
import { closedPort } from "../e2e/ports";

const API_KEY = "safety-test-key-123456";
let emulator: Awaited<ReturnType<typeof startEmulator>>;

const configureWith = (settings: Record<string, string>) => runtime.configure({ config: { get: (key) => settings[key] } });
const useEmulator = () => configureWith({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY });
const hook = (name: string) => ({ name, type: "webhook", configuration: { url: "http://127.0.0.1:9/records" } });
const salt = () => crypto.randomBytes(32).toString("base64url");
const list = async (path: string) => {
  const res = await fetch(emulator.url + path, { headers: { Authorization: `Bearer ${API_KEY}` } });
  return ((await res.json()) as { data: { id: string; name: string }[] }).data;
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, log: () => undefined });
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  emulator.faults.clear();
  await useEmulator();
  emulator.resetStats();
});

describe("idempotency keys", () => {
  it("depend on the salt, and are not a hash anyone can recompute from the declared object", () => {
    const body = { disabled: false, endpoint: "http://127.0.0.1:9/events", secret: "guessable" };
    const one = salt();
    expect(idempotencyKey("OrgWebhook", body, one)).toBe(idempotencyKey("OrgWebhook", body, one));
    expect(idempotencyKey("OrgWebhook", body, one)).not.toBe(idempotencyKey("OrgWebhook", body, salt()));
    const unsalted = crypto.createHash("sha256").update(canonical(body)).digest("hex").slice(0, 40);
    expect(idempotencyKey("OrgWebhook", body, one)).not.toContain(unsalted);
    expect(() => idempotencyKey("OrgWebhook", body, "")).toThrow(/salt/);
  });

  it("two states declaring the same object get two objects; one state retrying its create gets its own back", async () => {
    const [first, second] = [salt(), salt()];
    const a = await runtime.create("connection", { ...hook("shared-name"), idempotencySalt: first });
    const b = await runtime.create("connection", { ...hook("shared-name"), idempotencySalt: second });
    const retried = await runtime.create("connection", { ...hook("shared-name"), idempotencySalt: first });
    expect(b.id).not.toBe(a.id);
    expect(retried.id).toBe(a.id);
    expect((await list("/api/connections")).filter((c) => c.name === "shared-name").map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  });

  it("a create without the state's salt is refused rather than sent with a guessable key", async () => {
    await expect(runtime.create("connection", hook("no-salt"))).rejects.toThrow(/no idempotency salt/);
    expect(emulator.stats().routes["POST /api/connections"] ?? 0).toBe(0);
  });

  it("the salt resource makes 32 random bytes once and never changes", async () => {
    const made = await runtime.create("idempotencySalt", {});
    expect(Buffer.from(String(made.outs.value), "base64url")).toHaveLength(32);
    expect((await runtime.create("idempotencySalt", {})).outs.value).not.toBe(made.outs.value);
    expect(await runtime.diff("idempotencySalt", made.id, made.outs, {})).toMatchObject({ changes: false });
    expect(await runtime.read("idempotencySalt", made.id, made.outs)).toEqual({ id: made.id, props: made.outs });
    expect(emulator.stats().total).toBe(0);
  });

  it("a new salt on an existing object is not a change", async () => {
    const created = await runtime.create("connection", { ...hook("salted-later"), idempotencySalt: salt() });
    expect(await runtime.diff("connection", created.id, created.outs, { ...hook("salted-later"), idempotencySalt: salt() })).toMatchObject({ changes: false });
    expect(created.outs).not.toHaveProperty("idempotencySalt");
  });
});

describe("credentials", () => {
  it("are checked once per run, whatever the number of resources", async () => {
    await configureWith({}); // a new run
    await configureWith({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY, unrelated: "changes nothing" });
    emulator.resetStats();
    for (let i = 0; i < 5; i++) await runtime.check("connection", {}, hook(`checked-${i}`));
    await useEmulator(); // every stub configures again with the same values: no second check
    await runtime.check("model", {}, { name: "m", connectionId: "c", configuration: {} });
    expect(emulator.stats().routes).toEqual({ "GET /api/me": 1 });
  });

  it("a refused key fails the check in one request, naming polytomic:apiKey and without the key", async () => {
    await configureWith({ "polytomic:url": emulator.url, "polytomic:apiKey": "revoked-key-0000000000" });
    emulator.resetStats();
    const error = await runtime.check("connection", {}, hook("x")).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/refused the API key from polytomic:apiKey \(HTTP 401\).*pulumi config set --secret polytomic:apiKey/);
    expect((error as Error).message).not.toContain("revoked-key");
    expect((error as Error).stack).toBe("");
    expect(emulator.stats().total).toBe(1);
  });

  it("refresh and destroy (read, delete) add how to run them with the current config; a preview does not", async () => {
    await configureWith({ "polytomic:url": emulator.url, "polytomic:apiKey": "rotated-away-key-000000" });
    await expect(runtime.check("connection", {}, hook("x"))).rejects.toThrow(/^((?!--run-program).)*$/s);
    await expect(runtime.read("connection", "c-1", hook("x"))).rejects.toThrow(/HTTP 401.*run them with --run-program \(or PULUMI_RUN_PROGRAM=true/);
    await expect(runtime.remove("connection", "c-1", hook("x"))).rejects.toThrow(/HTTP 401.*--run-program/);
  });

  it("refresh and destroy leave the signal file a caller asked for; a preview and a working key do not", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recorded-config-"));
    const file = path.join(dir, "signal.json");
    process.env[RECORDED_CONFIG_FAILURE_FILE] = file;
    try {
      await runtime.check("connection", {}, hook("x"));
      await configureWith({ "polytomic:url": emulator.url, "polytomic:apiKey": "rotated-away-key-000000" });
      await expect(runtime.check("connection", {}, hook("x"))).rejects.toThrow(/HTTP 401/);
      expect(fs.existsSync(file)).toBe(false);
      await expect(runtime.read("connection", "c-1", hook("x"))).rejects.toThrow(/HTTP 401/);
      expect(readRecordedConfigFailure(file)?.message).toMatch(/refused the API key from polytomic:apiKey \(HTTP 401\)/);
      expect(fs.readFileSync(file, "utf8")).not.toContain("rotated-away-key");
    } finally {
      delete process.env[RECORDED_CONFIG_FAILURE_FILE];
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the environment is named when the key came from it", async () => {
    process.env.POLYTOMIC_API_KEY = "revoked-env-key-000000";
    try {
      await configureWith({ "polytomic:url": emulator.url });
      await expect(runtime.check("connection", {}, hook("x"))).rejects.toThrow(/API key from POLYTOMIC_API_KEY/);
    } finally {
      delete process.env.POLYTOMIC_API_KEY;
    }
  });

  it("an unreachable URL fails in seconds, naming polytomic:url", async () => {
    const port = await closedPort();
    await configureWith({ "polytomic:url": `http://127.0.0.1:${port}`, "polytomic:apiKey": API_KEY });
    const started = Date.now();
    await expect(runtime.check("connection", {}, hook("x"))).rejects.toThrow(new RegExp(`Cannot reach the Polytomic API at http://127.0.0.1:${port} \\(polytomic:url\\)`));
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a URL that is not the API says so", async () => {
    await configureWith({ "polytomic:url": `${emulator.url}/not-the-api`, "polytomic:apiKey": API_KEY });
    await expect(runtime.check("connection", {}, hook("x"))).rejects.toThrow(/does not answer like the Polytomic API .*HTTP 404.*polytomic:url/);
  });

  it("missing settings are named with the command that sets them", async () => {
    await configureWith({});
    await expect(runtime.read("connection", "c", {})).rejects.toThrow(/set the API URL: `pulumi config set polytomic:url.* and the API key/);
  });
});

describe("the org webhook has one owner", () => {
  it("a new webhook is refused at check when the organization has one; adoption and the owner's own are not", async () => {
    const inputs = { endpoint: "http://127.0.0.1:9/events", secret: "owner-secret" };
    const owned = await runtime.create("orgWebhook", { ...inputs, idempotencySalt: salt() });
    const failures = (await runtime.check("orgWebhook", {}, { endpoint: "http://127.0.0.1:9/staging", secret: "staging-secret" })).failures ?? [];
    expect(failures).toEqual([
      { property: "endpoint", reason: expect.stringMatching(new RegExp(`already has its event webhook, ${owned.id} .*does not own it.*adopt.orgWebhookId`)) },
    ]);
    expect(JSON.stringify(failures)).not.toContain("owner-secret");
    expect((await runtime.check("orgWebhook", {}, { ...inputs, adoptId: owned.id })).failures).toEqual([]);
    emulator.resetStats();
    expect((await runtime.check("orgWebhook", owned.outs, inputs)).failures).toEqual([]);
    expect(emulator.stats().total).toBe(0);
    await runtime.remove("orgWebhook", owned.id, owned.outs);
  });

  it("one this stack made in a run whose state was never written is its own: checked as such, taken back, not made again", async () => {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "noted-"));
    const saved = process.env.PULUMI_BACKEND_URL;
    process.env.PULUMI_BACKEND_URL = `file://${backend}`;
    try {
      const inputs = { endpoint: "http://127.0.0.1:9/events", secret: "noted-secret", polytomicStack: "polytomic-pipelines/dev" };
      const made = await runtime.create("orgWebhook", { ...inputs, idempotencySalt: salt() });
      // The killed run's state is lost: the retry sees the webhook as new, under another salt even.
      expect((await runtime.check("orgWebhook", {}, inputs)).failures).toEqual([]);
      const otherStack = { ...inputs, polytomicStack: "polytomic-pipelines/staging" };
      expect((await runtime.check("orgWebhook", {}, otherStack)).failures).toHaveLength(1);
      emulator.resetStats();
      const retried = await runtime.create("orgWebhook", { ...inputs, secret: "noted-secret-2", idempotencySalt: salt() });
      expect(retried.id).toBe(made.id);
      expect(emulator.stats().routes["POST /api/webhooks"] ?? 0).toBe(0);
      expect((await list("/api/webhooks")).map((w) => w.id)).toEqual([made.id]);
      await runtime.remove("orgWebhook", made.id, retried.outs);
      // Gone since: a note naming it no longer takes anything back.
      const fresh = await runtime.create("orgWebhook", { ...inputs, idempotencySalt: salt() });
      expect(fresh.id).not.toBe(made.id);
      await runtime.remove("orgWebhook", fresh.id, fresh.outs);
    } finally {
      if (saved === undefined) delete process.env.PULUMI_BACKEND_URL;
      else process.env.PULUMI_BACKEND_URL = saved;
      fs.rmSync(backend, { recursive: true, force: true });
    }
  });
});

describe("failures", () => {
  it("expected ones lose their stack; bugs keep it", () => {
    const expected = (() => {
      try {
        rethrowQuietly(new ExpectedFailure("bad input"));
      } catch (err) {
        return err as Error;
      }
    })();
    expect(expected?.message).toBe("bad input");
    expect(expected?.stack).toBe("");
    const bug = new TypeError("x is undefined");
    expect(() => rethrowQuietly(bug)).toThrow(bug);
    expect(bug.stack).toContain("safety.test.ts");
  });
});
