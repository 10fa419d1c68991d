/**
 * How Polytomic's API answers each field of the objects this project models, with the source of
 * each rule. The one table of answer rules: the emulator fills its answers from it, the echo test
 * (test/emulator/echo.test.ts) checks every answer against it, and providers/README.md shows it
 * (rendered by `renderAnswerRules`, kept current by a test).
 *
 * A rule is one of:
 * - `echo`: answered as sent; absent when not sent. `filled` is what a server that fills in
 *   everything would answer instead (the emulator's `supersetAnswers` option): the providers must
 *   not care.
 * - `default`: the server fills `value` when the request does not send it.
 * - `computed`: the server makes it (ids, timestamps, status); never taken from a request.
 * - `writeOnly`: accepted in requests, never answered.
 *
 * Sources, by the short names used below:
 * - TF: Polytomic's Terraform provider v2.0.0 (polytomic/terraform-provider-polytomic, commit
 *   448d639), `provider/resource_sync.go`, `provider/resource_model.go`,
 *   `provider/resource_organization.go`, `provider/internal/connections/resource_{gcs,webhook}_connection.go`
 *   and the connection types' JSON schemas `provider/gen/connections/connectiontypes/{gcs,webhook}.json`.
 *   Its attributes say which answers Polytomic fills in (`Computed`, `Default`); Terraform checks
 *   every answer against its plan, and the provider's acceptance tests run against the real API.
 * - TS: polytomic/polytomic-typescript (v25.9.2), `src/api/types/*.ts` and `tests/wire/*.test.ts`.
 * - DOCS: Polytomic's pages, as kept in `polytomic-api.md` and the docs copies of the reference folder.
 *
 * Where they disagree, TF wins: its schema is checked against real answers by Terraform itself
 * (an answer that differs from the plan fails the apply), while TS's types mark every field
 * optional and its wire examples are generated with every key filled in (they show shapes, not
 * what the server omits).
 */

export type AnswerRule =
  | { rule: "echo"; source: string; filled?: unknown }
  | { rule: "default"; value: unknown; source: string }
  | { rule: "computed"; source: string }
  | { rule: "writeOnly"; source: string };

const echo = (source: string, filled?: unknown): AnswerRule => (filled === undefined ? { rule: "echo", source } : { rule: "echo", source, filled });
const byDefault = (value: unknown, source: string): AnswerRule => ({ rule: "default", value, source });
const computed = (source: string): AnswerRule => ({ rule: "computed", source });
const writeOnly = (source: string): AnswerRule => ({ rule: "writeOnly", source });

/** Actor and timestamp fields, computed on every object that has them. */
const AUDIT = {
  created_at: computed("TF resource_sync.go:429, resource_model.go:151 `Computed`; TS ConnectionResponseSchema.created_at"),
  created_by: computed("TF resource_sync.go:434, resource_model.go:156 `Computed`; TS OutputActor"),
  updated_at: computed("TF resource_sync.go:439, resource_model.go:161 `Computed`; TS ConnectionResponseSchema.updated_at"),
  updated_by: computed("TF resource_sync.go:444, resource_model.go:166 `Computed`; TS OutputActor"),
} satisfies Record<string, AnswerRule>;

/**
 * The rules, by object. A key with dots names a field inside an object field
 * (`schedule.run_after_success_only`), filled only where its parent is present.
 */
export const ANSWER_RULES = {
  connection: {
    id: computed("TF resource_webhook_connection.go:255 `Computed`"),
    name: echo("TF resource_webhook_connection.go:44 `Required`"),
    organization_id: computed("TF resource_webhook_connection.go:39 `organization` Optional+Computed: the caller's organization"),
    type: computed("TS CreateConnectionResponseSchema.type: the connection type object for the request's type id"),
    configuration: echo("TF resource_*_connection.go `configuration` Required; secrets answered as \"********\" (TS wire connections.test.ts), per-type rules below"),
    status: computed("TS ConnectionResponseSchema.status (\"healthy\" in the wire examples)"),
    status_error: computed("TS ConnectionResponseSchema.status_error"),
    saved: computed("TS ConnectionResponseSchema.saved"),
    policies: byDefault([], "TS CreateConnectionRequestSchema.policies (optional) and ConnectionResponseSchema.policies; the policies a model or sync has are Computed in TF (resource_model.go:146, resource_sync.go:424)"),
    healthcheck_interval: echo("TS CreateConnectionResponseSchema.healthcheck_interval; absent from ConnectionResponseSchema, so create and update answers only"),
    parent_connection_id: computed("TS ConnectionResponseSchema.parent_connection_id (get and list answers)"),
    api_calls_last_24_hours: computed("TS ConnectionResponseSchema.api_calls_last_24_hours (get and list answers)"),
    validate: writeOnly("TS CreateConnectionRequestSchema.validate: steers the request (TF always sends false)"),
    reconnect: writeOnly("TS UpdateConnectionRequestSchema.reconnect: steers the request"),
    ...AUDIT,
  },
  gcsConfiguration: {
    bucket: echo("TF gcs.json `required`; resource_gcs_connection.go:49 Required (answered verbatim, gcs:// paths included)"),
    service_account: writeOnly("TF gcs.json `sensitive`, resource_gcs_connection.go:102 Sensitive: answered as \"********\", never in clear"),
    project_id: computed("TF gcs.json `readOnly`, resource_gcs_connection.go:95 Computed: from the key"),
    client_email: computed("TF gcs.json `readOnly`, resource_gcs_connection.go:56 Computed: from the key"),
    csv_has_headers: echo("TF gcs.json `default: true`, resource_gcs_connection.go:63 Optional+Computed (a form default; no source shows it in answers)", true),
    is_single_table: echo("TF gcs.json `default: false`, resource_gcs_connection.go:86 Optional+Computed", false),
    is_directory_snapshot: echo("TF gcs.json `default: false`, resource_gcs_connection.go:79 Optional+Computed", false),
    single_table_file_format: echo("TF gcs.json `default: csv`, resource_gcs_connection.go:112 Optional+Computed", "csv"),
    single_table_file_formats: echo("TF gcs.json, resource_gcs_connection.go:122 Optional+Computed", ["csv"]),
    single_table_name: echo("TF resource_gcs_connection.go:133 Optional+Computed"),
    skip_lines: echo("TF gcs.json `default: 0`, resource_gcs_connection.go:140 Optional+Computed", 0),
    directory_glob_pattern: echo("TF resource_gcs_connection.go:72 Optional+Computed"),
  },
  webhookConfiguration: {
    url: echo("TF webhook.json `required`, resource_webhook_connection.go:236 Required"),
    auth_method: echo("TF webhook.json `required` with `default: polytomic_secret`, resource_webhook_connection.go:49 Required", "polytomic_secret"),
    secret: computed("TF webhook.json `readonly`+`sensitive`, resource_webhook_connection.go:226 Computed+UseStateForUnknown: made by the server, answered in clear, the same in every answer"),
    headers: echo("TF resource_webhook_connection.go:105 Optional+Computed", []),
    basic: echo("TF resource_webhook_connection.go:59 Optional+Computed"),
    header: echo("TF resource_webhook_connection.go Optional+Computed"),
    query: echo("TF resource_webhook_connection.go Optional+Computed"),
    oauth: echo("TF resource_webhook_connection.go Optional+Computed"),
  },
  model: {
    id: computed("TF resource_model.go:36 Computed"),
    organization_id: computed("TF resource_model.go:43 `organization` Optional+Computed: the caller's organization"),
    name: echo("TF resource_model.go:52 Required"),
    connection_id: echo("TF resource_model.go:48 Required"),
    configuration: echo("TF resource_model.go:70 Optional+Computed, compared as a string: no key may be added"),
    fields: computed("TF resource_model.go:78 Optional+Computed, read back as the names of `fields` entries without `user_added`: the exposed columns, all of the file's when the request names none"),
    additional_fields: writeOnly("TF resource_model.go:84, read back from `fields` entries with `user_added: true` (resource_model.go:309): answered inside `fields`, not under its own key"),
    identifier: echo("TF resource_model.go:128 Optional+Computed with default \"\" and sent only when not empty: the server picks none"),
    tracking_columns: echo("TF resource_model.go:137 Optional+Computed", []),
    labels: echo("TS CreateModelRequest.labels (ids) answered as ModelResponse.labels (label objects); not in TF", []),
    relations: echo("TF resource_model.go:105 Optional+Computed (read back as answered, none as an empty set); TS CreateModelRequest.relations, ModelResponse.relations", []),
    enricher: echo("TS CreateModelRequest.enricher, ModelResponse.enricher (Enrichment); not in TF", null),
    policies: byDefault([], "TF resource_model.go:146 Computed only (TF never sends it)"),
    type: computed("TF resource_model.go:56 Computed: the source connection's type (TS wire models.test.ts)"),
    version: computed("TF resource_model.go:63 Computed+UseStateForUnknown: unchanged by an update's answer"),
    refresh: writeOnly("TS UpdateModelRequest.refresh: steers the request"),
    ...AUDIT,
  },
  sync: {
    id: computed("TF resource_sync.go:44 Computed"),
    organization_id: computed("TF resource_sync.go:51 `organization` Optional+Computed: the caller's organization"),
    name: echo("TF resource_sync.go:59 Required"),
    mode: echo("TF resource_sync.go:104 Required, read back as answered: not rewritten"),
    schedule: echo("TF resource_sync.go:272 Required; its parts Optional (absent when not sent)"),
    "schedule.run_after_success_only": echo("TF resource_sync.go:347 Optional+Computed; TS wire modelSync.test.ts shows it", false),
    target: echo("TF resource_sync.go:66-96: connection_id Required, object/configuration/new_name/filter_logic Optional"),
    "target.create": writeOnly("TF resource_sync.go:1172 preserveTargetCreate: \"the API never returns 'create'\""),
    fields: echo("TF resource_sync.go:108 Required set; each entry's new, sync_mode, override_value, encryption_enabled Optional, not Computed: absent when not sent; the override fields follow the sent ones (override_fields)"),
    override_fields: writeOnly("TF resource_sync.go:150 Optional, read back at :1238 \"the API merges override fields into the regular fields list\": answered inside `fields` (override_value, no source), not under its own key (TS SyncResponse lists it; TF wins)"),
    active: echo("TF resource_sync.go:100 Required: answered also when false"),
    identity: echo("TF resource_sync.go:355 Optional, not Computed"),
    "identity.remote_field_type_id": echo("TF resource_sync.go:380 Computed+UseStateForUnknown (any answer matches the plan); TS Identity.remote_field_type_id: answered as sent, absent otherwise"),
    "identity.new_field": echo("TF resource_sync.go:387 Optional+Computed+UseStateForUnknown; absent when not sent: Polytomic's acceptance test TestAccSyncResourceUpdateLifecycle (step 2 adds an identity without new_field to a sync that had none; the plan carries null from the prior state, so an answered false would fail it against the real API)", false),
    filters: echo("TF resource_sync.go:173 and :208 (`target_filters`) Optional, both sent in `filters` (field_type Model with `field`, Target with `field_id`, resource_sync.go:669, :705) and split back by field_type; each entry as sent (label Optional+Computed, :200)", []),
    filter_logic: echo("TF resource_sync.go:233 Optional, not Computed: absent when not sent (\"\" would differ from Terraform's null)"),
    overrides: echo("TF resource_sync.go:237 Optional", []),
    sync_all_records: byDefault(false, "TF resource_sync.go:398 Optional+Computed, `Default: booldefault.StaticBool(false)`"),
    only_enrich_updates: byDefault(false, "TF resource_sync.go:409 Optional+Computed; TS wire modelSync.test.ts (list and get) answer false"),
    skip_initial_backfill: byDefault(false, "TF resource_sync.go:414 Optional+Computed; TS wire modelSync.test.ts (list and get) answer false"),
    encryption_passphrase: writeOnly("TF resource_sync.go:404 Sensitive, restored from state: \"the API never returns it\" (TS's type lists it; TF wins)"),
    policies: byDefault([], "TF resource_sync.go:424 Computed only (TF never sends it)"),
    model_ids: computed("TF resource_sync.go:419 Computed: the models the fields read"),
    ...AUDIT,
  },
  webhook: {
    id: computed("TS Webhook.id"),
    organization_id: computed("TS Webhook.organization_id: the caller's organization"),
    endpoint: echo("TS CreateWebhooksSchema.endpoint (required), Webhook.endpoint"),
    secret: echo("TS CreateWebhooksSchema.secret (required), Webhook.secret; answered in clear (TS wire webhooks.test.ts); no TF resource"),
    disabled: byDefault(false, "TS Webhook.disabled; set by POST /api/webhooks/{id}/disable and /enable (DOCS)"),
    created_at: computed("TS Webhook.created_at"),
  },
  organization: {
    id: computed("TF resource_organization.go:42 Computed"),
    name: echo("TF resource_organization.go:30 Required"),
    sso_domain: echo("TF resource_organization.go:34 Optional, not Computed"),
    sso_org_id: echo("TF resource_organization.go:38 Optional, not Computed"),
    issuer: echo("TF resource_organization.go:49 Computed; TS CreateOrganizationRequestSchema.issuer: the OIDC issuer sent"),
    client_id: writeOnly("TS CreateOrganizationRequestSchema.client_id; not in Organization"),
    client_secret: writeOnly("TS CreateOrganizationRequestSchema.client_secret; not in Organization"),
  },
  role: {
    id: computed("TF resource_role.go:35 Computed"),
    name: echo("TF resource_role.go:32 Required"),
    organization_id: computed("TF resource_role.go:27 `organization` Optional+Computed, read back from every answer: the caller's organization"),
    system: byDefault(false, "TF resource_role.go:42 Computed, read back from every answer (\"system-managed role (read-only)\"); TS wire permissions/roles.test.ts answers false for a custom role"),
  },
  policy: {
    id: computed("TF resource_policy.go:57 Computed"),
    name: echo("TF resource_policy.go:35 Required"),
    organization_id: computed("TF resource_policy.go:30 `organization` Optional+Computed: the caller's organization"),
    policy_actions: byDefault([], "TF resource_policy.go:38 Optional+Computed set (the server fills it: none sent, none bound), read back keeping only the declared actions (the API may answer more); TS wire permissions/policies.test.ts"),
    "policy_actions.role_ids": echo("TF resource_policy.go:48 Optional+Computed; TS PolicyAction.role_ids"),
    system: byDefault(false, "TF resource_policy.go:64 Computed, read back from every answer; TS wire permissions/policies.test.ts answers false for a custom policy"),
  },
  user: {
    id: computed("TF resource_user.go:66 Computed"),
    organization_id: computed("TF resource_user.go:179 read back from every answer: the organization of the path"),
    email: computed("TF resource_user.go:188 \"Our backend normalizes email addresses to lowercase\": answered lowercased; an update does not change it (TS users Client `update`: \"email address is not affected\")"),
    role: computed("TF resource_user.go:51 Optional+Computed, read back case-insensitively (\"Our backend normalizes role names (e.g. Admin -> admin)\"): the legacy name of the user's role, `admin` or `user` (TF docs/resources/user.md)"),
    role_ids: computed("TF resource_user.go:57 Optional+Computed, read back from every answer; TS User.role_ids: the roles assigned, the built-in role of `role` when only that was sent"),
  },
  globalErrorSubscribers: {
    emails: echo("TF resource_global_error_subscribers.go:45 Required set, read back from every answer; its acceptance test expects the mixed-case emails it sent back exactly (no normalization); TS GlobalErrorSubscribersResponse.emails"),
  },
  bulkSync: {
    id: computed("TF resource_bulk_sync.go `id` Computed"),
    organization_id: computed("TF resource_bulk_sync.go `organization` Optional+Computed: the caller's organization"),
    name: echo("TF resource_bulk_sync.go `name` Required"),
    source_connection_id: echo("TF resource_bulk_sync.go `source.connection_id` Required"),
    destination_connection_id: echo("TF resource_bulk_sync.go `destination.connection_id` Required"),
    source_configuration: echo("TF resource_bulk_sync.go `source.configuration` Optional (read back from the answer on import)"),
    destination_configuration: echo("TF resource_bulk_sync.go `destination.configuration` Optional (read back from the answer on import)"),
    mode: byDefault("replicate", "TS CreateBulkSyncRequest.mode optional (its example sends none); `replicate` is the mode every destination takes (TF resource_bulk_sync_test.go: a PostgreSQL destination has no snapshot mode); TF `mode` Required"),
    active: byDefault(false, "TS CreateBulkSyncRequest.active optional, no default documented: a flag not sent is off; TF `active` Required (always sent)"),
    schedule: echo("1.18.1 SDK CreateBulkSyncRequest.schedule (2024-02-08 only); TF `schedule` Required, its parts Optional+Computed"),
    default_schedule: echo("TS CreateBulkSyncRequest.default_schedule (2025-09-18, required); answered with the server's `id` (TS BulkSyncDefaultScheduleResponse.id)"),
    additional_schedules: byDefault([], "TS CreateBulkSyncRequest.additional_schedules (2025-09-18); each answered with the server's `id`, `created_at`, `updated_at` (TS BulkSyncAdditionalScheduleResponse); not in TF"),
    schemas: writeOnly("TS BulkSyncResponse has no `schemas`: they are answered by GET /api/bulk/syncs/{id}/schemas (TF reads them there), rules under bulkSchema"),
    automatically_add_new_fields: byDefault("none", "TF resource_bulk_sync.go Optional+Computed, `Default: stringdefault.StaticString(BulkDiscoverNone)`"),
    automatically_add_new_objects: byDefault("none", "TF resource_bulk_sync.go Optional+Computed, `Default: stringdefault.StaticString(BulkDiscoverNone)`"),
    disable_record_timestamps: byDefault(false, "TF resource_bulk_sync.go Optional+Computed; TS: \"When true, Polytomic will not add its own timestamp columns\" (off unless sent)"),
    data_cutoff_timestamp: echo("TF resource_bulk_sync.go Optional, not Computed: absent when not sent"),
    concurrency_limit: echo("TF resource_bulk_sync.go Optional+Computed (\"Per-sync concurrency limit override\": none unless sent)"),
    resync_concurrency_limit: echo("TF resource_bulk_sync.go Optional+Computed (an override: none unless sent)"),
    normalize_names: echo("TF resource_bulk_sync.go Optional+Computed", "enabled"),
    policies: byDefault([], "TF resource_bulk_sync.go `policies` Optional+Computed"),
    ...AUDIT,
  },
  bulkSchema: {
    id: echo("TF resource_bulk_sync.go schemas `id`; TS BulkSchemaListItem.id: \"schema.table for databases\""),
    enabled: byDefault(true, "TF schemas `enabled` Optional+Computed; TS CreateBulkSyncRequest.schemas: listed schemas are synced"),
    output_name: computed("TF schemas `output_name` Optional+Computed; TS: \"Effective name of the object written to the destination\" (the emulator's rule: `<schema>_<table>`, emulator/bulk/schemas.ts)"),
    user_output_name: byDefault("", "TF schemas `user_output_name` Optional+Computed; TS: \"When empty, output_name is used\""),
    partition_key: byDefault("", "TF schemas `partition_key` Optional+Computed; TS: \"Empty if the destination does not require one\""),
    tracking_field: byDefault("", "TF schemas `tracking_field` Optional+Computed; TS: \"Empty if the schema performs full resyncs\""),
    data_cutoff_timestamp: echo("TF schemas `data_cutoff_timestamp` Optional, not Computed"),
    disable_data_cutoff: byDefault(false, "TF schemas `disable_data_cutoff` Optional+Computed"),
    fields: computed("TF schemas `fields` Optional+Computed: every field of the source schema, each `{id, enabled, obfuscated, output_name, user_output_name}` (TS BulkField); only in a schema's own answer, never in the list (TS BulkSchema.fields: \"not populated on the list endpoint\")"),
    filters: byDefault([], "TF schemas `filters` Optional+Computed; only in a schema's own answer, never in the list (TS BulkSchema.filters)"),
  },
} as const satisfies Record<string, Record<string, AnswerRule>>;

export type AnsweredObject = keyof typeof ANSWER_RULES;

/**
 * Fields Polytomic's clients show in answers that this contract does not model, with example
 * values: the emulator's `supersetAnswers` option adds them, so the providers are tested against
 * an API that says more than they know.
 */
export const UNMODELLED_ANSWER_FIELDS: Record<AnsweredObject, Record<string, unknown>> = {
  connection: { auth_url: "", auth_code: "" }, // TS CreateConnectionResponseSchema.auth_url, auth_code
  gcsConfiguration: {},
  webhookConfiguration: {},
  model: {},
  sync: {},
  webhook: {},
  organization: {},
  role: {},
  policy: {},
  user: {},
  globalErrorSubscribers: {},
  bulkSync: {},
  bulkSchema: {},
};

/** The rules of each connection type's `configuration`. */
export const CONFIGURATION_ANSWERS: Readonly<Record<string, AnsweredObject>> = { gcs: "gcsConfiguration", webhook: "webhookConfiguration" };

/**
 * The rules of a `configuration` field of every other connection type, by what its type's schema
 * (contract/connectionTypes, Polytomic's own) says of the field. {@link schemaConfigurationRules}
 * turns them into one type's field rules.
 */
export const SCHEMA_CONFIGURATION_RULES = {
  declared: echo("TF provider/gen/connections/resource.go.tmpl: every schema field is a `configuration` attribute, Required when the schema requires it, else Optional+Computed; TF's Create/Update send what is declared and read the answer back into state"),
  default: (value: unknown) =>
    echo("schema `default` (e.g. postgresql.json `port: 5432`, `ssl: true`): TF lists it in the attribute's description only and marks the attribute Optional+Computed, so an answer may hold it or not (a form default; no source shows it filled in)", value),
  sensitive: writeOnly("schema `sensitive` (TF attribute Sensitive): answered as \"********\" (TS wire connections.test.ts; TF resource.go.tmpl: \"the API masks sensitive values in responses\"); left out of a PUT, the stored value is kept (TF common.go handleSensitiveValues omits unchanged ones)"),
  readOnly: computed("schema `readOnly`/`readonly` (TF common.go getComputedOnlyFields: Computed only, stripped from requests): set by the server; masked too when also `sensitive`"),
  undeclared: writeOnly("a top-level field the schema lacks: accepted (the schemas' top level sets no `additionalProperties: false`, unlike every nested object) and not answered (inference: TF only ever sends schema fields, so no source shows one echoed)"),
} as const;

/** One connection type's `configuration` rules from its schema's properties (see {@link SCHEMA_CONFIGURATION_RULES}). */
export function schemaConfigurationRules(properties: Record<string, { default?: unknown; sensitive?: boolean; readOnly?: boolean; readonly?: boolean }>): Record<string, AnswerRule> {
  return Object.fromEntries(
    Object.entries(properties).map(([field, property]) => {
      if (property.readOnly === true || property.readonly === true) return [field, SCHEMA_CONFIGURATION_RULES.readOnly];
      if (property.sensitive === true) return [field, SCHEMA_CONFIGURATION_RULES.sensitive];
      if (property.default !== undefined) return [field, SCHEMA_CONFIGURATION_RULES.default(property.default)];
      return [field, SCHEMA_CONFIGURATION_RULES.declared];
    }),
  );
}

/**
 * The value the server may answer for a field the request did not send (a default, or an echoed
 * field's `filled` value), if it has one. A value equal to it declares nothing the server would
 * not have filled in by itself.
 */
export function serverFilled(object: AnsweredObject, field: string): { value: unknown } | undefined {
  const rule = (ANSWER_RULES[object] as Record<string, AnswerRule>)[field];
  if (rule?.rule === "default") return { value: rule.value };
  if (rule?.rule === "echo" && "filled" in rule) return { value: rule.filled };
  return undefined;
}

/** How much the server fills in beyond what was sent. */
export type AnswerFill = "rules" | "superset";

/**
 * The answer with every field the rules (and, for `superset`, every `filled` value and every
 * unmodelled field) say the server fills in, where the answer lacks it. Never overrides a value.
 */
export function fillAnswer<T extends Record<string, unknown>>(object: AnsweredObject, answer: T, fill: AnswerFill = "rules"): T {
  const out = fillByRules(ANSWER_RULES[object], answer, fill) as Record<string, unknown>;
  if (fill === "superset") for (const [key, value] of Object.entries(UNMODELLED_ANSWER_FIELDS[object])) fillAt(out, key, value);
  return out as T;
}

/** {@link fillAnswer} with a table of rules of its own (a connection type's, from its schema). */
export function fillByRules<T extends Record<string, unknown>>(rules: Record<string, AnswerRule>, answer: T, fill: AnswerFill = "rules"): T {
  const out = structuredClone(answer) as Record<string, unknown>;
  for (const [key, rule] of Object.entries(rules)) {
    if (rule.rule === "default") fillAt(out, key, rule.value);
    else if (fill === "superset" && rule.rule === "echo" && "filled" in rule) fillAt(out, key, rule.filled);
  }
  return out as T;
}

function fillAt(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let parent: unknown = target;
  for (const part of parts.slice(0, -1)) parent = (parent as Record<string, unknown>)[part];
  if (!parent || typeof parent !== "object" || Array.isArray(parent)) return;
  const last = parts[parts.length - 1];
  const holder = parent as Record<string, unknown>;
  if (holder[last] === undefined) holder[last] = structuredClone(value);
}

/** The table as Markdown, for providers/README.md. */
export function renderAnswerRules(): string {
  const lines: string[] = [];
  for (const [object, rules] of Object.entries(ANSWER_RULES) as [AnsweredObject, Record<string, AnswerRule>][]) {
    lines.push(`**${object}**`, "", "| field | rule | source |", "| --- | --- | --- |");
    for (const [field, rule] of Object.entries(rules)) lines.push(`| \`${field}\` | ${describeRule(rule)} | ${rule.source.replace(/\|/g, "\\|")} |`);
    lines.push("");
  }
  return lines.join("\n");
}

function describeRule(rule: AnswerRule): string {
  switch (rule.rule) {
    case "echo":
      return "filled" in rule ? `echoed (superset: \`${JSON.stringify(rule.filled)}\`)` : "echoed";
    case "default":
      return `default \`${JSON.stringify(rule.value)}\``;
    case "computed":
      return "computed";
    case "writeOnly":
      return "write-only";
  }
}
