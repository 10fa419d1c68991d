/**
 * The BulkSync kind and the bulk lookups against the in-process emulator and the test run's
 * PostgreSQL: check (the field named), diff (update or replacement), create/read/update/delete
 * with their request counts, drift by refresh, adoption by id, a create retried under its
 * Idempotency-Key, and getBulkSource / getBulkDestination (and their Output forms).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Client } from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { startEmulator } from "../../emulator";
import { getBulkDestination, getBulkDestinationOutput, getBulkSource, getBulkSourceOutput } from "../../providers";
import * as runtime from "../../providers/runtime";
import { postgresConnectionSettings } from "../support/postgres";
import { UNKNOWN } from "../../providers/runtime/shape";
import { stackNotes } from "../../providers/runtime/stackNotes";

const API_KEY = "bulk-providers-test-key-123";
const SALT = "bulk-test-salt-0123456789abcdef";
const url = new URL(inject("postgresUrl"));
const src = `bulkp_${crypto.randomBytes(4).toString("hex")}`;
const TABLE = `${src}.orders`;
const settings = postgresConnectionSettings();

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let db: Client;
let sourceId: string;
let destinationId: string;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(emulator.url + path, {
    method,
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text).data : undefined };
};
const routeCount = (route: string) => emulator.stats().routes[route] ?? 0;
const create = (inputs: Record<string, unknown>, salt = SALT) => runtime.create("bulkSync", { ...inputs, idempotencySalt: salt });

const inputs = (extra: Record<string, unknown> = {}) => ({
  name: "orders to warehouse",
  source: { connectionId: sourceId },
  destination: { connectionId: destinationId, configuration: { schema: `${src}_copy` } },
  schemas: { [TABLE]: { trackingField: "updated_at", fields: { id: {}, total: {}, updated_at: {} } } },
  ...extra,
});

beforeAll(async () => {
  db = new Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`CREATE SCHEMA ${src}`);
  await db.query(`CREATE TABLE ${TABLE} (id integer PRIMARY KEY, total numeric(10,2), note text, updated_at timestamptz)`);
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  process.env.POLYTOMIC_URL = emulator.url;
  process.env.POLYTOMIC_API_KEY = API_KEY;
  await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
  await runtime.check("bulkSync", {}, { name: "warm-up" });
  const ids = [];
  for (const name of ["pg source", "pg destination"]) ids.push((await api("POST", "/api/connections", { name, type: "postgresql", configuration: settings })).data.id);
  [sourceId, destinationId] = ids;
});
afterAll(async () => {
  await emulator?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${src} CASCADE`);
  await db?.end();
  delete process.env.POLYTOMIC_URL;
  delete process.env.POLYTOMIC_API_KEY;
});
beforeEach(() => emulator.resetStats());

describe("check", () => {
  const failures = async (news: Record<string, unknown>) => (await runtime.check("bulkSync", {}, news)).failures ?? [];

  it("accepts good inputs and values not known yet, without a request", async () => {
    expect(await failures({ ...inputs(), source: { connectionId: UNKNOWN }, additionalSchedules: [{ frequency: "daily", hour: "3", schemas: [TABLE] }] })).toEqual([]);
    expect(emulator.stats().total).toBe(0);
  });

  it("names the field of each kind of bad input", async () => {
    const found = await failures({
      ...inputs(),
      mode: "mirror",
      dataCutoffTimestamp: "yesterday",
      concurrencyLimit: 0,
      automaticallyAddNewObjects: "some",
      schemas: { [TABLE]: { fields: { id: { obfuscate: "yes" } }, filters: [{ function: "Equality" }] } },
      additionalSchedules: [{ frequency: "daily", schemas: [`${src}.other`] }],
    });
    const properties = found.map((f) => f.property);
    expect(properties).toEqual(
      expect.arrayContaining([
        "mode",
        "dataCutoffTimestamp",
        "concurrencyLimit",
        "automaticallyAddNewObjects",
        `schemas.${TABLE}.fields.id.obfuscate`,
        `schemas.${TABLE}.filters[0].fieldId`,
        "additionalSchedules[0].schemas[0]",
      ]),
    );
    expect(found.find((f) => f.property === "dataCutoffTimestamp")?.reason).toMatch(/RFC 3339/);
  });
});

describe("diff", () => {
  const diff = (olds: Record<string, unknown>, news: Record<string, unknown>) => runtime.diff("bulkSync", "id", olds, news);

  it("is an update for every field but the organization, and a replacement for that; adoptId never differs", async () => {
    const before = inputs();
    expect(await diff(before, before)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await diff(before, { ...before, name: "renamed" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await diff(before, { ...before, source: { connectionId: "another" } })).toMatchObject({ changes: true, replaces: [] });
    expect(await diff(before, { ...before, schemas: { [TABLE]: { enabled: false } } })).toMatchObject({ changes: true, replaces: [] });
    expect(await diff(before, { ...before, additionalSchedules: [{ frequency: "hourly" }] })).toMatchObject({ changes: true, replaces: [] });
    expect(await diff(before, { ...before, organizationId: "org-2" })).toMatchObject({ changes: true, replaces: ["organizationId"] });
    expect(await diff(before, { ...before, adoptId: "x" })).toMatchObject({ changes: false });
    expect(await diff(before, { ...before, name: UNKNOWN })).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("create, read, update, delete", () => {
  it("creates with one POST (and reads its schemas once), with the schemas it copies and where they land", async () => {
    const made = await create(inputs({ additionalSchedules: [{ frequency: "daily", hour: "2", schemas: [TABLE], resyncMode: "resync" }] }));
    expect(routeCount("POST /api/bulk/syncs")).toBe(1);
    expect(routeCount("GET /api/bulk/syncs/{id}/schemas")).toBe(1);
    expect(made.outs).toMatchObject({ enabledSchemas: [TABLE], outputNames: { [TABLE]: `${src}_orders` } });
    const server = (await api("GET", `/api/bulk/syncs/${made.id}`)).data;
    expect(server).toMatchObject({ mode: "replicate", active: true, default_schedule: { frequency: "manual" } });
    expect(server.additional_schedules).toEqual([expect.objectContaining({ frequency: "daily", hour: "2", schemas: [TABLE], resync_mode: "resync" })]);
    const schema = (await api("GET", `/api/bulk/syncs/${made.id}/schemas/${TABLE}`)).data;
    expect(schema.fields.map((f: any) => [f.id, f.enabled])).toEqual([["id", true], ["total", true], ["note", false], ["updated_at", true]]);
    expect(schema.tracking_field).toBe("updated_at");
  });

  it("read finds an edit made elsewhere as drift, in a declared schema too, and a deleted sync as gone", async () => {
    const made = await create(inputs({ name: "drifting", active: true }));
    const server = (await api("GET", `/api/bulk/syncs/${made.id}`)).data;
    const { id: _id, organization_id: _org, created_at: _c, created_by: _cb, updated_at: _u, updated_by: _ub, ...body } = server;
    const edited = await api("PUT", `/api/bulk/syncs/${made.id}`, { ...body, active: false, schemas: [{ id: TABLE, tracking_field: "" }] });
    expect(edited.status).toBe(200);
    emulator.resetStats();
    const read = await runtime.read("bulkSync", made.id, made.outs);
    expect(emulator.stats().total).toBe(2);
    expect(read.inputs).toMatchObject({ active: false });
    expect((read.inputs as any).schemas[TABLE].trackingField).toBeUndefined();
    expect((await runtime.diff("bulkSync", made.id, read.props as any, inputs({ name: "drifting", active: true }))).changes).toBe(true);
    await runtime.remove("bulkSync", made.id, made.outs);
    expect(await runtime.read("bulkSync", made.id, made.outs)).toEqual({});
    // Deleting what is already gone succeeds.
    await runtime.remove("bulkSync", made.id, made.outs);
  });

  it("update is one PUT of the whole object", async () => {
    const made = await create(inputs({ name: "to update" }));
    emulator.resetStats();
    const updated = await runtime.update("bulkSync", made.id, made.outs, inputs({ name: "updated", concurrencyLimit: 2, normalizeNames: "disabled", schedule: { frequency: "daily", hour: "5" } }));
    expect(routeCount("PUT /api/bulk/syncs/{id}")).toBe(1);
    expect(routeCount("POST /api/bulk/syncs")).toBe(0);
    expect(updated.outs).toMatchObject({ name: "updated", enabledSchemas: [TABLE] });
    expect((await api("GET", `/api/bulk/syncs/${made.id}`)).data).toMatchObject({
      name: "updated",
      concurrency_limit: 2,
      normalize_names: "disabled",
      default_schedule: { frequency: "daily", hour: "5" },
    });
  });

  it("a create retried with the same inputs and salt replays the first (no duplicate)", async () => {
    const first = await create(inputs({ name: "once" }));
    const again = await create(inputs({ name: "once" }));
    expect(again.id).toBe(first.id);
    const named = (await api("GET", "/api/bulk/syncs")).data.filter((s: any) => s.name === "once");
    expect(named).toHaveLength(1);
  });
});

describe("the journal of creates", () => {
  const stack = "polytomic-pipelines/bulk-journal";
  let dir: string;
  const saved = process.env.PULUMI_BACKEND_URL;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bulk-journal-"));
    process.env.PULUMI_BACKEND_URL = `file://${dir}`;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.PULUMI_BACKEND_URL;
    else process.env.PULUMI_BACKEND_URL = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a create retried after a killed run that noted only its intent finds the bulk sync by name: no second POST", async () => {
    const declared = { ...inputs({ name: "journaled" }), polytomicStack: stack };
    const first = await create(declared);
    const notes = stackNotes(stack)!;
    // Killed after the POST landed, before the id was noted; Polytomic has forgotten the key since.
    const [[key, record]] = [...(await notes.list("creates/"))].filter(([, r]) => JSON.parse(r).name === "journaled");
    const { id: _id, ...intent } = JSON.parse(record);
    await notes.write(key, JSON.stringify(intent));
    emulator.forgetIdempotencyKeys();
    emulator.resetStats();
    const retried = await create(declared);
    expect(retried.id).toBe(first.id);
    expect(routeCount("POST /api/bulk/syncs")).toBe(0);
    expect((await api("GET", "/api/bulk/syncs")).data.filter((s: any) => s.name === "journaled")).toHaveLength(1);
  });
});

describe("adoption by id", () => {
  it("takes over an existing bulk sync without a duplicate, writing only when it differs", async () => {
    const existing = (
      await api("POST", "/api/bulk/syncs", {
        name: "adopt me",
        source_connection_id: sourceId,
        destination_connection_id: destinationId,
        destination_configuration: { schema: `${src}_copy` },
        active: true,
        default_schedule: { frequency: "manual" },
        schemas: [{ id: TABLE, tracking_field: "updated_at", fields: ["id", "total", "updated_at"] }],
      })
    ).data;
    emulator.resetStats();
    const same = await create(inputs({ name: "adopt me", adoptId: existing.id }));
    expect(same.id).toBe(existing.id);
    expect(routeCount("PUT /api/bulk/syncs/{id}")).toBe(0);
    expect(routeCount("POST /api/bulk/syncs")).toBe(0);
    const differing = await create(inputs({ name: "adopted and renamed", adoptId: existing.id }), `${SALT}-2`);
    expect(differing.id).toBe(existing.id);
    expect(routeCount("PUT /api/bulk/syncs/{id}")).toBe(1);
    expect((await api("GET", `/api/bulk/syncs/${existing.id}`)).data.name).toBe("adopted and renamed");
    await expect(create(inputs({ adoptId: "3f1b2c4d-0000-4000-8000-00000000abcd" }))).rejects.toThrow(/cannot adopt BulkSync 3f1b2c4d-0000-4000-8000-00000000abcd: it does not exist/);
  });
});

describe("lookups", () => {
  it("getBulkSource lists a connection's schemas with their fields", async () => {
    const source = await getBulkSource({ connectionId: sourceId });
    const orders = source.schemas.find((s) => s.id === TABLE);
    expect(orders).toEqual({
      id: TABLE,
      name: TABLE,
      fields: [
        { id: "id", name: "id", type: "number" },
        { id: "total", name: "total", type: "number" },
        { id: "note", name: "note", type: "string" },
        { id: "updated_at", name: "updated_at", type: "datetime" },
      ],
    });
  });

  it("getBulkDestination gives the settings and modes a destination takes", async () => {
    expect(await getBulkDestination({ connectionId: destinationId })).toEqual({
      connectionId: destinationId,
      requiredConfiguration: ["schema"],
      modes: [{ id: "replicate", label: "Replicate", description: expect.any(String) }],
    });
  });

  it("the Output forms take outputs and give the same", async () => {
    const fromOutput = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply((v) => resolve(v)));
    const destination = await fromOutput(getBulkDestinationOutput({ connectionId: pulumi.output(destinationId) }));
    expect(destination.requiredConfiguration).toEqual(["schema"]);
    const source = await fromOutput(getBulkSourceOutput({ connectionId: pulumi.output(sourceId) }));
    expect(source.schemas.some((s) => s.id === TABLE)).toBe(true);
  });

  it("a connection that does not exist fails naming it", async () => {
    await expect(getBulkSource({ connectionId: "3f1b2c4d-0000-4000-8000-00000000abcd" })).rejects.toThrow(/connection 3f1b2c4d-0000-4000-8000-00000000abcd not found/);
  });
});
