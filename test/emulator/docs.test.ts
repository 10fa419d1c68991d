/**
 * Polytomic's own examples, sent as written: the GCS-to-webhook code example (connections, schema
 * readiness, model, sync with every field's target "record") and the custom-webhook guide's sync.
 * The request bodies below are the docs' curl bodies with only their placeholders filled in; when
 * the docs pages are at hand (`../shared/reference/polytomic-docs/`, as on our machines and in
 * CI), a test checks the bodies here still match them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CSV_SOURCE, type Emulator } from "../../emulator";
import { call, eventually, recordingReceiver, serviceAccountKey, startTestEmulator } from "./support";

/** `-d` bodies of the docs' curl examples, placeholders as the docs write them. */
const DOCS = {
  gcsConnection: {
    name: "Google Cloud Storage Connection",
    type: "gcs",
    configuration: { service_account: "${GOOGLE_SERVICE_ACCOUNT_JSON_KEY}", bucket: "gcs://mybucket/mypath" },
  },
  model: {
    name: "GCS Contacts",
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    connection_id: "YOUR_GCS_CONNECTION_ID",
  },
  contactsSync: {
    name: "Sync GCS to Webhook",
    active: true,
    mode: "updateOrCreate",
    fields: ["email_address", "first_name", "last_name"].map((field) => ({ source: { field, model_id: "YOUR_MODEL_ID" }, target: "record" })),
    target: { connection_id: "YOUR_WEBHOOK_CONNECTION_ID", object: "http", configuration: { batch_size: 100, record_requests: true } },
    schedule: { frequency: "manual" },
  },
  webhookGuideSync: {
    name: "Sync to Webhook",
    active: true,
    mode: "updateOrCreate",
    fields: ["field1", "field2", "field3"].map((field) => ({ source: { field, model_id: "YOUR_MODEL_ID" }, target: "record" })),
    target: { connection_id: "YOUR_WEBHOOK_CONNECTION_ID", object: "http", configuration: { batch_size: 100, record_requests: true } },
    schedule: { frequency: "manual" },
  },
};

/** The code example pins this version on the connection and model calls (not on the sync call). */
const DOCS_VERSION = { "x-polytomic-version": "2024-02-08" };

/** Fills the docs' placeholders. */
function filled<T>(body: T, values: Record<string, string>): T {
  let text = JSON.stringify(body);
  for (const [placeholder, value] of Object.entries(values)) text = text.split(placeholder).join(JSON.stringify(value).slice(1, -1));
  return JSON.parse(text) as T;
}

let emulator: Emulator;
let hooks: Awaited<ReturnType<typeof recordingReceiver>>;

beforeAll(async () => {
  // Answers as the docs show them: cache_status true, events naming the sync in `name`.
  emulator = await startTestEmulator({ answerForm: "docs", schemaReadyDelayMs: 100 });
  hooks = await recordingReceiver();
  // The bucket and folder the example names: gcs://mybucket/mypath.
  const folder = path.join(emulator.gcsRoot, "mybucket", "mypath");
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(DEMO_CSV_SOURCE, path.join(folder, "high_paying_users.csv"));
  fs.writeFileSync(path.join(folder, "fields.csv"), "field1,field2,field3\na,b,c\n");
});
afterAll(async () => {
  await hooks?.close();
  await emulator?.stop();
});

describe("the GCS-to-webhook code example, step by step", () => {
  const ids: Record<string, string> = {};

  it("1. creates the webhook connection; the server generates its secret", async () => {
    const created = await call(emulator, "POST", "/api/connections", { name: "Webhook", type: "webhook", configuration: { url: hooks.url } });
    expect(created.status).toBe(200);
    expect(created.body.data.configuration.secret).toEqual(expect.any(String));
    ids.webhook = created.body.data.id;
  });

  it("2. creates the GCS connection with the bucket written as gcs://bucket/path, and answers it as sent", async () => {
    const body = filled(DOCS.gcsConnection, { "${GOOGLE_SERVICE_ACCOUNT_JSON_KEY}": serviceAccountKey() });
    const created = await call(emulator, "POST", "/api/connections", body, DOCS_VERSION);
    expect(created.status, created.text).toBe(200);
    expect(created.headers.get("x-polytomic-version")).toBe("2024-02-08");
    expect(created.body.data).toMatchObject({ name: body.name, type: { id: "gcs" }, configuration: { bucket: "gcs://mybucket/mypath", service_account: "********" } });
    ids.gcs = created.body.data.id;
  });

  it("3. polls the schema status until cache_status is true", async () => {
    const first = await call(emulator, "GET", `/api/connections/${ids.gcs}/schemas/status`, undefined, DOCS_VERSION);
    expect(first.body.data.cache_status).toBe(false);
    const ready = await eventually(async () => {
      const status = await call(emulator, "GET", `/api/connections/${ids.gcs}/schemas/status`, undefined, DOCS_VERSION);
      return status.body.data.cache_status === true ? status.body.data : undefined;
    }, 5_000, "cache_status true");
    expect(ready.last_refresh_finished).toEqual(expect.any(String));
  });

  it("4. creates the model over high_paying_users.csv in that folder, exposing every column", async () => {
    const created = await call(emulator, "POST", "/api/models", filled(DOCS.model, { YOUR_GCS_CONNECTION_ID: ids.gcs }), DOCS_VERSION);
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(["email_address", "first_name", "last_name"]),
    );
    ids.model = created.body.data.id;
  });

  it("5. creates the sync exactly as the docs write it (no version header), and answers what was sent", async () => {
    const body = filled(DOCS.contactsSync, { YOUR_MODEL_ID: ids.model, YOUR_WEBHOOK_CONNECTION_ID: ids.webhook });
    const created = await call(emulator, "POST", "/api/syncs", body);
    expect(created.status, created.text).toBe(200);
    const answer = created.body.data;
    expect(answer).toMatchObject(body);
    // What the request left out is answered only where its rule says the server fills it in.
    for (const key of ["filter_logic", "filters", "identity", "overrides"]) expect(answer, key).not.toHaveProperty(key);
    expect(answer).toMatchObject({ policies: [], sync_all_records: false, only_enrich_updates: false, skip_initial_backfill: false });
    ids.sync = answer.id;
  });

  it("runs the sync: the webhook receives what the webhook page shows, keyed by the CSV's column names", async () => {
    const started = await call(emulator, "POST", `/api/syncs/${ids.sync}/executions`, {});
    expect(started.status, started.text).toBe(200);
    const execution = await eventually(async () => {
      const got = await call(emulator, "GET", `/api/syncs/${ids.sync}/executions/${started.body.data.id}`);
      return got.body.data.status === "completed" ? got.body.data : undefined;
    }, 10_000, "the run to complete");
    const secret = (await call(emulator, "GET", `/api/connections/${ids.webhook}`)).body.data.configuration.secret;

    const delivery = hooks.received[0];
    expect(delivery.headers).toMatchObject({
      "accept-encoding": "gzip",
      "content-type": "application/json",
      authorization: `Bearer ${secret}`,
    });
    expect(delivery.headers["polytomic-signature-timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(delivery.body).toMatchObject({ event: "sync.records", object: { id: ids.sync, name: "Sync GCS to Webhook" } });
    const record = delivery.body.object.records[0];
    expect(record.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(record.fields).sort()).toEqual(["email_address", "first_name", "last_name"]);
    const delivered = hooks.received.reduce((n, r) => n + r.body.object.records.length, 0);
    expect(delivered).toBe(execution.counts.total);
    expect(hooks.received.every((r) => r.body.object.records.length <= 100)).toBe(true);

    // The Events page: sync.completed names the sync in `name` and links the JSON record log.
    const events = await call(emulator, "GET", "/api/events?type=sync.completed");
    const completed = events.body.data.find((e: any) => e.event.execution_id === execution.id).event;
    expect(completed).toMatchObject({ name: "Sync GCS to Webhook", sync_id: ids.sync, status: "completed", inserted_records: null, updated_records: null });
    expect(completed).not.toHaveProperty("sync_name");
    const log = await call(emulator, "GET", new URL(completed.total_records[0]).pathname);
    expect(log.status).toBe(200);
    expect(log.body.records).toHaveLength(delivered);
    expect(log.body.records[0]).toEqual(record);
  });
});

describe("the custom-webhook guide's sync", () => {
  it("is accepted as written, over a model whose columns are field1, field2 and field3", async () => {
    const gcs = await call(emulator, "POST", "/api/connections", {
      name: "fields bucket",
      type: "gcs",
      configuration: { service_account: serviceAccountKey(), bucket: "gcs://mybucket/mypath/" },
    });
    const hook = await call(emulator, "POST", "/api/connections", { name: "guide hook", type: "webhook", configuration: { url: hooks.url } });
    const model = await call(emulator, "POST", "/api/models", { name: "fields", connection_id: gcs.body.data.id, configuration: { model_from: "single_file", key: "fields.csv" } });
    expect(model.status, model.text).toBe(200);
    const body = filled(DOCS.webhookGuideSync, { YOUR_MODEL_ID: model.body.data.id, YOUR_WEBHOOK_CONNECTION_ID: hook.body.data.id });
    const created = await call(emulator, "POST", "/api/syncs", body);
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.fields).toEqual(body.fields);
  });

  it("refuses any other target on an http object, quoting the rule", async () => {
    const { gcsId, webhookId, modelId } = await chain();
    const body = filled(DOCS.contactsSync, { YOUR_MODEL_ID: modelId, YOUR_WEBHOOK_CONNECTION_ID: webhookId });
    body.fields[1] = { ...body.fields[1], target: "given_name" };
    const refused = await call(emulator, "POST", "/api/syncs", body);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(
      'fields.1.target: must be "record" (a sync to a webhook (target.object "http") sets each field\'s target to "record"; the record key is the source field\'s normalized name)',
    );
    expect(gcsId).toEqual(expect.any(String));
  });

  it("refuses two columns that arrive under one record key, and a column that arrives under none, naming them", async () => {
    const folder = path.join(emulator.gcsRoot, "mybucket", "mypath");
    fs.writeFileSync(path.join(folder, "clash.csv"), "first name,firstname,###,email\nAda,Ada,x,a@example.com\n");
    const { webhookId, gcsId } = await chain();
    const model = await call(emulator, "POST", "/api/models", { name: "clash", connection_id: gcsId, configuration: { model_from: "single_file", key: "clash.csv" } });
    expect(model.status, model.text).toBe(200);
    const sync = (fields: string[]) =>
      call(emulator, "POST", "/api/syncs", {
        ...filled(DOCS.contactsSync, { YOUR_MODEL_ID: model.body.data.id, YOUR_WEBHOOK_CONNECTION_ID: webhookId }),
        fields: fields.map((field) => ({ source: { field, model_id: model.body.data.id }, target: "record" })),
      });
    const clash = await sync(["first name", "firstname", "email"]);
    expect(clash.status).toBe(422);
    expect(clash.body.message).toContain('fields "first name" and "firstname" both arrive as record key "firstname"');
    const empty = await sync(["###", "email"]);
    expect(empty.status).toBe(422);
    expect(empty.body.message).toContain('field "###" normalizes to an empty record key');
    // Either column alone is fine.
    expect((await sync(["first name", "email"])).status).toBe(200);
  });

  async function chain() {
    const gcs = await call(emulator, "POST", "/api/connections", {
      name: `clash ${Math.random()}`,
      type: "gcs",
      configuration: { service_account: serviceAccountKey(), bucket: "gcs://mybucket/mypath" },
    });
    const hook = await call(emulator, "POST", "/api/connections", { name: "clash hook", type: "webhook", configuration: { url: hooks.url } });
    const model = await call(emulator, "POST", "/api/models", { name: "contacts", connection_id: gcs.body.data.id, configuration: { model_from: "single_file", key: "high_paying_users.csv" } });
    return { gcsId: gcs.body.data.id as string, webhookId: hook.body.data.id as string, modelId: model.body.data.id as string };
  }
});

/** Where the docs pages are kept on our machines and in CI (a copy of shared/ beside the clone). */
const DOCS_DIR = path.resolve(__dirname, "..", "..", "..", "shared", "reference", "polytomic-docs");
const docsAtHand = fs.existsSync(DOCS_DIR);

/** The `-d '...'` bodies of a docs page's curl examples, parsed. */
function curlBodies(file: string): unknown[] {
  const text = fs.readFileSync(path.join(DOCS_DIR, file), "utf8").replace(/^> ?/gm, "");
  return [...text.matchAll(/-d '([\s\S]*?)'/g)].map((m) => JSON.parse(m[1]));
}

describe.runIf(docsAtHand)("the bodies above, against the docs pages they come from", () => {
  it("match the GCS-to-webhook code example", () => {
    expect(curlBodies("000_fb3f618bde9003fc.txt")).toEqual([DOCS.gcsConnection, DOCS.model, DOCS.contactsSync]);
  });

  it("match the custom-webhook guide", () => {
    expect(curlBodies("003_dd0e11301ee93051.txt")).toEqual([DOCS.webhookGuideSync]);
  });
});
