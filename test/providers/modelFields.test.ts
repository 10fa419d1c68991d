/**
 * The fields of Model and ModelSync beyond the pipeline's (Terraform's polytomic_model and
 * polytomic_sync): what `pulumi preview` refuses, what updates and what replaces, what reaches the
 * API, what a refresh reads back as drift, and the passphrase that is never read back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateServiceAccountKey, startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";
import { UNKNOWN } from "../../providers/runtime/shape";
import { apiCaller } from "./support";

const API_KEY = "model-fields-test-key-123";
const SALT = "model-fields-test-salt-0123456789";
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const create = (kind: string, inputs: Record<string, unknown>) => runtime.create(kind, { ...inputs, idempotencySalt: SALT });
const api = apiCaller(() => emulator.url, API_KEY);
const failures = async (kind: string, news: Record<string, unknown>) => (await runtime.check(kind, {}, news)).failures ?? [];

let gcsId: string;
let hookId: string;
let modelId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
  gcsId = (
    await create("connection", {
      name: "gcs",
      type: "gcs",
      configuration: { bucket: "polytomic-demo" },
      sensitiveConfiguration: { service_account: generateServiceAccountKey({ projectId: "p" }) },
    })
  ).id;
  hookId = (await create("connection", { name: "hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/records" } })).id;
  modelId = (await create("model", { name: "users", connectionId: gcsId, configuration: { model_from: "single_file", key: "high_paying_users.csv" } })).id;
});
afterAll(async () => {
  await emulator?.stop();
});

const syncInputs = (extra: Record<string, unknown> = {}) => ({
  name: "to-hook",
  mode: "updateOrCreate",
  target: { connectionId: hookId, object: "http" },
  fields: [{ source: { modelId, field: "email_address" } }, { source: { modelId, field: "first_name" } }],
  ...extra,
});

describe("check", () => {
  it("refuses what Polytomic refuses, naming the field", async () => {
    const table = { connectionId: "c", object: "public.contacts" };
    const mapped = [{ target: "email", source: { modelId: "m", field: "email" } }];
    const base = { name: "s", mode: "replace", target: table, fields: mapped };
    const reasons = async (extra: Record<string, unknown>) => (await failures("modelSync", { ...base, ...extra })).map((f) => f.property);
    expect(await reasons({})).toEqual([]);
    expect(await reasons({ target: { ...table, create: { name: "public.new" } } })).toEqual(["target.create"]);
    expect(await reasons({ target: { connectionId: "c", create: { name: "public.new" } } })).toEqual([]);
    expect(await reasons({ targetFilters: [{ field: "email", function: "IsNotNull" }] })).toEqual(["targetFilters"]);
    expect(await reasons({ mode: "update", targetFilters: [{ field: "email", function: "IsNotNull" }] })).toEqual([]);
    expect(await reasons({ filters: [{ source: { modelId: "m", field: "email" }, function: "Like" }] })).toEqual(["filters[0].function"]);
    expect(await reasons({ identity: { source: { modelId: "m", field: "email" }, target: "email", function: "Same" } })).toEqual(["identity.function"]);
    expect(await reasons({ fields: [{ ...mapped[0], syncMode: "sometimes" }] })).toEqual(["fields[0].syncMode"]);
    expect(await reasons({ overrideFields: [{ target: "name" }] })).toEqual(["overrideFields[0].overrideValue"]);
    expect(await reasons({ schedule: { frequency: "daily", hour: "24", minute: "0" } })).toEqual(["schedule.hour"]);
    expect(await reasons({ schedule: { frequency: "runafter" } })).toEqual(["schedule.runAfter"]);
    expect(await reasons({ schedule: { frequency: "runafter", runAfter: {} } })).toEqual(["schedule.runAfter"]);
    expect(await reasons({ schedule: { frequency: "hourly", minute: "5", runAfter: { syncIds: ["s"] } } })).toEqual(["schedule.runAfter"]);
    expect(await reasons({ schedule: { frequency: "runafter", runAfter: { syncIds: [UNKNOWN] } } })).toEqual([]);
    expect(await reasons({ encryptionPassphrase: "" })).toEqual(["encryptionPassphrase"]);
    // A webhook's records carry model fields under their own names: a constant has none.
    expect((await failures("modelSync", syncInputs({ overrideFields: [{ target: "record", overrideValue: "x" }] }))).map((f) => f.property)).toEqual([
      "overrideFields",
    ]);
    expect((await failures("model", { name: "m", connectionId: "c", configuration: {}, relations: [{ from: "email" }] })).map((f) => f.property)).toEqual([
      "relations[0].to",
    ]);
    // Listed fields: the identifier and the tracking columns must be among them (or the additional fields).
    const listed = { name: "m", connectionId: "c", configuration: {}, fields: ["email"], additionalFields: [{ name: "tier", label: "Tier", type: "string" }] };
    expect(await failures("model", { ...listed, identifier: "tier", trackingColumns: ["email"] })).toEqual([]);
    expect((await failures("model", { ...listed, identifier: "id", trackingColumns: ["email", "name"] })).map((f) => f.property)).toEqual([
      "identifier",
      "trackingColumns[1]",
    ]);
    expect(await failures("model", { ...listed, fields: [UNKNOWN], identifier: "id" })).toEqual([]);
  });
});

describe("diff", () => {
  const diff = (olds: Record<string, unknown>, news: Record<string, unknown>, kind = "modelSync") => runtime.diff(kind, "id", olds, news);

  it("updates every sync option in place; only the organization replaces", async () => {
    const before = syncInputs({ encryptionPassphrase: "one", target: { connectionId: "c", create: { name: "a" } } });
    for (const edit of [
      { encryptionPassphrase: "two" },
      { target: { connectionId: "c", create: { name: "b" } } },
      { identity: { source: { modelId, field: "email_address" }, target: "email", function: "Equality" } },
      { overrides: [{ source: { modelId, field: "first_name" }, function: "IsNull", override: "n/a" }] },
      { schedule: { frequency: "dbtcloud", jobId: 7, connectionId: "dbt" } },
    ]) {
      expect(await diff(before, { ...before, ...edit })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    }
    expect(await diff(before, { ...before })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect((await diff(before, { ...before, organizationId: "o-2" })).replaces).toEqual(["organizationId"]);
  });

  it("updates a model's relations, enricher and labels in place; a new connection replaces it", async () => {
    const before = { name: "m", connectionId: "c", configuration: {} };
    for (const edit of [
      { relations: [{ from: "email", to: { modelId: "m2", field: "email" } }] },
      { enricher: { connectionId: "apollo", configuration: { object: "people" } } },
      { labels: ["l-1"] },
    ]) {
      expect(await diff(before, { ...before, ...edit }, "model")).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    }
    expect((await diff(before, { ...before, connectionId: "c2" }, "model")).replaces).toEqual(["connectionId"]);
  });
});

describe("create, refresh, update", () => {
  it("sends every sync option in the API's shape and reads edits made elsewhere back as drift", async () => {
    const inputs = syncInputs({
      schedule: { frequency: "weekly", dayOfWeek: "1", hour: "8", minute: "0" },
      target: { connectionId: hookId, object: "http", newName: "contacts", searchValues: { region: "eu" } },
      fields: [{ source: { modelId, field: "email_address" }, syncMode: "updateOrCreate", encryptionEnabled: true }],
      identity: { source: { modelId, field: "email_address" }, target: "record", function: "Equality", newField: false },
      filters: [{ source: { modelId, field: "first_name" }, function: "IsNotNull", label: "named" }],
      filterLogic: "1",
      overrides: [{ source: { modelId, field: "first_name" }, function: "IsNull", override: "friend" }],
      syncAllRecords: true,
      encryptionPassphrase: "a-passphrase-of-ours",
    });
    const sync = await create("modelSync", inputs);
    const answered = (await api("GET", `/api/syncs/${sync.id}`)).data;
    expect(answered).toMatchObject({
      schedule: { frequency: "weekly", day_of_week: "1", hour: "8", minute: "0" },
      target: { connection_id: hookId, object: "http", new_name: "contacts", search_values: { region: "eu" } },
      fields: [{ target: "record", source: { model_id: modelId, field: "email_address" }, sync_mode: "updateOrCreate", encryption_enabled: true }],
      identity: { source: { model_id: modelId, field: "email_address" }, target: "record", function: "Equality", new_field: false },
      filters: [{ field: { model_id: modelId, field: "first_name" }, field_type: "Model", function: "IsNotNull", label: "named" }],
      filter_logic: "1",
      overrides: [{ field: { model_id: modelId, field: "first_name" }, function: "IsNull", override: "friend" }],
      sync_all_records: true,
    });
    expect(answered).not.toHaveProperty("encryption_passphrase");

    // Edited in Polytomic's UI: the identity's function, a filter's value, the schedule's hour.
    await api("PUT", `/api/syncs/${sync.id}`, {
      ...answered,
      identity: { ...answered.identity, function: "ISubstring" },
      filters: [{ ...answered.filters[0], function: "IsNull" }],
      schedule: { ...answered.schedule, hour: "9" },
    });
    const refreshed = await runtime.read("modelSync", sync.id, sync.outs);
    expect(refreshed.inputs).toMatchObject({
      identity: { function: "ISubstring" },
      filters: [{ function: "IsNull" }],
      schedule: { hour: "9" },
      // Never answered: the declared passphrase stays.
      encryptionPassphrase: "a-passphrase-of-ours",
    });
    expect(await runtime.diff("modelSync", sync.id, refreshed.inputs as Record<string, unknown>, inputs)).toMatchObject({ changes: true, replaces: [] });

    // The update puts back what is declared, in one PUT.
    emulator.resetStats();
    await runtime.update("modelSync", sync.id, refreshed.inputs as Record<string, unknown>, inputs);
    expect(emulator.stats().routes).toEqual({ "PUT /api/syncs/{id}": 1 });
    expect((await api("GET", `/api/syncs/${sync.id}`)).data.identity.function).toBe("Equality");
    await runtime.remove("modelSync", sync.id, sync.outs);
  });

  it("adopts a sync with a passphrase with one PUT (Polytomic never shows whether it matches)", async () => {
    const existing = await create("modelSync", syncInputs({ name: "adoptable", encryptionPassphrase: "p-1" }));
    emulator.resetStats();
    await create("modelSync", syncInputs({ name: "adoptable", encryptionPassphrase: "p-1", adoptId: existing.id }));
    expect(emulator.stats().routes["PUT /api/syncs/{id}"]).toBe(1);
    emulator.resetStats();
    await create("modelSync", syncInputs({ name: "adoptable", adoptId: existing.id }));
    expect(emulator.stats().routes["PUT /api/syncs/{id}"] ?? 0).toBe(0);
    await runtime.remove("modelSync", existing.id, existing.outs);
  });

  it("sends a model's relations, enricher and labels, and reads them back", async () => {
    const inputs = {
      name: "enriched",
      connectionId: gcsId,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
      additionalFields: [{ name: "tier", label: "Tier", type: "string" }],
      relations: [{ from: "email_address", to: { modelId, field: "email_address" } }],
      enricher: { connectionId: hookId, configuration: { object: "people" }, mappings: { email_address: "email" } },
      labels: ["00000000-0000-4000-8000-0000000000bb"],
    };
    const model = await create("model", inputs);
    const answered = (await api("GET", `/api/models/${model.id}`)).data;
    expect(answered).toMatchObject({
      relations: [{ from: "email_address", to: { model_id: modelId, field: "email_address" } }],
      enricher: { connection_id: hookId, configuration: { object: "people" }, mappings: { email_address: "email" } },
    });
    expect(model.outs.fieldNames).toContain("tier");

    const unchanged = await runtime.read("model", model.id, model.outs);
    expect(unchanged.inputs).toMatchObject({ relations: inputs.relations, enricher: inputs.enricher, labels: inputs.labels, additionalFields: inputs.additionalFields });

    await api("PUT", `/api/models/${model.id}`, {
      name: answered.name,
      connection_id: gcsId,
      configuration: answered.configuration,
      additional_fields: [{ name: "tier", label: "Level", type: "string" }],
      relations: [{ from: "first_name", to: { model_id: modelId, field: "first_name" } }],
      labels: [],
    });
    const drifted = await runtime.read("model", model.id, model.outs);
    expect(drifted.inputs).toMatchObject({
      relations: [{ from: "first_name", to: { modelId, field: "first_name" } }],
      additionalFields: [{ name: "tier", label: "Level", type: "string" }],
      labels: [],
    });
    // Removed elsewhere: read as cleared, so the next preview shows it coming back.
    expect(drifted.inputs?.enricher).toBeNull();
    await runtime.remove("model", model.id, model.outs);
  });
});
