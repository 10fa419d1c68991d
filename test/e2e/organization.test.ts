/**
 * examples/organization with the real engine against the emulator, the test run's PostgreSQL and a
 * receiver: a PostgreSQL source, a model over a SQL query, a sync of it to a webhook and one into a
 * table of another schema, a bulk sync copying the source schema's table into that schema, a role,
 * a policy and error subscribers. `up`; both syncs run and deliver exactly the query's rows, the
 * bulk sync's run copies every row; a no-op preview makes one request; an edit is one update; `pulumi
 * stack export` holds no password; `destroy` leaves the organization empty.
 */
import { execFile, execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runSyncToCompletion } from "../../cli/sync/runner";
import { createClient } from "../../client";
import { bulkSyncs } from "../../contract";
import { startEmulator } from "../../emulator";
import { startReceiver } from "../../receiver";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import type { OpenedStack } from "../../scripts/lib/stack";
import { stepRecorder } from "./events";
import { openExample } from "./example";
import { waitUntil } from "./wait";

const API_KEY = "organization-e2e-key-0123456789";

/** The application's customers; the model's query selects the active ones. */
const CUSTOMERS = [
  { id: 1, email: "ada@example.com", name: "Ada", plan: "team", seats: 12, active: true },
  { id: 2, email: "grace@example.com", name: "Grace", plan: "enterprise", seats: 250, active: true },
  { id: 3, email: "alan@example.com", name: "Alan", plan: "free", seats: 1, active: false },
  { id: 4, email: "edsger@example.com", name: "Edsger", plan: "team", seats: 8, active: true },
];
const ACTIVE = CUSTOMERS.filter((c) => c.active).map(({ email, name, plan, seats }) => ({ email, name, plan, seats }));
const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);

describe("examples/organization: a customer's organization as code, on a real PostgreSQL", () => {
  const pg = new URL(inject("postgresUrl"));
  const password = decodeURIComponent(pg.password);
  const suffix = crypto.randomBytes(4).toString("hex");
  const sourceSchema = `app_${suffix}`;
  const warehouseSchema = `analytics_${suffix}`;
  let db: Client;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const delivered: Record<string, unknown>[] = [];
  const recordsSecret = { value: "" };
  let dir: string;
  let opened: OpenedStack;
  const recorder = stepRecorder();
  const client = () => createClient({ baseUrl: emulator.url, apiKey: API_KEY });

  beforeAll(async () => {
    db = new Client({ connectionString: pg.toString() });
    await db.connect();
    await db.query(`CREATE SCHEMA ${sourceSchema}`);
    await db.query(`CREATE TABLE ${sourceSchema}.customers (id integer PRIMARY KEY, email text NOT NULL, name text, plan text, seats integer, active boolean)`);
    for (const c of CUSTOMERS) {
      await db.query(`INSERT INTO ${sourceSchema}.customers VALUES ($1, $2, $3, $4, $5, $6)`, [c.id, c.email, c.name, c.plan, c.seats, c.active]);
    }
    // The warehouse's schema, empty: the table sync and the bulk sync make their tables.
    await db.query(`CREATE SCHEMA ${warehouseSchema}`);

    emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
    receiver = await startReceiver({
      port: 0,
      recordsSecret: () => recordsSecret.value,
      onRecords: (batch) => {
        delivered.push(...batch.records.map((r) => r.fields as Record<string, unknown>));
      },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-organization-"));
    ({ opened } = await openExample("organization", dir, "org", "organization"));
    await opened.stack.setAllConfig(
      {
        "polytomic:url": { value: emulator.url },
        "polytomic:apiKey": { value: API_KEY, secret: true },
        dbHost: { value: pg.hostname },
        dbPort: { value: pg.port },
        dbName: { value: pg.pathname.slice(1) },
        dbUser: { value: decodeURIComponent(pg.username) },
        dbPassword: { value: password, secret: true },
        sourceSchema: { value: sourceSchema },
        warehouseSchema: { value: warehouseSchema },
        webhookUrl: { value: receiver.recordsUrl },
        "errorEmails[0]": { value: "oncall@example.com" },
        "errorEmails[1]": { value: "data-team@example.com" },
      },
      true,
    );
  }, 300_000);

  afterAll(async () => {
    await receiver?.stop();
    await emulator?.stop();
    await db?.query(`DROP SCHEMA IF EXISTS ${sourceSchema} CASCADE`);
    await db?.query(`DROP SCHEMA IF EXISTS ${warehouseSchema} CASCADE`);
    await db?.end();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a sync and follows its run to its end, as `polytomic-sync` does. */
  const run = (syncId: string) => runSyncToCompletion({ client: client(), syncId, log: () => undefined, pollIntervalMs: 100, timeoutMs: 30_000 });

  it("up creates the organization's objects: the model's fields are the query's columns", async () => {
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.databaseStatus.value).toBe("healthy");
    expect(up.outputs.modelFields.value).toEqual(["email", "name", "plan", "seats"]);
    expect((await client().connections.list()).map((c) => c.type.id).sort()).toEqual(["postgresql", "postgresql", "webhook"]);
    expect(await client().models.list()).toHaveLength(1);
    expect((await client().syncs.list()).map((s) => s.name).sort()).toEqual(["Active customers to the warehouse", "Active customers to the webhook"]);
    const [role] = (await client().roles.list()).filter((r) => !r.system);
    expect(role.name).toBe("Data team");
    const [policy] = await client().policies.list();
    expect(policy.policy_actions?.map((a) => [a.action, a.role_ids])).toEqual([
      ["read", [role.id]],
      ["run", [role.id]],
      ["edit", [role.id]],
    ]);
    // The policy governs the pipeline's objects.
    const sync = await client().syncs.get(String(up.outputs.tableSyncId.value));
    expect(sync.policies).toEqual([policy.id]);
    expect((await client().globalErrorSubscribers.get()).emails).toEqual(["oncall@example.com", "data-team@example.com"]);
    const [bulk] = await client().bulkSyncs.list();
    expect(bulk).toMatchObject({ name: "App database to the warehouse", mode: "replicate", policies: [policy.id] });
    expect(up.outputs.syncs.value).toEqual({ webhook: up.outputs.webhookSyncId.value, warehouse: up.outputs.tableSyncId.value });
    expect(up.outputs.bulkOutputNames.value).toEqual({ [`${sourceSchema}.customers`]: "customers" });
  });

  it("the webhook sync, run by name with polytomic-sync as README.md says, delivers exactly the query's rows", async () => {
    const outputs = await opened.stack.outputs();
    expect(outputs.webhookSecret.secret).toBe(true);
    recordsSecret.value = String(outputs.webhookSecret.value);
    // In the program's folder, the API and the sync's id from the stack, as a user runs it.
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "bin", "polytomic-sync.js"), "webhook", "--stack", "org"], {
      cwd: opened.stack.workspace.workDir,
      env: opened.env,
    });
    expect(stdout).toMatch(new RegExp(`completed in [0-9.]+ s: ${ACTIVE.length} records, 0 errors`));
    const [execution] = await client().syncs.executions(String(outputs.webhookSyncId.value));
    expect(execution).toMatchObject({ status: "completed", counts: { total: ACTIVE.length, error: 0 } });
    expect([...delivered].sort((a, b) => byEmail(a as { email: string }, b as { email: string }))).toEqual([...ACTIVE].sort(byEmail));
    expect(receiver.summary()).toMatchObject({ records: ACTIVE.length, duplicateRecords: 0, rejected: {} });
  });

  it("the table sync writes exactly the query's rows into the warehouse schema", async () => {
    const outputs = await opened.stack.outputs();
    const execution = await run(String(outputs.tableSyncId.value));
    expect({ status: execution.status, errors: execution.errors ?? [] }).toEqual({ status: "completed", errors: [] });
    expect(execution.counts).toMatchObject({ total: ACTIVE.length, insert: ACTIVE.length, error: 0 });
    // The table the sync made: email its primary key, seats a number column (read back as an integer).
    const key = await db.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '${warehouseSchema}.active_customers'::regclass AND i.indisprimary`,
    );
    expect(key.rows.map((r) => r.attname)).toEqual(["email"]);
    const rows = await db.query(`SELECT email, name, plan, seats::integer AS seats FROM ${warehouseSchema}.active_customers ORDER BY email`);
    expect(rows.rows).toEqual([...ACTIVE].sort(byEmail));
  });

  it("the bulk sync copies every row of the source table into the warehouse schema", async () => {
    const outputs = await opened.stack.outputs();
    const bulkSyncId = String(outputs.bulkSyncId.value);
    const started = await client().bulkSyncs.start(bulkSyncId);
    let execution = await client().bulkSyncs.execution(bulkSyncId, started.id);
    await waitUntil(async () => {
      execution = await client().bulkSyncs.execution(bulkSyncId, started.id);
      return bulkSyncs.TERMINAL_BULK_STATUSES.includes(execution.status);
    }, "the bulk sync's run to end");
    expect(execution).toMatchObject({ status: "completed", record_count: CUSTOMERS.length, error_count: 0 });
    const rows = await db.query(`SELECT id, email, name, plan, seats, active FROM ${warehouseSchema}.customers ORDER BY id`);
    expect(rows.rows).toEqual(CUSTOMERS);
  });

  it("a preview with no change makes exactly one request, the credential check", async () => {
    emulator.resetStats();
    recorder.reset();
    const preview = await opened.stack.preview({ onEvent: recorder.onEvent });
    expect(recorder.changed()).toEqual([]);
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
    expect(emulator.stats().total).toBe(1);
    expect(Object.keys(emulator.stats().routes)).toEqual(["GET /api/me"]);
  });

  it("an edit (the webhook's batch size) is exactly one update: one PUT of that sync", async () => {
    await opened.stack.setConfig("webhookBatchSize", { value: "25" });
    emulator.resetStats();
    recorder.reset();
    const up = await opened.stack.up({ onEvent: recorder.onEvent });
    expect(up.summary.result).toBe("succeeded");
    expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual(["update ModelSync customers-to-webhook"]);
    const writes = Object.entries(emulator.stats().routes).filter(([route]) => !route.startsWith("GET "));
    expect(writes).toEqual([["PUT /api/syncs/{id}", 1]]);
    expect((await client().syncs.get(String(up.outputs.webhookSyncId.value))).target.configuration?.batch_size).toBe(25);
  });

  it("pulumi stack export holds no password and no webhook secret", async () => {
    // `pulumi stack export` as a user runs it: the Automation API's exportStack shows secrets.
    const exported = execFileSync(path.join(opened.binDir, "pulumi"), ["stack", "export", "--stack", "org"], {
      cwd: opened.stack.workspace.workDir,
      env: opened.env,
      encoding: "utf8",
    });
    expect(exported).toContain("customers-to-warehouse");
    expect(exported).not.toContain(password);
    expect(recordsSecret.value.length).toBeGreaterThan(0);
    expect(exported).not.toContain(recordsSecret.value);
    expect(exported).not.toContain(API_KEY);
  });

  it("destroy leaves the organization empty", async () => {
    const destroy = await opened.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await client().connections.list()).toEqual([]);
    expect(await client().models.list()).toEqual([]);
    expect(await client().syncs.list()).toEqual([]);
    expect(await client().bulkSyncs.list()).toEqual([]);
    expect((await client().roles.list()).filter((r) => !r.system)).toEqual([]);
    expect(await client().policies.list()).toEqual([]);
    expect((await client().globalErrorSubscribers.get()).emails).toEqual([]);
  });
});
