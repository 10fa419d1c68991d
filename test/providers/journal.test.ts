/**
 * The journal of creates (providers/runtime/createJournal.ts), through the runtime against the
 * in-process emulator, on a file and a PostgreSQL backend, with Polytomic's Idempotency-Keys
 * forgotten before every retry: a retried create finds what a killed run made and takes it over,
 * whether the killed run noted the object's id or only its intent; it creates only what was never
 * made.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";
import { CLOCK_SKEW_MS, madeByKilledRun } from "../../providers/runtime/createJournal";
import { stackNotes } from "../../providers/runtime/stackNotes";
import { encodeBlob, groupCommit, parseBackendUrl } from "../../providers/runtime/postgresNotes";
import { postgresBackendUrl } from "../support/postgres";

const API_KEY = "journal-test-key-123";
const SALT = "journal-test-salt-0123456789abcdef";
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
const savedBackend = process.env.PULUMI_BACKEND_URL;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, log: () => undefined });
  await runtime.configure(config());
});
afterAll(async () => {
  await emulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  if (savedBackend === undefined) delete process.env.PULUMI_BACKEND_URL;
  else process.env.PULUMI_BACKEND_URL = savedBackend;
});

const config = () => ({ config: { get: (key: string) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
const posts = () => emulator.stats().routes["POST /api/connections"] ?? 0;


describe.each(["file", "postgres"] as const)("a create retried after a killed run, on a %s backend", (backend) => {
  const stack = `polytomic-pipelines/journal-${backend}`;
  // Names of this backend's own: both runs share one organization.
  const inputs = (name: string) => ({
    name: `${name} (${backend})`,
    type: "webhook",
    configuration: { url: "http://127.0.0.1:9/records" },
    idempotencySalt: SALT,
    polytomicStack: stack,
  });
  const notes = () => stackNotes(stack)!;
  const webhooks = (name: string) => emulator.state.connections().filter((c) => c.name === `${name} (${backend})`);

  beforeAll(() => {
    process.env.PULUMI_BACKEND_URL = backend === "file" ? `file://${path.join(dir, "backend")}` : postgresBackendUrl("journal");
  });
  beforeEach(() => {
    emulator.resetStats();
  });

  it("takes over the object whose id the killed run noted: no second POST", async () => {
    const first = await runtime.create("connection", inputs("noted"));
    const records = await notes().list("creates/");
    expect([...records.values()].map((r) => JSON.parse(r))).toContainEqual(expect.objectContaining({ kind: "Connection", name: `noted (${backend})`, id: first.id }));
    emulator.forgetIdempotencyKeys();
    emulator.resetStats();

    const retried = await runtime.create("connection", inputs("noted"));
    expect(retried.id).toBe(first.id);
    expect(posts()).toBe(0);
    expect(webhooks("noted")).toHaveLength(1);
  });

  it("finds by name what a killed run made after noting only its intent", async () => {
    const first = await runtime.create("connection", inputs("intent only"));
    // The run was killed after its POST landed and before the id was noted.
    const [[name, record]] = [...(await notes().list("creates/"))].filter(([, r]) => JSON.parse(r).name === `intent only (${backend})`);
    const { id: _id, ...intent } = JSON.parse(record);
    await notes().write(name, JSON.stringify(intent));
    emulator.forgetIdempotencyKeys();
    emulator.resetStats();

    const retried = await runtime.create("connection", inputs("intent only"));
    expect(retried.id).toBe(first.id);
    expect(posts()).toBe(0);
    expect(webhooks("intent only")).toHaveLength(1);
    expect(JSON.parse((await notes().read(name))!).id).toBe(first.id);
  });

  it("creates what the killed run never made, and what was deleted since", async () => {
    const first = await runtime.create("connection", inputs("gone"));
    await fetch(`${emulator.url}/api/connections/${first.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${API_KEY}` } });
    emulator.forgetIdempotencyKeys();
    emulator.resetStats();
    const again = await runtime.create("connection", inputs("gone"));
    expect(again.id).not.toBe(first.id);
    expect(posts()).toBe(1);
    expect(webhooks("gone").map((c) => c.id)).toEqual([again.id]);
  });
});

/** Writes the stack's checkpoint as the engine does, holding resources with `ids` (file or PostgreSQL backend). */
async function writeCheckpoint(stack: string, ids: string[], time = new Date()): Promise<void> {
  const latest = { manifest: { time: time.toISOString() }, resources: ids.map((id) => ({ urn: `urn:${id}`, id })) };
  const text = JSON.stringify({ version: 3, checkpoint: { stack, latest } });
  const [project, name] = stack.split("/");
  const url = process.env.PULUMI_BACKEND_URL!;
  if (url.startsWith("file://")) {
    const file = path.join(url.slice("file://".length), ".pulumi", "stacks", project, `${name}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  const { connectionString, table, prefix } = parseBackendUrl(url);
  const { Client } = await import("pg");
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`INSERT INTO ${table} (key, data) VALUES ($1, $2::json) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data`, [
      `${prefix}.pulumi/stacks/${project}/${name}.json`,
      encodeBlob(text),
    ]);
  } finally {
    await client.end();
  }
}

describe.each(["file", "postgres"] as const)("a replacement told from a retry, on a %s backend", (backend) => {
  // A stack of each test's own: the last written state is read once per run (per stack here).
  const stackOf = (label: string) => `polytomic-pipelines/replace-${label}-${backend}`;
  const inputs = (stack: string) => ({
    name: `replaced (${stack})`,
    type: "webhook",
    configuration: { url: "http://127.0.0.1:9/records" },
    idempotencySalt: SALT,
    polytomicStack: stack,
  });
  /** The connection verbs of a new run (a provider host of its own): the last written state is read once per run. */
  const newRun = async () => runtime.createRuntime((await runtime.configure(config())).credentials).provider("connection");
  const named = (stack: string) => emulator.state.connections().filter((c) => c.name === `replaced (${stack})`);

  beforeAll(() => {
    process.env.PULUMI_BACKEND_URL = backend === "file" ? `file://${path.join(dir, "backend")}` : postgresBackendUrl("journal_replace");
  });
  beforeEach(() => {
    emulator.resetStats();
  });

  it("a create whose record names an object of the last written state makes a new one; its retry takes that one over; deletes drop records", async () => {
    const stack = stackOf("cycle");
    const old = await (await newRun()).create(inputs(stack));
    // The state now holds it (as the end of that run writes it); then `up --replace` creates again.
    await writeCheckpoint(stack, [old.id]);
    emulator.resetStats();
    const replacing = await newRun();
    const replacement = await replacing.create(inputs(stack));
    expect(replacement.id).not.toBe(old.id);
    expect(posts()).toBe(1);
    const records = [...(await stackNotes(stack)!.list("creates/")).values()].map((r) => JSON.parse(r));
    expect(records).toEqual([expect.objectContaining({ id: replacement.id, replacing: old.id })]);

    // Killed before the state was written, Polytomic's keys forgotten: the retry takes over the replacement, no POST.
    emulator.forgetIdempotencyKeys();
    emulator.resetStats();
    const retried = await (await newRun()).create(inputs(stack));
    expect(retried.id).toBe(replacement.id);
    expect(posts()).toBe(0);
    expect(named(stack).map((c) => c.id).sort()).toEqual([old.id, replacement.id].sort());

    // The engine deletes the old object: the record (naming the new one) stays; deleting that one drops it.
    const deleting = await newRun();
    await deleting.remove(old.id, retried.outs);
    expect((await stackNotes(stack)!.list("creates/")).size).toBe(1);
    await deleting.remove(replacement.id, retried.outs);
    expect((await stackNotes(stack)!.list("creates/")).size).toBe(0);
    expect(named(stack)).toEqual([]);
  });

  it("a replacement a killed run began is reported by the next run's diff, with or without the new object's id noted, and finished by its create", async () => {
    const stack = stackOf("begun");
    const old = await (await newRun()).create(inputs(stack));
    await writeCheckpoint(stack, [old.id]);
    expect(await (await newRun()).diff(old.id, old.outs, inputs(stack))).toMatchObject({ changes: false, replaces: [] });
    // `up --replace` made the new object and was killed before writing its state.
    const replacement = await (await newRun()).create(inputs(stack));
    expect(await (await newRun()).diff(old.id, old.outs, inputs(stack))).toEqual({ changes: true, replaces: ["idempotencySalt"], deleteBeforeReplace: false });
    // Killed between its POST and the id's note: begun all the same.
    const [[name, record]] = [...(await stackNotes(stack)!.list("creates/"))];
    const { id: _id, ...intent } = JSON.parse(record);
    await stackNotes(stack)!.write(name, JSON.stringify(intent));
    emulator.forgetIdempotencyKeys();
    const next = await newRun();
    expect(await next.diff(old.id, old.outs, inputs(stack))).toMatchObject({ changes: true, replaces: ["idempotencySalt"] });
    emulator.resetStats();
    const finished = await next.create(inputs(stack));
    expect(finished.id).toBe(replacement.id);
    expect(posts()).toBe(0);
    // Once the state holds the new object the replacement is over: neither object's diff reports one.
    await writeCheckpoint(stack, [replacement.id]);
    expect(await (await newRun()).diff(replacement.id, finished.outs, inputs(stack))).toMatchObject({ changes: false, replaces: [] });
    expect(await (await newRun()).diff(old.id, old.outs, inputs(stack))).toMatchObject({ changes: false, replaces: [] });
  });

  it("a replacement whose key Polytomic still replays never takes the object it replaces, record or not", async () => {
    const stack = stackOf("replay");
    const old = await (await newRun()).create(inputs(stack));
    await writeCheckpoint(stack, [old.id]);
    // A stack from before the journal: no record. The POST replays the first create's answer.
    await stackNotes(stack)!.forget();
    const replacement = await (await newRun()).create(inputs(stack));
    expect(replacement.id).not.toBe(old.id);
    expect(named(stack)).toHaveLength(2);
  });
});

describe.each(["file", "postgres"] as const)("a destroy after a killed up, on a %s backend", (backend) => {
  const stack = `polytomic-pipelines/sweep-${backend}`;
  const inputs = (name: string) => ({ name: `${name} (${stack})`, type: "webhook", configuration: { url: "http://127.0.0.1:9/records" }, idempotencySalt: SALT, polytomicStack: stack });
  const newRun = async () => runtime.createRuntime((await runtime.configure(config())).credentials);
  const exists = (id: string) => emulator.state.connections().some((c) => c.id === id);

  beforeAll(() => {
    process.env.PULUMI_BACKEND_URL = backend === "file" ? `file://${path.join(dir, "backend")}` : postgresBackendUrl("journal_sweep");
  });

  it("deletes, with the salt, what runs made after the last written state; never what that state let go", async () => {
    // Made in a run whose state was written (at `written`), then removed from the state on purpose (handed over).
    const handedOver = await (await newRun()).provider("connection").create(inputs("handed over"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeCheckpoint(stack, [], new Date());
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Made by an up killed before it wrote its state.
    const dead = await (await newRun()).provider("connection").create(inputs("made by a dead up"));
    expect(exists(dead.id)).toBe(true);

    await (await newRun()).provider("idempotencySalt").remove("salt-id", { stack, value: "x" });
    expect(exists(dead.id)).toBe(false);
    expect(exists(handedOver.id)).toBe(true);
    expect((await stackNotes(stack)!.list("creates/")).size).toBe(0);
  });
});

describe("what a killed run made, told from the rest", () => {
  const at = "2026-12-01T10:00:00.000Z";
  const record = { kind: "Connection", name: "hook", at };
  const later = (ms: number) => new Date(Date.parse(at) + ms).toISOString();

  it("is the oldest object of that name made since the intent (less the clock skew) that no record claims", () => {
    const listed = [
      { id: "before", name: "hook", created_at: later(-CLOCK_SKEW_MS - 1000) },
      { id: "claimed", name: "hook", created_at: later(1000) },
      { id: "other-name", name: "hooks", created_at: later(1000) },
      { id: "second", name: "hook", created_at: later(3000) },
      { id: "first", name: "hook", created_at: later(2000) },
    ];
    expect(madeByKilledRun(record, listed, new Set(["claimed"]))?.id).toBe("first");
    expect(madeByKilledRun(record, listed.slice(0, 3), new Set(["claimed"]))).toBeUndefined();
  });
});

describe("notes written to PostgreSQL in group commits", () => {
  it("commit the writes made while a commit runs together, keep a key's last value, and fail only their own batch", async () => {
    const batches: [string, string | undefined][][] = [];
    let failNext = false;
    const queue = groupCommit(async (rows) => {
      batches.push(rows);
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (failNext) {
        failNext = false;
        throw new Error("connection lost");
      }
    });
    const first = queue.put("a", "1");
    const rest = [queue.put("b", "1"), queue.put("c", "1"), queue.put("b", "2")];
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[["a", "1"]], [["c", "1"], ["b", "2"]]]);

    failNext = true;
    const failed = queue.put("d", "1");
    await expect(failed).rejects.toThrow("connection lost");
    await expect(queue.put("e", "1")).resolves.toBeUndefined();
  });
});
