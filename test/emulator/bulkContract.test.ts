/**
 * Polytomic's own npm SDK (1.18.1, API 2024-02-08 shapes) drives the emulator's bulk syncs from
 * two `postgresql` connections: create with `schedule`, get, list, the schemas, update, activate,
 * a run with its status and executions, a connection's bulk-sync source and destination, delete.
 */
import * as crypto from "node:crypto";
import { Client } from "pg";
import { PolytomicClient } from "polytomic";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_API_KEY, type Emulator } from "../../emulator";
import { postgresConnectionSettings } from "../support/postgres";
import { eventually, startTestEmulator } from "./support";

const schema = `bulk_sdk_${crypto.randomBytes(4).toString("hex")}`;
const TABLE = `${schema}.items`;
const options = { maxRetries: 0 };
let emulator: Emulator;
let client: PolytomicClient;
let db: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = new Client({ connectionString: inject("postgresUrl") });
  await db.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${TABLE} (id integer PRIMARY KEY, label text)`);
  await db.query(`INSERT INTO ${TABLE} SELECT g, 'item ' || g FROM generate_series(1, 7) g`);
  emulator = await startTestEmulator({ answerForm: "sdk" });
  client = new PolytomicClient({ token: DEFAULT_API_KEY, environment: emulator.url, version: "2024-02-08" });
  for (const name of ["source", "destination"]) {
    const made = await client.connections.create({ name, type: "postgresql", configuration: postgresConnectionSettings() }, options);
    ids[name] = made.data?.id as string;
  }
});
afterAll(async () => {
  await emulator?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db?.query(`DROP SCHEMA IF EXISTS ${schema}_out CASCADE`);
  await db?.end();
});

describe("polytomic SDK: bulk syncs", () => {
  it("creates, reads and lists a bulk sync, and its schemas", async () => {
    const created = await client.bulkSync.create(
      {
        name: "sdk bulk",
        source_connection_id: ids.source,
        destination_connection_id: ids.destination,
        destination_configuration: { schema: `${schema}_out` },
        mode: "replicate",
        active: true,
        schedule: { frequency: "manual" },
        schemas: [{ id: TABLE, enabled: true }],
      },
      options,
    );
    ids.sync = created.data?.id as string;
    expect(created.data).toMatchObject({ name: "sdk bulk", mode: "replicate", schedule: { frequency: "manual" }, automatically_add_new_objects: "none" });
    expect((await client.bulkSync.get(ids.sync, {}, options)).data?.name).toBe("sdk bulk");
    expect((await client.bulkSync.list({}, options)).data?.map((s) => s.id)).toContain(ids.sync);
    const schemas = await client.bulkSync.schemas.list(ids.sync, {}, options);
    expect(schemas.data?.find((s) => s.id === TABLE)).toMatchObject({ enabled: true, output_name: `${schema}_items` });
    const one = await client.bulkSync.schemas.get(ids.sync, TABLE, options);
    expect(one.data?.fields?.map((f) => f.id)).toEqual(["id", "label"]);
    const updated = await client.bulkSync.schemas.update(ids.sync, TABLE, { enabled: true, fields: [{ id: "id" }, { id: "label", enabled: false }] } as never, options);
    expect(updated.data?.fields?.map((f) => [f.id, f.enabled])).toEqual([["id", true], ["label", false]]);
  });

  it("updates and activates", async () => {
    const updated = await client.bulkSync.update(
      ids.sync,
      {
        name: "sdk bulk renamed",
        source_connection_id: ids.source,
        destination_connection_id: ids.destination,
        destination_configuration: { schema: `${schema}_out` },
        active: true,
        schedule: { frequency: "daily", hour: "3" },
        schemas: [{ id: TABLE }],
      },
      options,
    );
    expect(updated.data).toMatchObject({ name: "sdk bulk renamed", schedule: { frequency: "daily", hour: "3" } });
    const paused = await client.bulkSync.activate(ids.sync, { active: false }, options);
    expect(paused.data).toMatchObject({ id: ids.sync, active: false });
  });

  it("runs: start, executions, status; the rows are in the destination", async () => {
    const started = await client.bulkSync.start(ids.sync, {}, options);
    const executionId = started.data?.id as string;
    const done = await eventually(async () => {
      const execution = (await client.bulkSync.executions.get(ids.sync, executionId, options)).data;
      return execution?.status === "completed" ? execution : undefined;
    });
    expect(done.record_count).toBe(7);
    expect((await client.bulkSync.executions.list(ids.sync, {}, options)).data?.map((e) => e.id)).toEqual([executionId]);
    expect((await client.bulkSync.getStatus(ids.sync, options)).data?.last_execution?.id).toBe(executionId);
    expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}_out.${schema}_items`)).rows[0].n).toBe(7);
  });

  it("a connection's bulk-sync source and destination", async () => {
    const source = await client.bulkSync.getSource(ids.source, { include_fields: true }, options);
    expect(source.data?.schemas?.find((s) => s.id === TABLE)?.fields?.map((f) => f.id)).toEqual(["id", "label"]);
    const destination = await client.bulkSync.getDestination(ids.destination, options);
    expect(destination.data?.modes?.map((m) => m.id)).toEqual(["replicate"]);
  });

  it("deletes", async () => {
    await client.bulkSync.remove(ids.sync, {}, options);
    await expect(client.bulkSync.get(ids.sync, {}, options)).rejects.toMatchObject({ statusCode: 404 });
  });
});
