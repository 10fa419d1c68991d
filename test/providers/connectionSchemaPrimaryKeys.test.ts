/**
 * The ConnectionSchemaPrimaryKeys kind and the getConnectionSchema lookup against the emulator and
 * the test run's PostgreSQL: check at preview, create, diff (a set: order is no change), drift by
 * refresh, update, delete back to the table's own key; adoption by id.
 */
import * as crypto from "node:crypto";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator } from "../../emulator";
import { getConnectionSchema } from "../../providers/getConnectionSchema";
import * as runtime from "../../providers/runtime";
import { UNKNOWN } from "../../providers/runtime/shape";

const API_KEY = "primary-keys-test-key-123";
const SALT = "primary-keys-test-salt-0123456789ab";
const KIND = "connectionSchemaPrimaryKeys";
const url = new URL(inject("postgresUrl"));
const schema = `pk_${crypto.randomBytes(4).toString("hex")}`;
const table = `${schema}.accounts`;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let db: Client;
let connectionId = "";
const create = (kind: string, inputs: Record<string, unknown>) => runtime.create(kind, { ...inputs, idempotencySalt: SALT });
const keysOf = async () => {
  const res = await fetch(`${emulator.url}/api/connections/${connectionId}/schemas/${table}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
  const body = (await res.json()) as { data: { fields: { id: string; is_primary_key: boolean }[] } };
  return body.data.fields.filter((f) => f.is_primary_key).map((f) => f.id);
};
const inputs = (fieldIds: unknown, extra: Record<string, unknown> = {}) => ({ connectionId, schemaId: table, fieldIds, ...extra });

beforeAll(async () => {
  db = new Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, email text, region text)`);
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
  const connection = await create("connection", {
    name: "warehouse",
    type: "postgresql",
    configuration: { hostname: url.hostname, port: Number(url.port), database: url.pathname.slice(1), username: decodeURIComponent(url.username) },
    sensitiveConfiguration: { password: decodeURIComponent(url.password) },
  });
  connectionId = connection.id;
});
afterAll(async () => {
  await emulator?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db?.end();
});

describe("ConnectionSchemaPrimaryKeys", () => {
  it("check names the field of bad input at preview", async () => {
    const failures = async (news: Record<string, unknown>) => (await runtime.check(KIND, {}, news)).failures?.map((f) => f.property);
    expect(await failures(inputs([]))).toEqual(["fieldIds"]);
    expect(await failures(inputs(["email", "email"]))).toEqual(["fieldIds"]);
    expect(await failures(inputs(["email"], { schemaId: "" }))).toEqual(["schemaId"]);
    expect(await failures(inputs(["email"], { adoptId: "someone/else" }))).toEqual(["adoptId"]);
    expect(await failures(inputs(["email"]))).toEqual([]);
  });

  let created: Awaited<ReturnType<typeof runtime.create>>;
  it("create sets the override; the id is <connectionId>/<schemaId>", async () => {
    created = await create(KIND, inputs(["email", "region"]));
    expect(created.id).toBe(`${connectionId}/${table}`);
    expect(created.outs).toMatchObject({ fieldIds: ["email", "region"], fieldNames: ["email", "region"] });
    expect(await keysOf()).toEqual(["email", "region"]);
  });

  it("diff: another order is the same set; other fields update in place; another schema replaces", async () => {
    const olds = created.outs;
    expect(await runtime.diff(KIND, created.id, olds, inputs(["region", "email"]))).toMatchObject({ changes: false });
    expect(await runtime.diff(KIND, created.id, olds, inputs(["email"]))).toMatchObject({ changes: true, replaces: [] });
    expect(await runtime.diff(KIND, created.id, olds, inputs([UNKNOWN]))).toMatchObject({ changes: true, replaces: [] });
    expect(await runtime.diff(KIND, created.id, olds, inputs(["email"], { schemaId: `${schema}.other` }))).toMatchObject({ replaces: ["schemaId"] });
  });

  it("refresh keeps the declared order of the same set, and shows a reset made elsewhere as drift", async () => {
    const reordered = await runtime.read(KIND, created.id, { ...created.outs, fieldIds: ["region", "email"] });
    expect(reordered.inputs?.fieldIds).toEqual(["region", "email"]);
    await fetch(`${emulator.url}/api/connections/${connectionId}/schemas/${table}/primary_keys`, { method: "DELETE", headers: { Authorization: `Bearer ${API_KEY}` } });
    const drifted = await runtime.read(KIND, created.id, created.outs);
    expect(drifted.inputs?.fieldIds).toEqual(["id"]);
  });

  it("update puts the declared set back", async () => {
    const updated = await runtime.update(KIND, created.id, created.outs, inputs(["email"]));
    expect(updated.outs).toMatchObject({ fieldIds: ["email"], fieldNames: ["email"] });
    expect(await keysOf()).toEqual(["email"]);
  });

  it("adopting by id converges the existing override", async () => {
    const adopted = await create(KIND, inputs(["region"], { adoptId: `${connectionId}/${table}` }));
    expect(adopted.id).toBe(`${connectionId}/${table}`);
    expect(await keysOf()).toEqual(["region"]);
  });

  it("delete reverts to the table's own key, and succeeds when the connection is gone", async () => {
    await runtime.remove(KIND, created.id, created.outs);
    expect(await keysOf()).toEqual(["id"]);
    await runtime.remove(KIND, `${crypto.randomUUID()}/${table}`, created.outs);
  });

  it("a read of a schema that is gone says it is gone (no id)", async () => {
    const gone = await runtime.read(KIND, `${connectionId}/${schema}.dropped`, created.outs);
    expect(gone.id).toBeUndefined();
  });
});

describe("a postgresql Connection", () => {
  it("check asks for the password in sensitiveConfiguration, naming the field", async () => {
    const checked = await runtime.check("connection", {}, {
      name: "warehouse",
      type: "postgresql",
      configuration: { hostname: "db", port: 5432, database: "crm", username: "u", password: "in-clear" },
    });
    expect(checked.failures).toEqual([
      {
        property: "configuration.password",
        reason: expect.stringMatching(/^is a secret: move it to sensitiveConfiguration\.password .*PostgresqlConnection/),
      },
    ]);
    expect(JSON.stringify(checked.failures)).not.toContain("in-clear");
  });
});

describe("getConnectionSchema", () => {
  it("reads the table's fields, types and primary key", async () => {
    process.env.POLYTOMIC_URL = emulator.url;
    process.env.POLYTOMIC_API_KEY = API_KEY;
    const found = await getConnectionSchema({ connectionId, schemaId: table });
    expect(found).toEqual({
      connectionId,
      schemaId: table,
      name: table,
      fields: [
        { id: "id", name: "id", type: "number", remoteType: "integer", isPrimaryKey: true },
        { id: "email", name: "email", type: "string", remoteType: "text", isPrimaryKey: false },
        { id: "region", name: "region", type: "string", remoteType: "text", isPrimaryKey: false },
      ],
      primaryKeyFieldIds: ["id"],
    });
    await expect(getConnectionSchema({ connectionId, schemaId: `${schema}.nope` })).rejects.toThrow(
      `getConnectionSchema: connection ${connectionId} has no schema "${schema}.nope" (check connectionId and schemaId; a database table is schema.table)`,
    );
  });
});
