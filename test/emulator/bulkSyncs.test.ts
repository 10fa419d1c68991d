/**
 * Bulk syncs in the emulator, against the test run's real PostgreSQL: the routes in both API
 * versions' forms (2024-02-08 `schedule`, 2025-09-18 `default_schedule` + `additional_schedules`),
 * the answer rules of contract/answers.ts, the refusals, the destination metadata, and a
 * `replicate` run that copies the selected tables and fields between two schemas, with real counts.
 */
import * as crypto from "node:crypto";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answers } from "../../contract";
import type { Emulator } from "../../emulator";
import { bodies, call, eventually, startTestEmulator } from "./support";
import { postgresConnectionSettings } from "../support/postgres";

const url = new URL(inject("postgresUrl"));
const tag = crypto.randomBytes(4).toString("hex");
const src = `bulk_src_${tag}`;
const dst = `bulk_dst_${tag}`;
const settings = postgresConnectionSettings();
const OLD = { "X-Polytomic-Version": "2024-02-08" };

let db: Client;
let emulator: Emulator;
let sourceId: string;
let destinationId: string;

/** A 2025-09-18 create body (the emulator's default version). */
const bulkBody = (extra: Record<string, unknown> = {}) => ({
  name: "warehouse copy",
  source_connection_id: sourceId,
  destination_connection_id: destinationId,
  destination_configuration: { schema: dst },
  mode: "replicate",
  active: true,
  default_schedule: { frequency: "manual" },
  ...extra,
});

const PEOPLE = `${src}.people`;
const EVENTS = `${src}.events`;
const UNUSED = `${src}.unused`;

beforeAll(async () => {
  db = new Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`CREATE SCHEMA ${src}`);
  await db.query(`CREATE TABLE ${src}.people (email text PRIMARY KEY, name varchar(40), visits integer, tags text[], meta jsonb, ssn text, seen_at timestamptz)`);
  await db.query(`INSERT INTO ${src}.people VALUES
    ('ada@example.com', 'Ada', 3, '{math,engines}', '{"lang": "en"}', '111-22-3333', '2024-01-02T03:04:05Z'),
    ('grace@example.com', 'Grace', 5, '{}', '[1, 2]', '444-55-6666', '2024-02-03T04:05:06Z'),
    ('alan@example.com', 'Alan', 0, NULL, NULL, NULL, NULL)`);
  await db.query(`CREATE TABLE ${src}.events (id integer, kind text)`);
  await db.query(`INSERT INTO ${src}.events SELECT g, 'click' FROM generate_series(1, 250) g`);
  await db.query(`CREATE TABLE ${src}.unused (id integer PRIMARY KEY)`);
  emulator = await startTestEmulator();
  const made = [];
  for (const name of ["source", "destination"]) {
    const created = await call(emulator, "POST", "/api/connections", { name, type: "postgresql", configuration: settings });
    expect(created.status, created.text).toBe(200);
    made.push(created.body.data.id as string);
  }
  [sourceId, destinationId] = made;
});

afterAll(async () => {
  await emulator?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${src} CASCADE`);
  await db?.query(`DROP SCHEMA IF EXISTS ${dst} CASCADE`);
  await db?.end();
});

describe("bulk sync routes", () => {
  it("create (2025-09-18) answers what was sent, the rules' defaults, the schedules with ids, and no schemas", async () => {
    const created = await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ schemas: [PEOPLE], additional_schedules: [{ frequency: "daily", hour: "2", schemas: [PEOPLE] }] }));
    expect(created.status, created.text).toBe(200);
    const sync = created.body.data;
    expect(sync).toMatchObject({
      name: "warehouse copy",
      source_connection_id: sourceId,
      destination_connection_id: destinationId,
      destination_configuration: { schema: dst },
      mode: "replicate",
      active: true,
      automatically_add_new_fields: "none",
      automatically_add_new_objects: "none",
      disable_record_timestamps: false,
      policies: [],
      default_schedule: { frequency: "manual" },
    });
    expect(sync.default_schedule.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sync.additional_schedules).toHaveLength(1);
    expect(sync.additional_schedules[0]).toMatchObject({ frequency: "daily", hour: "2", schemas: [PEOPLE] });
    expect(sync.additional_schedules[0].id).toMatch(/^[0-9a-f-]{36}$/);
    // Echoed fields not sent are absent (TF: Optional, not Computed); schemas are served apart.
    for (const absent of ["schemas", "schedule", "data_cutoff_timestamp", "concurrency_limit", "normalize_names"]) expect(sync).not.toHaveProperty(absent);
    expect((await call(emulator, "GET", `/api/bulk/syncs/${sync.id}`)).body.data).toEqual(sync);
  });

  it("lists the source's tables as schemas: the listed one enabled, the others not; fields only on the schema's own answer", async () => {
    const sync = (await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ schemas: [{ id: PEOPLE, tracking_field: "seen_at", fields: [{ id: "email" }, "name"] }] }))).body.data;
    const listed = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/schemas`)).body.data as any[];
    const people = listed.find((s) => s.id === PEOPLE);
    expect(people).toEqual({
      id: PEOPLE,
      enabled: true,
      output_name: `${src}_people`,
      user_output_name: "",
      partition_key: "",
      tracking_field: "seen_at",
      disable_data_cutoff: false,
    });
    expect(listed.find((s) => s.id === EVENTS)).toMatchObject({ enabled: false });
    const one = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/schemas/${PEOPLE}`)).body.data;
    expect(one.filters).toEqual([]);
    expect(one.fields.map((f: any) => [f.id, f.enabled])).toEqual([
      ["email", true], ["name", true], ["visits", false], ["tags", false], ["meta", false], ["ssn", false], ["seen_at", false],
    ]);
    // In every version (Terraform's provider, at 2024-02-08, relies on it).
    const old = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/schemas`, undefined, OLD)).body.data as any[];
    expect(old.find((s) => s.id === PEOPLE)).toEqual(people);
  });

  it("selects every schema when the request names none", async () => {
    const sync = (await call(emulator, "POST", "/api/bulk/syncs", bulkBody())).body.data;
    const listed = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/schemas`)).body.data as any[];
    expect(listed.filter((s) => s.id.startsWith(`${src}.`)).map((s) => [s.id, s.enabled])).toEqual([[EVENTS, true], [PEOPLE, true], [UNUSED, true]]);
  });

  it("2024-02-08 takes and answers `schedule`; its full-replacement PUT keeps the additional schedules it cannot see", async () => {
    const oldBody = { ...bulkBody(), default_schedule: undefined, schedule: { frequency: "daily", hour: "4", minute: "30" } };
    const created = await call(emulator, "POST", "/api/bulk/syncs", oldBody, OLD);
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.schedule).toEqual({ frequency: "daily", hour: "4", minute: "30" });
    expect(created.body.data).not.toHaveProperty("default_schedule");
    expect(created.body.data).not.toHaveProperty("additional_schedules");
    const id = created.body.data.id;
    const added = await call(emulator, "POST", `/api/bulk/syncs/${id}/schedules`, { frequency: "weekly", day_of_week: "monday", resync_mode: "resync" });
    expect(added.status, added.text).toBe(200);
    const put = await call(emulator, "PUT", `/api/bulk/syncs/${id}`, { ...oldBody, active: false }, OLD);
    expect(put.body.data).toMatchObject({ active: false, schedule: { frequency: "daily", hour: "4" } });
    const now = (await call(emulator, "GET", `/api/bulk/syncs/${id}`)).body.data;
    expect(now.default_schedule).toMatchObject({ frequency: "daily", hour: "4", minute: "30" });
    expect(now.additional_schedules).toEqual([added.body.data]);
    // The schedules of a sync, one by one.
    const scheduleUrl = `/api/bulk/syncs/${id}/schedules/${added.body.data.id}`;
    expect((await call(emulator, "PUT", scheduleUrl, { frequency: "hourly" })).body.data).toMatchObject({ id: added.body.data.id, frequency: "hourly" });
    expect((await call(emulator, "GET", `/api/bulk/syncs/${id}/schedules`)).body.data).toHaveLength(1);
    expect((await call(emulator, "DELETE", scheduleUrl)).status).toBe(200);
    expect((await call(emulator, "GET", scheduleUrl)).status).toBe(404);
  });

  it("refuses, naming the field: a schema or field the source lacks, a tracking field that is no column, snapshot into PostgreSQL, the other version's schedule", async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [bulkBody({ schemas: [`${src}.nope`] }), `schemas.0.id: the source connection has no schema "${src}.nope"`],
      [bulkBody({ schemas: [{ id: PEOPLE, fields: ["email", "nope"] }] }), `schemas.0.fields.1.id: "nope" is not a field of schema "${PEOPLE}"`],
      [bulkBody({ schemas: [{ id: PEOPLE, tracking_field: "nope" }] }), `schemas.0.tracking_field: "nope" is not a field of schema "${PEOPLE}"`],
      [bulkBody({ mode: "snapshot" }), 'mode: a postgresql destination does not support mode "snapshot" (it takes replicate)'],
      [{ ...bulkBody(), default_schedule: undefined, schedule: { frequency: "manual" } }, "default_schedule: required (`schedule` is the other API version's name: 2025-09-18 replaced schedule with default_schedule)"],
      [bulkBody({ source_connection_id: "3f1b2c4d-0000-4000-8000-00000000abcd" }), "source_connection_id: connection 3f1b2c4d-0000-4000-8000-00000000abcd not found"],
    ];
    for (const [body, message] of refusals) {
      const refused = await call(emulator, "POST", "/api/bulk/syncs", body);
      expect(refused.status, refused.text).toBe(422);
      expect(refused.body.message).toBe(message);
    }
  });

  it("answers a destination's settings and modes (a PostgreSQL one: schema; replicate only)", async () => {
    const target = await call(emulator, "GET", `/api/connections/${destinationId}/bulksync/target`);
    expect(Object.keys(target.body.data.configuration)).toEqual(["schema"]);
    expect(target.body.data.modes.map((m: any) => m.id)).toEqual(["replicate"]);
  });

  it("makes a connection in use by a bulk sync undeletable without force; force deletes the bulk sync too", async () => {
    const other = (await call(emulator, "POST", "/api/connections", { name: "spare", type: "postgresql", configuration: settings })).body.data.id;
    const sync = (await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ destination_connection_id: other, schemas: [UNUSED] }))).body.data;
    const refused = await call(emulator, "DELETE", `/api/connections/${other}`);
    expect(refused.status).toBe(422);
    expect(refused.body.metadata.used_by).toEqual([{ type: "bulk_sync", name: "warehouse copy", id: sync.id }]);
    expect((await call(emulator, "DELETE", `/api/connections/${other}?force=true`)).status).toBe(200);
    expect((await call(emulator, "GET", `/api/bulk/syncs/${sync.id}`)).status).toBe(404);
  });

  it("every rule of the bulk sync and its schemas has a source", () => {
    for (const object of ["bulkSync", "bulkSchema"] as const) {
      for (const [field, rule] of Object.entries(answers.ANSWER_RULES[object])) expect(rule.source.length, `${object}.${field}`).toBeGreaterThan(20);
    }
  });
});

/** Starts a run of the bulk sync and waits for its end. */
async function runOf(syncId: string) {
  const started = await call(emulator, "POST", `/api/bulk/syncs/${syncId}/executions`, {});
  expect(started.status, started.text).toBe(200);
  return eventually(async () => {
    const execution = (await call(emulator, "GET", `/api/bulk/syncs/${syncId}/executions/${started.body.data.id}`)).body.data;
    return ["completed", "failed", "errors"].includes(execution.status) ? execution : undefined;
  }, 20_000, "the bulk sync's run");
}

describe("a replicate run between two schemas", () => {
  let syncId: string;

  const run = async () => {
    const started = await call(emulator, "POST", `/api/bulk/syncs/${syncId}/executions`, {});
    expect(started.status, started.text).toBe(200);
    return eventually(async () => {
      const execution = (await call(emulator, "GET", `/api/bulk/syncs/${syncId}/executions/${started.body.data.id}`)).body.data;
      return ["completed", "failed", "errors"].includes(execution.status) ? execution : undefined;
    }, 20_000, "the bulk sync's run");
  };

  beforeAll(async () => {
    const created = await call(
      emulator,
      "POST",
      "/api/bulk/syncs",
      bulkBody({
        schemas: [
          {
            id: PEOPLE,
            fields: [{ id: "email" }, { id: "name" }, { id: "visits" }, { id: "tags" }, { id: "meta" }, { id: "seen_at" }, { id: "ssn", obfuscate: true }],
            filters: [{ field_id: "visits", function: "GreaterThanEqual", value: 1 }],
          },
          EVENTS,
        ],
      }),
    );
    expect(created.status, created.text).toBe(200);
    syncId = created.body.data.id;
  });

  it("copies the enabled tables and fields for real, and reports the rows written", async () => {
    const execution = await run();
    expect(execution).toMatchObject({ status: "completed", record_count: 252, error_count: 0 });
    expect(execution.schemas.map((s: any) => [s.schema, s.output_name, s.record_count, s.status])).toEqual([
      [EVENTS, `${src}_events`, 250, "completed"],
      [PEOPLE, `${src}_people`, 2, "completed"],
    ]);
    const people = await db.query(`SELECT email, name, visits, tags, meta, ssn, seen_at FROM ${dst}.${src}_people ORDER BY email`);
    const ssn = crypto.createHash("sha256").update("111-22-3333").digest("hex");
    expect(people.rows).toEqual([
      { email: "ada@example.com", name: "Ada", visits: 3, tags: ["math", "engines"], meta: { lang: "en" }, ssn, seen_at: new Date("2024-01-02T03:04:05Z") },
      expect.objectContaining({ email: "grace@example.com", tags: [], meta: [1, 2] }),
    ]);
    // The same column types as the source (obfuscated values as text), its primary key.
    const types = await db.query(
      `SELECT column_name, data_type, character_maximum_length FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [dst, `${src}_people`],
    );
    expect(types.rows.map((r) => [r.column_name, r.data_type])).toEqual([
      ["email", "text"], ["name", "character varying"], ["visits", "integer"], ["tags", "ARRAY"], ["meta", "jsonb"], ["ssn", "text"], ["seen_at", "timestamp with time zone"],
    ]);
    expect(types.rows[1].character_maximum_length).toBe(40);
    expect((await db.query(`SELECT count(*)::int AS n FROM ${dst}.${src}_events`)).rows[0].n).toBe(250);
    const status = (await call(emulator, "GET", `/api/bulk/syncs/${syncId}/status`)).body.data;
    expect(status).toMatchObject({ current_execution: null, last_execution: { id: execution.id, status: "completed", record_count: 252 } });
    // Its events: running, then completed (docs /guides/events), naming the sync and its connections.
    const events = (await call(emulator, "GET", "/api/events?limit=100")).body.data.filter((e: any) => e.event.execution_id === execution.id);
    expect(events.map((e: any) => e.type).sort()).toEqual(["bulk_sync.completed", "bulk_sync.running"]);
    expect(events[0].event).toMatchObject({ sync_id: syncId, name: "warehouse copy", source_connection_id: sourceId, destination_connection_id: destinationId });
  });

  it("a later run leaves the destination equal to the source: rows changed and deleted there show", async () => {
    await db.query(`UPDATE ${src}.people SET name = 'Ada L.' WHERE email = 'ada@example.com'`);
    await db.query(`DELETE FROM ${src}.events WHERE id > 200`);
    const execution = await run();
    expect(execution).toMatchObject({ status: "completed", record_count: 202 });
    expect((await db.query(`SELECT name FROM ${dst}.${src}_people WHERE email = 'ada@example.com'`)).rows).toEqual([{ name: "Ada L." }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM ${dst}.${src}_events`)).rows[0].n).toBe(200);
    const listed = (await call(emulator, "GET", `/api/bulk/syncs/${syncId}/executions`)).body.data;
    expect(listed.map((e: any) => e.record_count)).toEqual([202, 252]);
  });

  it("a filter function the emulator does not apply fails that schema's run, naming it; the others still run", async () => {
    const put = await call(
      emulator,
      "PUT",
      `/api/bulk/syncs/${syncId}`,
      bulkBody({ schemas: [{ id: PEOPLE, filters: [{ field_id: "name", function: "StringMatchesTrimmed", value: "x" }] }, EVENTS] }),
    );
    expect(put.status, put.text).toBe(200);
    const execution = await run();
    expect(execution.status).toBe("errors");
    expect(execution.record_count).toBe(200);
    expect(execution.schemas.find((s: any) => s.schema === PEOPLE).status_message).toMatch(/^filter StringMatchesTrimmed on name: not applied by the emulator/);
  });

  it("a bulk sync between types without a data path fails its run saying so; a type that cannot take part is refused", async () => {
    const hook = await call(emulator, "POST", "/api/connections", { name: "hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/x" } });
    const refused = await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ destination_connection_id: hook.body.data.id }));
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe("destination_connection_id: a webhook connection cannot be a bulk sync's destination");
    const bucket = await call(emulator, "POST", "/api/connections", bodies.gcsConnection());
    const sync = await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ destination_connection_id: bucket.body.data.id, schemas: [UNUSED] }));
    expect(sync.status, sync.text).toBe(200);
    syncId = sync.body.data.id;
    const execution = await run();
    expect(execution).toMatchObject({ status: "failed", record_count: 0 });
    expect(execution.status_message).toMatch(/runs bulk syncs between postgresql connections only \(this one: postgresql to gcs\); no data was moved/);
    const failed = (await call(emulator, "GET", "/api/events?type=bulk_sync.failed&limit=100")).body.data.find((e: any) => e.event.execution_id === execution.id);
    expect(failed.event.error).toBe(execution.status_message);
  });
});

describe("what appears at the source after the sync was saved", () => {
  it("new fields join as automatically_add_new_fields says (all: copied); new tables are known, not enabled, under none", async () => {
    const sync = (await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ schemas: [UNUSED], automatically_add_new_fields: "all" }))).body.data;
    await db.query(`ALTER TABLE ${UNUSED} ADD COLUMN note text`);
    await db.query(`INSERT INTO ${UNUSED} VALUES (1, 'first'), (2, NULL)`);
    await db.query(`CREATE TABLE ${src}.late (id integer)`);
    const execution = await runOf(sync.id);
    expect(execution).toMatchObject({ status: "completed", record_count: 2 });
    expect((await db.query(`SELECT id, note FROM ${dst}.${src}_unused ORDER BY id`)).rows).toEqual([{ id: 1, note: "first" }, { id: 2, note: null }]);
    const listed = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/schemas`)).body.data as any[];
    expect(listed.find((s) => s.id === `${src}.late`)).toMatchObject({ enabled: false });
    const unused = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/schemas/${UNUSED}`)).body.data;
    expect(unused.fields.map((f: any) => [f.id, f.enabled])).toEqual([["id", true], ["note", true]]);
  });
});

describe("cancelling a run", () => {
  it("stops after the table being copied: canceling, then canceled, no other table copied, bulk_sync.canceled", async () => {
    const sync = (await call(emulator, "POST", "/api/bulk/syncs", bulkBody({ schemas: [EVENTS, PEOPLE] }))).body.data;
    // The first table's copy waits on a lock held here, so the cancel lands while it runs.
    const holder = new Client({ connectionString: url.toString() });
    await holder.connect();
    await holder.query(`CREATE SCHEMA IF NOT EXISTS ${dst}`);
    await holder.query(`CREATE TABLE IF NOT EXISTS ${dst}.${src}_events (id integer, kind text)`);
    await holder.query("BEGIN");
    await holder.query(`LOCK TABLE ${dst}.${src}_events IN ACCESS EXCLUSIVE MODE`);
    try {
      const started = (await call(emulator, "POST", `/api/bulk/syncs/${sync.id}/executions`, {})).body.data;
      await eventually(async () => {
        const waiting = await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1", [`%${src}_events%`]);
        return waiting.rows[0].n > 0 ? true : undefined;
      }, 10_000, "the copy to wait on the lock");
      const canceled = await call(emulator, "POST", `/api/bulk/syncs/${sync.id}/executions/${started.id}/cancel`);
      expect(canceled.status, canceled.text).toBe(200);
      expect((await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/executions/${started.id}`)).body.data.status).toBe("canceling");
      await holder.query("COMMIT");
      const ended = await eventually(async () => {
        const execution = (await call(emulator, "GET", `/api/bulk/syncs/${sync.id}/executions/${started.id}`)).body.data;
        return execution.status === "canceled" ? execution : undefined;
      });
      expect(ended.schemas.map((s: any) => s.schema)).toEqual([EVENTS]);
      const events = (await call(emulator, "GET", "/api/events?type=bulk_sync.canceled&limit=100")).body.data;
      expect(events.map((e: any) => e.event.execution_id)).toContain(started.id);
      // Nothing runs any more: a cancel names what it did not find.
      const nothing = await call(emulator, "POST", `/api/bulk/syncs/${sync.id}/cancel`);
      expect(nothing.status).toBe(404);
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
    }
  });
});
