/**
 * ModelSync into a `postgresql` table (the test run's real PostgreSQL): a new target table
 * (`target.create`), override fields, target filters and an identity go out in the API's shape,
 * come back the way Polytomic answers them (override fields inside `fields`, target filters inside
 * `filters`, `create` never), and a refresh reads them back as declared: no perpetual diff.
 */
import * as crypto from "node:crypto";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";
import { apiCaller } from "./support";

const API_KEY = "model-sync-table-key-123";
const SALT = "model-sync-table-salt-0123456789";
const url = new URL(inject("postgresUrl"));
const schema = `msync_${crypto.randomBytes(4).toString("hex")}`;
let db: Client;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const api = apiCaller(() => emulator.url, API_KEY);
const create = (kind: string, inputs: Record<string, unknown>) => runtime.create(kind, { ...inputs, idempotencySalt: SALT });
let connectionId: string;
let modelId: string;

beforeAll(async () => {
  db = new Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${schema}.people (email text PRIMARY KEY, name text)`);
  await db.query(`INSERT INTO ${schema}.people VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace')`);
  await db.query(`CREATE TABLE ${schema}.target (email text PRIMARY KEY, name text)`);
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
  const configuration = {
    hostname: url.hostname,
    port: Number(url.port),
    database: url.pathname.slice(1),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const connection = await api("POST", "/api/connections", { name: "warehouse", type: "postgresql", configuration });
  expect(connection.status, connection.text).toBe(200);
  connectionId = connection.data.id;
  modelId = (await create("model", { name: "people", connectionId, configuration: { query: `SELECT email, name FROM ${schema}.people` } })).id;
});
afterAll(async () => {
  await emulator?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db?.end();
});

/** Refresh, then the preview of the same declaration: nothing to change. */
async function refreshedWithoutDiff(id: string, outs: Record<string, unknown>, declared: Record<string, unknown>) {
  const refreshed = await runtime.read("modelSync", id, outs);
  expect(await runtime.diff("modelSync", id, refreshed.inputs as Record<string, unknown>, declared)).toEqual({
    changes: false,
    replaces: [],
    deleteBeforeReplace: false,
  });
  return refreshed.inputs as Record<string, unknown>;
}

describe("a sync into a table", () => {
  it("creates its table, answers override fields inside fields, and reads them back split", async () => {
    const declared = {
      name: "people to a new table",
      mode: "replace",
      target: { connectionId, create: { name: `${schema}.made` } },
      fields: [{ target: "email", source: { modelId, field: "email" } }],
      overrideFields: [{ target: "name", overrideValue: "fixed" }],
      encryptionPassphrase: "table-passphrase",
      active: false,
    };
    const sync = await create("modelSync", declared);
    const answered = await api("GET", `/api/syncs/${sync.id}`);
    // Polytomic answers the override fields after the sent ones, without a source (answers.ts `override_fields`).
    expect(answered.data.fields).toEqual([
      { target: "email", source: { model_id: modelId, field: "email" } },
      { target: "name", override_value: "fixed" },
    ]);
    expect(answered.data).not.toHaveProperty("override_fields");
    expect(answered.data.target).not.toHaveProperty("create");
    expect(answered.text).not.toContain("table-passphrase");

    const inputs = await refreshedWithoutDiff(sync.id, sync.outs, declared);
    expect(inputs).toMatchObject({ overrideFields: declared.overrideFields, fields: declared.fields, target: declared.target });

    // Removing the override fields is one update, and the answer then has none.
    const without = { ...declared, overrideFields: undefined };
    expect((await runtime.diff("modelSync", sync.id, inputs, without)).changes).toBe(true);
    await runtime.update("modelSync", sync.id, inputs, without);
    expect((await api("GET", `/api/syncs/${sync.id}`)).data.fields).toHaveLength(1);
    await runtime.remove("modelSync", sync.id, sync.outs);
  });

  it("sends target filters with an identity in mode update, and reads them back as target filters", async () => {
    const declared = {
      name: "update known people",
      mode: "update",
      target: { connectionId, object: `${schema}.target` },
      fields: [{ target: "name", source: { modelId, field: "name" }, syncMode: "update" }],
      identity: { source: { modelId, field: "email" }, target: "email", function: "Equality" },
      filters: [{ source: { modelId, field: "name" }, function: "IsNotNull" }],
      targetFilters: [{ field: "email", function: "IsNotNull", label: "known" }],
      schedule: { frequency: "hourly", minute: "15" },
      active: false,
    };
    const sync = await create("modelSync", declared);
    const answered = (await api("GET", `/api/syncs/${sync.id}`)).data;
    expect(answered.filters).toEqual([
      { field: { model_id: modelId, field: "name" }, field_type: "Model", function: "IsNotNull" },
      { field_id: "email", field_type: "Target", function: "IsNotNull", label: "known" },
    ]);
    const inputs = await refreshedWithoutDiff(sync.id, sync.outs, declared);
    expect(inputs).toMatchObject({ filters: declared.filters, targetFilters: declared.targetFilters, identity: declared.identity });
    await runtime.remove("modelSync", sync.id, sync.outs);
  });
});
