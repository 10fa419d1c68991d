/**
 * A strict client (Terraform's "inconsistent result after apply" check) compares each answer
 * with its request. Every write is sent twice, with only the required fields and with every
 * optional field, and the answer is compared with the request field by field against the answer
 * rules of contract/answers.ts: an echoed field comes back as sent and is absent when not sent, a
 * default is filled in, a computed field is the server's, a write-only field never comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, bulkSyncs, connections as connectionContract, models, notifications, organizations, permissions, syncs, users, webhooks } from "../../contract";
import { DEFAULT_API_KEY, type Emulator, ORGANIZATION_ID } from "../../emulator";
import { call, serviceAccountKey, startTestEmulator, TEST_OBJECT } from "./support";

type Rules = Record<string, answers.AnswerRule>;
const RULES = answers.ANSWER_RULES as Record<answers.AnsweredObject, Rules>;
type Compare = (sent: unknown, answered: unknown) => boolean;

/**
 * Where a request field is answered in another shape, each by the rule's source: the connection
 * type id as the type object (computed), the model's column names as field objects (computed, the
 * `additional_fields` joining them there), label ids as label objects.
 */
const SHAPED: Record<string, Record<string, Compare>> = {
  connection: {
    type: (sent, answered) => (answered as { id: string }).id === sent,
    configuration: () => true, // compared key by key below, with the type's own rules
  },
  model: {
    fields: (sent, answered) => same(sent, (answered as { name: string; user_added: boolean }[]).filter((f) => !f.user_added).map((f) => f.name)),
    labels: (sent, answered) => same(sent, (answered as { id: string }[]).map((l) => l.id)),
  },
};

/** On reads (GET), a connection is answered without `healthcheck_interval` (its rule: create and update answers only). */
const ABSENT_ON_READ: Record<string, string[]> = { connection: ["healthcheck_interval"] };

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as any)[k])]));
  return value;
}

/** Every field where the answer breaks the object's rules. `prefix` names nested objects in the report. */
function breaches(object: answers.AnsweredObject, request: Record<string, unknown>, answer: Record<string, unknown>, read = false, prefix = ""): string[] {
  const rules = RULES[object];
  const found: string[] = [];
  const report = (key: string, why: string) => found.push(`${prefix}${key}: ${why}`);
  for (const [key, sent] of Object.entries(request)) {
    const rule = rules[key];
    const answered = answer[key];
    if (!rule) report(key, "no answer rule");
    else if (read && ABSENT_ON_READ[object]?.includes(key)) {
      if (answered !== undefined) report(key, `answered ${JSON.stringify(answered)} on a read`);
    } else if (SHAPED[object]?.[key]) {
      if (!SHAPED[object][key](sent, answered)) report(key, `sent ${JSON.stringify(sent)}, answered ${JSON.stringify(answered)}`);
    } else if (rule.rule === "writeOnly") {
      if (answered !== undefined) report(key, `write-only, answered ${JSON.stringify(answered)}`);
    } else if (!same(nestedWriteOnlyRemoved(object, key, sent), answered)) {
      report(key, `sent ${JSON.stringify(sent)}, answered ${JSON.stringify(answered)}`);
    }
  }
  for (const [key, answered] of Object.entries(answer)) {
    if (key in request) continue;
    const rule = rules[key];
    if (!rule) report(key, `not sent and has no rule, answered ${JSON.stringify(answered)}`);
    else if (rule.rule === "default" && !same(rule.value, answered)) report(key, `default ${JSON.stringify(rule.value)}, answered ${JSON.stringify(answered)}`);
    else if (rule.rule === "echo" || rule.rule === "writeOnly") report(key, `${rule.rule}: not sent, answered ${JSON.stringify(answered)}`);
  }
  return found;
}

/** A nested write-only field (`target.create`) is not part of the answer. */
function nestedWriteOnlyRemoved(object: answers.AnsweredObject, key: string, sent: unknown): unknown {
  const nested = Object.entries(RULES[object]).filter(([dotted, rule]) => dotted.startsWith(`${key}.`) && rule.rule === "writeOnly");
  if (nested.length === 0 || !sent || typeof sent !== "object") return sent;
  const copy = { ...(sent as Record<string, unknown>) };
  for (const [dotted] of nested) delete copy[dotted.slice(key.length + 1)];
  return copy;
}

/** A connection's answer, its configuration checked with its type's rules (secrets answered masked). */
function connectionBreaches(request: Record<string, unknown>, answer: Record<string, unknown>, read = false): string[] {
  const type = String(request.type);
  const configurationRules: answers.AnsweredObject = type === "gcs" ? "gcsConfiguration" : "webhookConfiguration";
  const sentConfiguration = { ...(request.configuration as Record<string, unknown>) };
  const answeredConfiguration = { ...(answer.configuration as Record<string, unknown>) };
  const found: string[] = [];
  // A secret is answered as the mask (its rule: write-only, never in clear).
  for (const key of connectionContract.SECRET_CONFIGURATION_KEYS[type] ?? []) {
    if (key in sentConfiguration && answeredConfiguration[key] !== "********") found.push(`configuration.${key}: not masked`);
    delete sentConfiguration[key];
    delete answeredConfiguration[key];
  }
  return [...found, ...breaches("connection", request, answer, read), ...breaches(configurationRules, sentConfiguration, answeredConfiguration, read, "configuration.")];
}

const check = (object: answers.AnsweredObject, request: Record<string, unknown>, answer: Record<string, unknown>, read = false) =>
  object === "connection" ? connectionBreaches(request, answer, read) : breaches(object, request, answer, read);

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
  resource: answers.AnsweredObject,
  collection: string,
  required: Record<string, unknown>,
  full: Record<string, unknown>,
  opts: { onePerOrganization?: boolean } = {},
) {
  const found: Record<string, string[]> = {};
  const created = await write("POST", collection, required);
  found["POST required"] = check(resource, required, created);
  found["PUT full"] = check(resource, full, await write("PUT", `${collection}/${created.id}`, full));
  found["PUT required"] = check(resource, required, await write("PUT", `${collection}/${created.id}`, required));
  if (opts.onePerOrganization) await call(emulator, "DELETE", `${collection}/${created.id}`);
  const second = await write("POST", collection, full);
  found["POST full"] = check(resource, full, second);
  // A GET answers what the last write stored: the same comparison holds.
  found["GET after POST full"] = check(resource, full, (await call(emulator, "GET", `${collection}/${second.id}`)).body.data, true);
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
        relations: [{ from: "email_address", to: { model_id: "00000000-0000-4000-8000-0000000000cc", field: "email" } }],
        enricher: { connection_id: ids.hook, enricher_id: "people", configuration: { object: "people" }, mappings: { email_address: "email" } },
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
        schedule: { frequency: "daily", hour: "6", minute: "30", run_after_success_only: false },
        target: {
          ...target,
          configuration: { batch_size: 20, record_requests: false, metadata: { team: "growth" } },
          new_name: "contacts",
          filter_logic: "",
          search_values: { region: "eu" },
        },
        fields: fields.map((f, i) => (i === 0 ? { ...f, sync_mode: "updateOrCreate", new: false, encryption_enabled: true } : f)),
        active: false,
        identity: { source: { model_id: ids.model, field: "email_address" }, target: "record", function: "Equality", new_field: false, remote_field_type_id: "string" },
        filters: [{ function: "IsNotNull", field: { model_id: ids.model, field: "first_name" }, field_type: "Model", label: "named" }],
        filter_logic: "1",
        overrides: [{ field: { model_id: ids.model, field: "first_name" }, function: "IsNull", override: "unknown" }],
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

describe("every write of the organization's administration answers what it was sent", () => {
  it("roles and policies", async () => {
    const role = await roundTrips("role", "/api/permissions/roles", { name: "echo role" }, { name: "echo role (full)", organization_id: ORGANIZATION_ID });
    expect(role.found).toEqual(none);
    const policy = await roundTrips(
      "policy",
      "/api/permissions/policies",
      { name: "echo policy" },
      { name: "echo policy (full)", organization_id: ORGANIZATION_ID, policy_actions: [{ action: "read", role_ids: [role.id] }, { action: "delete" }] },
    );
    expect(policy.found).toEqual(none);
  });
});

describe("the answer rules", () => {
  const responseSchemas = {
    connection: [connectionContract.Connection, connectionContract.CreateConnectionRequest, connectionContract.UpdateConnectionRequest],
    gcsConfiguration: [connectionContract.GcsConfiguration],
    webhookConfiguration: [connectionContract.WebhookConfiguration],
    model: [models.Model, models.UpdateModelRequest],
    sync: [syncs.Sync, syncs.CreateSyncRequest],
    webhook: [webhooks.Webhook, webhooks.CreateWebhookRequest],
    organization: [organizations.Organization, organizations.CreateOrganizationRequest],
    role: [permissions.Role, permissions.CreateRoleRequest],
    policy: [permissions.Policy, permissions.CreatePolicyRequest],
    user: [users.User, users.CreateUserRequest],
    globalErrorSubscribers: [notifications.GlobalErrorSubscribers, notifications.GlobalErrorSubscribersRequest],
    bulkSync: [bulkSyncs.BulkSync, bulkSyncs.BulkSyncRequest],
    bulkSchema: [bulkSyncs.BulkSchema, bulkSyncs.SchemaConfiguration],
  } satisfies Record<answers.AnsweredObject, { shape: Record<string, unknown> }[]>;

  it("give every field of every request and answer the contract models a rule, each with a source", () => {
    const missing: string[] = [];
    for (const [object, schemas] of Object.entries(responseSchemas)) {
      for (const schema of schemas) for (const key of Object.keys(schema.shape)) if (!RULES[object as answers.AnsweredObject][key]) missing.push(`${object}.${key}`);
    }
    expect(missing).toEqual([]);
    const unsourced = Object.entries(RULES).flatMap(([object, rules]) => Object.entries(rules).filter(([, r]) => r.source.trim().length < 10).map(([k]) => `${object}.${k}`));
    expect(unsourced).toEqual([]);
  });

  it("are what providers/README.md shows", async () => {
    const readme = (await import("node:fs")).readFileSync(new URL("../../providers/README.md", import.meta.url), "utf8");
    const between = /<!-- answer-rules:start -->\n([\s\S]*?)<!-- answer-rules:end -->/.exec(readme);
    expect(between, "providers/README.md lacks the answer-rules markers").not.toBeNull();
    expect(between?.[1].trim()).toBe(answers.renderAnswerRules().trim());
  });
});

describe("with superset answers", () => {
  let superset: Emulator;
  beforeAll(async () => {
    superset = await startTestEmulator({ supersetAnswers: true });
  });
  afterAll(async () => {
    await superset?.stop();
  });
  const post = async (route: string, body: Record<string, unknown>) => {
    const answer = await call(superset, "POST", route, body, { authorization: `Bearer ${DEFAULT_API_KEY}` });
    expect(answer.status, answer.text).toBe(200);
    return answer.body.data as Record<string, unknown>;
  };

  it("fills every default and every field the contract does not model, never over a sent value", async () => {
    const hook = await post("/api/connections", { name: "superset hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/hook" } });
    expect(hook).toMatchObject({ ...answers.UNMODELLED_ANSWER_FIELDS.connection, policies: [] });
    expect(hook.configuration).toMatchObject({ auth_method: "polytomic_secret", headers: [] });
    const gcs = await post("/api/connections", {
      name: "superset gcs",
      type: "gcs",
      configuration: { bucket: "polytomic-demo", service_account: serviceAccountKey(), csv_has_headers: true, skip_lines: 0 },
    });
    expect(gcs.configuration).toMatchObject({ is_single_table: false, single_table_file_format: "csv", csv_has_headers: true, skip_lines: 0 });
    const model = await post("/api/models", { name: "superset model", connection_id: gcs.id, configuration: { model_from: "single_file", key: TEST_OBJECT } });
    expect(model).toMatchObject({ ...answers.UNMODELLED_ANSWER_FIELDS.model, tracking_columns: [], labels: [], policies: [] });
    const sync = await post("/api/syncs", {
      name: "superset sync",
      mode: "updateOrCreate",
      schedule: { frequency: "manual" },
      target: { connection_id: hook.id, object: "http" },
      fields: [{ source: { model_id: model.id, field: "email_address" }, target: "record" }],
      sync_all_records: true,
    });
    expect(sync).toMatchObject({ ...answers.UNMODELLED_ANSWER_FIELDS.sync, filters: [], overrides: [], only_enrich_updates: false, sync_all_records: true });
    expect((sync.schedule as Record<string, unknown>).run_after_success_only).toBe(false);
  });
});
