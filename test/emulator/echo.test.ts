/**
 * A strict client (Terraform's "inconsistent result after apply" check) compares each answer
 * with its request. Every write is sent twice, with only the required fields and with every
 * optional field, and the answer is compared with the request field by field: a sent field
 * comes back as sent, a field not sent does not come back, unless a documented reason says
 * otherwise (the lists below, one reason each).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY, type Emulator, ORGANIZATION_ID } from "../../emulator";
import { call, serviceAccountKey, startTestEmulator, TEST_OBJECT } from "./support";

/** Answer fields the server owns (never in a request), by resource. */
const SERVER_FIELDS: Record<string, readonly string[]> = {
  connection: ["id", "organization_id", "status", "status_error", "saved", "parent_connection_id", "api_calls_last_24_hours", "created_at", "created_by", "updated_at", "updated_by"],
  // `fields`: the columns the model exposes (all of the file's when the request names none).
  model: ["id", "organization_id", "type", "version", "fields", "created_at", "created_by", "updated_at", "updated_by"],
  sync: ["id", "organization_id", "model_ids", "created_at", "created_by", "updated_at", "updated_by"],
  webhook: ["id", "organization_id", "disabled", "created_at"],
};

/** Request fields answered differently, each for a documented reason. */
const DOCUMENTED: Record<string, Record<string, (sent: unknown, answered: unknown) => boolean>> = {
  connection: {
    // The type is answered as the connection type object.
    type: (sent, answered) => (answered as { id: string }).id === sent,
    // Never answered: they steer the request, they are not part of the connection.
    validate: (_, answered) => answered === undefined,
    reconnect: (_, answered) => answered === undefined,
    // Secrets are answered masked; the server derives project_id and client_email from the key
    // and generates a webhook connection's secret.
    configuration: (sent, answered) => {
      const a = answered as Record<string, unknown>;
      const s = sent as Record<string, unknown>;
      const derived = new Set(["project_id", "client_email", "secret"]);
      return (
        Object.entries(s).every(([k, v]) => (k === "service_account" ? a[k] === "********" : k === "secret" || same(v, a[k]))) &&
        Object.keys(a).every((k) => k in s || derived.has(k))
      );
    },
  },
  model: {
    // `fields` names the columns to expose; the answer lists the exposed fields as objects, and
    // `additional_fields` join them there.
    fields: (sent, answered) => same(sent, (answered as { name: string; user_added: boolean }[]).filter((f) => !f.user_added).map((f) => f.name)),
    additional_fields: (sent, answered) => answered === undefined && Array.isArray(sent),
    labels: (sent, answered) => same(sent, (answered as { id: string }[]).map((l) => l.id)),
    refresh: (_, answered) => answered === undefined,
  },
  sync: {
    // Write-only: never answered.
    encryption_passphrase: (_, answered) => answered === undefined,
  },
  webhook: {},
};

/** On reads (GET), a connection is answered without `healthcheck_interval` (the API's get and list shapes lack it). */
const DOCUMENTED_ON_READ: Record<string, Record<string, (sent: unknown, answered: unknown) => boolean>> = {
  connection: { healthcheck_interval: (_, answered) => answered === undefined },
};

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as any)[k])]));
  return value;
}

/** Every field where the answer differs from the request without a documented reason. */
function differences(resource: string, request: Record<string, unknown>, answer: Record<string, unknown>, read = false): string[] {
  const found: string[] = [];
  for (const [key, sent] of Object.entries(request)) {
    const documented = (read ? DOCUMENTED_ON_READ[resource]?.[key] : undefined) ?? DOCUMENTED[resource][key];
    if (documented ? !documented(sent, answer[key]) : !same(sent, answer[key])) {
      found.push(`${key}: sent ${JSON.stringify(sent)}, answered ${JSON.stringify(answer[key])}`);
    }
  }
  for (const key of Object.keys(answer)) {
    if (!(key in request) && !SERVER_FIELDS[resource].includes(key)) found.push(`${key}: not sent, answered ${JSON.stringify(answer[key])}`);
  }
  return found;
}

let emulator: Emulator;
const ids: Record<string, string> = {};
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

async function write(method: "POST" | "PUT", route: string, body: Record<string, unknown>) {
  const answer = await call(emulator, method, route, body, { authorization: `Bearer ${DEFAULT_API_KEY}` });
  expect(answer.status, answer.text).toBe(200);
  return answer.body.data as Record<string, unknown>;
}

/** POST with `required`, PUT with `full`, PUT back to `required`, POST with `full`: each answer compared. */
async function roundTrips(
  resource: string,
  collection: string,
  required: Record<string, unknown>,
  full: Record<string, unknown>,
  opts: { onePerOrganization?: boolean } = {},
) {
  const found: Record<string, string[]> = {};
  const created = await write("POST", collection, required);
  found["POST required"] = differences(resource, required, created);
  found["PUT full"] = differences(resource, full, await write("PUT", `${collection}/${created.id}`, full));
  found["PUT required"] = differences(resource, required, await write("PUT", `${collection}/${created.id}`, required));
  if (opts.onePerOrganization) await call(emulator, "DELETE", `${collection}/${created.id}`);
  const second = await write("POST", collection, full);
  found["POST full"] = differences(resource, full, second);
  // A GET answers what the last write stored: the same comparison holds.
  found["GET after POST full"] = differences(resource, full, (await call(emulator, "GET", `${collection}/${second.id}`)).body.data, true);
  return { found, id: String(created.id) };
}

const none = { "POST required": [], "PUT full": [], "PUT required": [], "POST full": [], "GET after POST full": [] };

describe("every write answers what it was sent", () => {
  it("connections (gcs and webhook)", async () => {
    const gcs = await roundTrips(
      "connection",
      "/api/connections",
      { name: "echo gcs", type: "gcs", configuration: { bucket: "polytomic-demo", service_account: serviceAccountKey() } },
      {
        name: "echo gcs (full)",
        type: "gcs",
        configuration: { bucket: "gcs://polytomic-demo/tests", service_account: serviceAccountKey(), csv_has_headers: true, skip_lines: 0 },
        organization_id: ORGANIZATION_ID,
        policies: ["00000000-0000-4000-8000-0000000000aa"],
        healthcheck_interval: "3h",
        validate: true,
      },
    );
    expect(gcs.found).toEqual(none);
    ids.gcs = gcs.id;
    const hook = await roundTrips(
      "connection",
      "/api/connections",
      { name: "echo hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/hook" } },
      {
        name: "echo hook (full)",
        type: "webhook",
        configuration: { url: "http://127.0.0.1:9/hook2", auth_method: "polytomic_secret", headers: [{ name: "X-Team", value: "growth" }] },
        organization_id: ORGANIZATION_ID,
        policies: [],
        healthcheck_interval: "1h",
        validate: false,
      },
    );
    expect(hook.found).toEqual(none);
    ids.hook = hook.id;
  });

  it("models", async () => {
    const configuration = { model_from: "single_file", key: TEST_OBJECT, file_format: "csv" };
    const model = await roundTrips(
      "model",
      "/api/models",
      { name: "echo model", connection_id: ids.gcs, configuration },
      {
        name: "echo model (full)",
        connection_id: ids.gcs,
        configuration: { ...configuration, skip_lines: 0 },
        fields: ["email_address", "first_name"],
        additional_fields: [{ name: "tier", label: "Tier", type: "string" }],
        identifier: "email_address",
        tracking_columns: ["first_name"],
        labels: ["00000000-0000-4000-8000-0000000000bb"],
        policies: ["00000000-0000-4000-8000-0000000000aa"],
        organization_id: ORGANIZATION_ID,
      },
    );
    expect(model.found).toEqual(none);
    ids.model = model.id;
  });

  it("model syncs", async () => {
    const fields = ["email_address", "first_name"].map((field) => ({ source: { model_id: ids.model, field }, target: "record" }));
    const target = { connection_id: ids.hook, object: "http", configuration: { batch_size: 10 } };
    const sync = await roundTrips(
      "sync",
      "/api/syncs",
      { name: "echo sync", mode: "updateOrCreate", schedule: { frequency: "manual" }, target, fields },
      {
        name: "echo sync (full)",
        mode: "updateOrCreate",
        schedule: { frequency: "daily", hour: "6", minute: "30" },
        target: { ...target, configuration: { batch_size: 20, record_requests: false, metadata: { team: "growth" } } },
        fields,
        active: false,
        filters: [],
        filter_logic: "",
        overrides: [],
        sync_all_records: true,
        skip_initial_backfill: true,
        only_enrich_updates: false,
        encryption_passphrase: "not-answered",
        policies: ["00000000-0000-4000-8000-0000000000aa"],
        organization_id: ORGANIZATION_ID,
      },
    );
    expect(sync.found).toEqual(none);
  });

  it("the org webhook", async () => {
    const webhook = await roundTrips(
      "webhook",
      "/api/webhooks",
      { endpoint: "http://127.0.0.1:9/events", secret: "echo-secret" },
      { endpoint: "http://127.0.0.1:9/events2", secret: "echo-secret-2", organization_id: ORGANIZATION_ID },
      // An organization has one webhook: the first goes before the second is created.
      { onePerOrganization: true },
    );
    expect(webhook.found).toEqual(none);
  });
});
