/**
 * One API object -> the arguments of its resource (`ConnectionArgs`, `ModelArgs`, `ModelSyncArgs`,
 * `OrgWebhookArgs`), as the object is in the organization: ids of other exported objects become
 * references, secrets become stack-config secrets, and what the providers cannot declare is
 * reported instead of silently dropped.
 */
import { answers, bulkSyncs, canonicalJson, connections, connectionTypes, models, permissions, REDACTED, syncs, users, webhooks } from "../../contract";
import { Code, fields, Fields, fromJson, isEmpty, pathText, Value, Visitor } from "./values";

/** What a builder needs from the rest of the export. */
export interface ArgsContext {
  /** `<variable>.id` of an exported connection, model or earlier sync; the literal id otherwise. */
  connection(id: string): Value;
  model(id: string): Value;
  sync(id: string): Value;
  /** A role: `<variable>.id` of a written (custom) role, `getRoleOutput({ name }).id` of a built-in one. */
  role(id: string): Value;
  /** A policy: `<variable>.id` of a written (custom) policy, the id of a built-in one. */
  policy(id: string): Value;
  /**
   * A stack-config secret for the value at `property` (e.g. `sensitiveConfiguration.service_account`);
   * `key` names it in the config (default: the property without `sensitiveConfiguration.`), `object`
   * reads a structured value (`requireSecretObject`).
   */
  secret(property: string, opts?: { key?: string; object?: boolean }): Code;
  /** Something in the organization the resource cannot declare (said in a comment and on stderr). */
  note(text: string): void;
}

/** Masked values (`"********"`, anywhere in a free-form value) become stack-config secrets. */
const masks =
  (ctx: ArgsContext, prefix: readonly (string | number)[]): Visitor =>
  (value, path) =>
    value === REDACTED ? ctx.secret(pathText([...prefix, ...path])) : undefined;

/** `model_id` members (identity, filters) become model references. */
const modelIds =
  (ctx: ArgsContext, prefix: readonly (string | number)[]): Visitor =>
  (value, path) => {
    if (value === REDACTED) return ctx.secret(pathText([...prefix, ...path]));
    return path[path.length - 1] === "model_id" && typeof value === "string" ? ctx.model(value) : undefined;
  };

/** Lists the members of `object` outside `known` that hold something. */
function undeclared(object: Record<string, unknown>, known: readonly string[], prefix: string): string[] {
  return Object.keys(object)
    .filter((key) => !known.includes(key) && !isEmpty(object[key]) && object[key] !== false)
    .sort()
    .map((key) => `${prefix}${key}`);
}

/** Policy ids (connections, models, syncs): references to the written policies. */
const policyRefs = (ids: readonly string[] | null | undefined, ctx: ArgsContext): Value[] => (ids ?? []).map((id) => ctx.policy(id));

/**
 * The class a connection is written as: its typed class (`PostgresqlConnection`) when the package's
 * snapshot of Polytomic's types knows the type, the generic `Connection` otherwise.
 */
export function connectionClass(c: connections.Connection): string {
  return connectionTypes.connectionTypeSchema(c.type.id) ? connectionTypes.connectionClassName(c.type.id) : "Connection";
}

/** Values Polytomic derives or generates (a webhook's secret), or fills in itself when none is sent: no input. */
function isServerValue(type: string, key: string, value: unknown): boolean {
  if ((connections.SERVER_GENERATED_CONFIGURATION_KEYS[type] ?? []).includes(key) || isEmpty(value)) return true;
  const rules = answers.CONFIGURATION_ANSWERS[type];
  const filled = rules ? answers.serverFilled(rules, key) : undefined;
  return !!filled && canonicalJson(filled.value) === canonicalJson(value);
}

export function connectionArgs(c: connections.Connection, ctx: ArgsContext): Fields {
  const schema = connectionTypes.connectionTypeSchema(c.type.id);
  return schema ? typedConnectionArgs(c, schema, ctx) : genericConnectionArgs(c, ctx);
}

/** Arguments shared by both forms, around the configuration. */
function connectionFields(c: connections.Connection, ctx: ArgsContext, configuration: [string, Value | undefined][]): Fields {
  return fields(
    [
      ["adoptId", c.id],
      ["name", c.name],
      ...configuration,
      ["healthcheckInterval", c.healthcheck_interval ?? undefined],
      ["policies", policyRefs(c.policies, ctx)],
    ],
    ["configuration"],
  );
}

/**
 * A typed class: `type` fixed by the class, every field in `configuration`, each secret (the
 * schema's `sensitive` fields, the credentials it forgets, any masked value) from the stack config:
 * the class moves them to its secret side. Fields the schema does not declare (or marks read-only)
 * would fail its check at preview: they are named instead.
 */
function typedConnectionArgs(c: connections.Connection, schema: connectionTypes.ConnectionTypeSchema, ctx: ArgsContext): Fields {
  const type = c.type.id;
  const secretPaths = new Set(connectionTypes.secretPaths(type, schema));
  const properties = schema.properties ?? {};
  const readOnly = new Set(connectionTypes.readOnlyKeys(schema));
  const configuration: Fields = {};
  const secret = (path: string, value: unknown) =>
    ctx.secret(`configuration.${path}`, { key: path, object: value !== undefined && value !== REDACTED && typeof value !== "string" });
  const visit: Visitor = (value, path) => {
    const dotted = path.join(".");
    return value === REDACTED || (path.length > 0 && path.every((p) => typeof p === "string") && secretPaths.has(dotted)) ? secret(dotted, value) : undefined;
  };
  for (const key of Object.keys(c.configuration).sort()) {
    const value = c.configuration[key];
    if (readOnly.has(key) || isServerValue(type, key, value)) continue;
    if (!Object.hasOwn(properties, key)) {
      ctx.note(`configuration.${key} (not a field of type "${type}" in this package's snapshot of Polytomic's types)`);
      continue;
    }
    const converted = fromJson(value, (v, p) => visit(v, [key, ...p]));
    if (converted !== undefined) configuration[key] = converted;
  }
  // A required secret the API does not show back at all is still an input the class needs.
  for (const key of schema.required ?? []) {
    if (configuration[key] === undefined && secretPaths.has(key)) configuration[key] = secret(key, undefined);
  }
  return connectionFields(c, ctx, [["configuration", configuration]]);
}

/** The generic `Connection` (a type newer than the snapshot): `type` and an untyped configuration. */
function genericConnectionArgs(c: connections.Connection, ctx: ArgsContext): Fields {
  const type = c.type.id;
  const secretKeys = connections.SECRET_CONFIGURATION_KEYS[type] ?? [];
  const configuration: Fields = {};
  const sensitive: Fields = {};
  for (const key of Object.keys(c.configuration).sort()) {
    const value = c.configuration[key];
    if (isServerValue(type, key, value)) continue;
    if (secretKeys.includes(key) || value === REDACTED) {
      // Even a secret the API did show in clear goes to the stack config, never into code.
      sensitive[key] = ctx.secret(`sensitiveConfiguration.${key}`);
      continue;
    }
    const converted = fromJson(value, masks(ctx, ["configuration", key]));
    if (converted !== undefined) configuration[key] = converted;
  }
  return connectionFields(c, ctx, [
    ["type", type],
    ["configuration", configuration],
    ["sensitiveConfiguration", sensitive],
  ]);
}

export function modelArgs(m: models.Model, ctx: ArgsContext): Fields {
  const source = m.fields.filter((f) => !f.user_added).map((f) => f.name);
  const additional = m.fields
    .filter((f) => f.user_added)
    .map((f) =>
      fields([
        ["name", f.name],
        ["label", f.label ?? f.name],
        ["type", f.type ?? "string"],
        ["example", typeof f.example === "string" ? f.example : undefined],
      ]),
    );
  const labels = (m.labels ?? []).flatMap((label) => {
    if (typeof label === "string") return [label];
    const id = (label as { id?: unknown } | null)?.id;
    return typeof id === "string" ? [id] : [];
  });
  return fields(
    [
      ["adoptId", m.id],
      ["name", m.name],
      ["connectionId", ctx.connection(m.connection_id)],
      ["configuration", fromJson(m.configuration, masks(ctx, ["configuration"]))],
      ["fields", source],
      ["additionalFields", additional],
      ["identifier", m.identifier ?? undefined],
      ["trackingColumns", fromJson(m.tracking_columns)],
      ["relations", (m.relations ?? []).map((r) => fields([["from", r.from], ["to", r.to?.model_id ? { modelId: ctx.model(r.to.model_id), field: r.to.field ?? null } : undefined]]))],
      [
        "enricher",
        m.enricher
          ? fields([
              ["connectionId", m.enricher.connection_id ? ctx.connection(m.enricher.connection_id) : undefined],
              ["enricherId", m.enricher.enricher_id],
              ["configuration", fromJson(m.enricher.configuration, masks(ctx, ["enricher", "configuration"]))],
              ["mappings", fromJson(m.enricher.mappings)],
            ])
          : undefined,
      ],
      ["labels", labels],
      ["policies", policyRefs(m.policies, ctx)],
    ],
    ["configuration"],
  );
}

/** When a schedule runs: the parts model syncs' and bulk syncs' schedules share. */
type ScheduleTime = { frequency: string } & Partial<Record<"hour" | "minute" | "day_of_week" | "day_of_month" | "month", string | null>>;
const scheduleParts = (s: ScheduleTime): [string, Value | undefined][] => [
  ["frequency", s.frequency],
  ["hour", s.hour ?? undefined],
  ["minute", s.minute ?? undefined],
  ["dayOfWeek", s.day_of_week ?? undefined],
  ["dayOfMonth", s.day_of_month ?? undefined],
  ["month", s.month ?? undefined],
];

function scheduleArgs(s: syncs.Schedule, ctx: ArgsContext): Fields {
  const runAfter = s.run_after
    ? fields([
        ["syncIds", (s.run_after.sync_ids ?? []).map((id) => ctx.sync(id))],
        ["bulkSyncIds", fromJson(s.run_after.bulk_sync_ids)],
      ])
    : undefined;
  const known = ["frequency", "hour", "minute", "day_of_week", "day_of_month", "month", "run_after", "run_after_success_only", "job_id", "connection_id"];
  for (const extra of undeclared(s, known, "schedule.")) ctx.note(extra);
  return fields([
    ...scheduleParts(s),
    ["runAfter", runAfter],
    ["runAfterSuccessOnly", s.run_after_success_only === true ? true : undefined],
    ["jobId", s.job_id == null ? undefined : Number(s.job_id)],
    ["connectionId", s.connection_id ? ctx.connection(s.connection_id) : undefined],
  ]);
}

/** A model field reference, the model as a reference. */
const fieldRef = (source: { model_id: string; field: string }, ctx: ArgsContext): Fields => ({ modelId: ctx.model(source.model_id), field: source.field });

/** An answered field that is an override field: a constant with no real source (answers.ts `override_fields`). */
const isOverrideField = (f: syncs.SyncField) =>
  f.override_value != null && (!f.source || f.source.model_id === "" || f.source.model_id === "00000000-0000-0000-0000-000000000000");

function syncFieldArgs(f: syncs.SyncField, i: number, ctx: ArgsContext): Fields {
  for (const extra of undeclared(f, ["target", "source", "override_value", "sync_mode", "new", "encryption_enabled"], `fields[${i}].`)) ctx.note(extra);
  const override = typeof f.override_value === "string" && (f.override_value !== "" || !f.source) ? f.override_value : undefined;
  return fields([
    ["target", f.target],
    ["source", f.source ? fieldRef(f.source, ctx) : undefined],
    ["overrideValue", override],
    ["syncMode", f.sync_mode],
    ["new", f.new === true ? true : undefined],
    ["encryptionEnabled", f.encryption_enabled === true ? true : undefined],
  ]);
}

export function syncArgs(s: syncs.Sync, ctx: ArgsContext): Fields {
  const target = s.target;
  for (const extra of undeclared(target, ["connection_id", "object", "configuration", "new_name", "filter_logic", "search_values"], "target.")) ctx.note(extra);
  for (const extra of undeclared(s, [...SYNC_DECLARED, ...SYNC_READ_ONLY], "")) ctx.note(extra);
  // Booleans the provider leaves unsent when omitted (the API then takes false) are written only when true.
  const onlyTrue = (value: boolean | undefined) => (value === true ? true : undefined);
  const filters = s.filters ?? [];
  const identity = s.identity;
  // A model filter or override that names its field by id alone has no input form (the providers name fields).
  filters.forEach((f, i) => f.field_type !== "Target" && !f.field && ctx.note(`filters[${i}] (by field_id only)`));
  (s.overrides ?? []).forEach((o, i) => !o.field && ctx.note(`overrides[${i}] (by field_id only)`));
  return fields([
    ["adoptId", s.id],
    ["name", s.name],
    ["mode", s.mode],
    ["schedule", scheduleArgs(s.schedule, ctx)],
    [
      "target",
      fields([
        ["connectionId", ctx.connection(target.connection_id)],
        ["object", target.object],
        ["configuration", fromJson(target.configuration, masks(ctx, ["target", "configuration"]))],
        ["newName", target.new_name],
        ["filterLogic", target.filter_logic],
        ["searchValues", fromJson(target.search_values, masks(ctx, ["target", "search_values"]))],
      ]),
    ],
    ["fields", s.fields.filter((f) => !isOverrideField(f)).map((f, i) => syncFieldArgs(f, i, ctx))],
    [
      "overrideFields",
      s.fields.filter(isOverrideField).map((f) =>
        fields([
          ["target", f.target],
          ["overrideValue", f.override_value ?? undefined],
          ["syncMode", f.sync_mode],
          ["new", f.new === true ? true : undefined],
        ]),
      ),
    ],
    // The provider's default is true: an inactive sync must say so, an active one says it too.
    ["active", s.active ?? true],
    [
      "identity",
      identity
        ? fields([
            ["source", fieldRef(identity.source, ctx)],
            ["target", identity.target],
            ["function", identity.function],
            ["newField", onlyTrue(identity.new_field)],
            ["remoteFieldTypeId", identity.remote_field_type_id],
          ])
        : undefined,
    ],
    [
      "filters",
      filters
        .filter((f) => f.field_type !== "Target" && f.field)
        .map((f) => fields([["source", fieldRef(f.field!, ctx)], ["function", f.function], ["value", fromJson(f.value)], ["label", f.label]])),
    ],
    ["filterLogic", s.filter_logic],
    [
      "targetFilters",
      filters
        .filter((f) => f.field_type === "Target")
        .map((f) => fields([["field", f.field_id], ["function", f.function], ["value", fromJson(f.value)], ["label", f.label]])),
    ],
    [
      "overrides",
      (s.overrides ?? [])
        .filter((o) => o.field)
        .map((o) => fields([["source", fieldRef(o.field!, ctx)], ["function", o.function], ["value", fromJson(o.value)], ["override", fromJson(o.override)]])),
    ],
    ["syncAllRecords", onlyTrue(s.sync_all_records)],
    ["skipInitialBackfill", onlyTrue(s.skip_initial_backfill)],
    ["onlyEnrichUpdates", onlyTrue(s.only_enrich_updates)],
    ["policies", policyRefs(s.policies, ctx)],
  ]);
}

/** API members of a sync that `syncArgs` declares. */
const SYNC_DECLARED = [
  "name", "mode", "schedule", "target", "fields", "active", "identity", "filters", "filter_logic", "overrides",
  "sync_all_records", "skip_initial_backfill", "only_enrich_updates", "policies",
];
/** Members that are not inputs (ids, timestamps, what the server derives). */
const SYNC_READ_ONLY = ["id", "organization_id", "model_ids", "created_at", "created_by", "updated_at", "updated_by"];

export function orgWebhookArgs(w: webhooks.Webhook, ctx: ArgsContext): Fields {
  return fields([
    ["adoptId", w.id],
    ["endpoint", w.endpoint],
    // Required by every update, never trusted from a read: always the stack's secret.
    ["secret", ctx.secret("secret")],
    ["disabled", w.disabled ?? false],
  ]);
}

export function roleArgs(r: permissions.Role): Fields {
  return fields([
    ["adoptId", r.id],
    ["name", r.name],
  ]);
}

export function policyArgs(p: permissions.Policy, ctx: ArgsContext): Fields {
  const actions = (p.policy_actions ?? []).map((a) =>
    fields([
      ["action", a.action],
      ["roleIds", (a.role_ids ?? []).map((id) => ctx.role(id))],
    ]),
  );
  return fields([
    ["adoptId", p.id],
    ["name", p.name],
    ["policyActions", actions],
  ]);
}

/** A user lives in one organization, named by id (the user endpoints take the partner key scoped to it). */
export function userArgs(u: users.User, ctx: ArgsContext): Fields {
  const roleIds = (u.role_ids ?? []).map((id) => ctx.role(id));
  return fields([
    ["adoptId", u.id],
    ["email", u.email],
    ["organizationId", u.organization_id],
    ["roleIds", roleIds],
    // The deprecated role name only when no role id says more.
    ["role", roleIds.length === 0 && (u.role === "admin" || u.role === "user") ? u.role : undefined],
  ]);
}

/** The organization's one list of error subscribers; its id is fixed (providers/runtime/kinds/globalErrorSubscribers.ts). */
export function errorSubscribersArgs(s: { id: string; emails: string[] }): Fields {
  return fields([
    ["adoptId", s.id],
    ["emails", [...s.emails]],
  ]);
}

/** A bulk sync as read: the sync, and its schemas each read in full (fields and filters). */
export type BulkSyncSnapshot = bulkSyncs.BulkSync & { schemas: bulkSyncs.BulkSchema[] };

const bulkScheduleArgs = (s: bulkSyncs.BulkSchedule): Fields => fields(scheduleParts(s));

/**
 * One selected schema. Fields: none declared when every field is enabled and shown (the API's
 * "every field" when none are listed); otherwise the enabled ones, as listing them selects them.
 */
function bulkSchemaArgs(schema: bulkSyncs.BulkSchema, ctx: ArgsContext, at: string): Fields {
  const all = schema.fields ?? [];
  const everyField = all.every((f) => f.enabled !== false && f.obfuscated !== true);
  const selected: Fields = {};
  if (!everyField) for (const f of all.filter((f) => f.enabled !== false)) selected[f.id] = f.obfuscated ? { obfuscate: true } : { enabled: true };
  for (const f of all) if (f.user_output_name) ctx.note(`${at}.fields.${f.id}.user_output_name`);
  return fields([
    ["partitionKey", schema.partition_key || undefined],
    ["trackingField", schema.tracking_field || undefined],
    ["dataCutoffTimestamp", schema.data_cutoff_timestamp ?? undefined],
    ["disableDataCutoff", schema.disable_data_cutoff === true ? true : undefined],
    ["userOutputName", schema.user_output_name || undefined],
    ["fields", selected],
    ["filters", (schema.filters ?? []).map((f) => fields([["fieldId", f.field_id], ["function", f.function], ["value", fromJson(f.value)]]))],
  ]);
}

export function bulkSyncArgs(b: BulkSyncSnapshot, ctx: ArgsContext): Fields {
  const schedule = b.default_schedule ?? b.schedule;
  const schemas: Fields = {};
  // Listing the selected schemas selects them, and only them (emulator/bulk/schemas.ts, TS CreateBulkSyncRequest.schemas).
  for (const schema of [...b.schemas].filter((s) => s.enabled !== false).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    schemas[schema.id] = bulkSchemaArgs(schema, ctx, `schemas.${schema.id}`);
  }
  const endpoint = (connectionId: string, configuration: unknown, at: string) =>
    fields([
      ["connectionId", ctx.connection(connectionId)],
      ["configuration", fromJson(configuration, masks(ctx, [at, "configuration"]))],
    ]);
  const limit = (n: number | null | undefined) => (n ? n : undefined);
  return fields([
    ["adoptId", b.id],
    ["name", b.name],
    ["source", endpoint(b.source_connection_id, b.source_configuration, "source")],
    ["destination", endpoint(b.destination_connection_id, b.destination_configuration, "destination")],
    ["mode", b.mode],
    ["active", b.active ?? false],
    ["schedule", schedule ? bulkScheduleArgs(schedule) : undefined],
    [
      "additionalSchedules",
      (b.additional_schedules ?? []).map((a) =>
        fields([
          ...Object.entries(bulkScheduleArgs(a)),
          ["schemas", fromJson(a.schemas)],
          ["selectiveMode", a.selective_mode ?? undefined],
          ["resyncMode", a.resync_mode ?? undefined],
        ]),
      ),
    ],
    ["schemas", schemas],
    // Server defaults (contract/answers.ts bulkSync) are left out.
    ["automaticallyAddNewFields", b.automatically_add_new_fields === "none" ? undefined : b.automatically_add_new_fields],
    ["automaticallyAddNewObjects", b.automatically_add_new_objects === "none" ? undefined : b.automatically_add_new_objects],
    ["disableRecordTimestamps", b.disable_record_timestamps === true ? true : undefined],
    ["dataCutoffTimestamp", b.data_cutoff_timestamp ?? undefined],
    ["concurrencyLimit", limit(b.concurrency_limit)],
    ["resyncConcurrencyLimit", limit(b.resync_concurrency_limit)],
    ["normalizeNames", b.normalize_names],
    ["policies", policyRefs(b.policies, ctx)],
  ]);
}

/** A schema's primary key as the API shows it (the source's own keys and an override look alike). */
export interface PrimaryKeySnapshot {
  /** `<connection id>/<schema id>`, the resource's id. */
  id: string;
  connection_id: string;
  schema_id: string;
  field_ids: string[];
}

export function primaryKeysArgs(k: PrimaryKeySnapshot, ctx: ArgsContext): Fields {
  return fields([
    ["adoptId", k.id],
    ["connectionId", ctx.connection(k.connection_id)],
    ["schemaId", k.schema_id],
    ["fieldIds", [...k.field_ids]],
  ]);
}
