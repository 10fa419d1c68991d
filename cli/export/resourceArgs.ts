/**
 * One API object -> the arguments of its resource (`ConnectionArgs`, `ModelArgs`, `ModelSyncArgs`,
 * `OrgWebhookArgs`), as the object is in the organization: ids of other exported objects become
 * references, secrets become stack-config secrets, and what the providers cannot declare is
 * reported instead of silently dropped.
 */
import { answers, canonicalJson, connections, models, REDACTED, syncs, webhooks } from "../../contract";
import { Code, fields, Fields, fromJson, isEmpty, pathText, Value, Visitor } from "./values";

/** What a builder needs from the rest of the export. */
export interface ArgsContext {
  /** `<variable>.id` of an exported connection, model or earlier sync; the literal id otherwise. */
  connection(id: string): Value;
  model(id: string): Value;
  sync(id: string): Value;
  /** A stack-config secret for the value at `property` (e.g. `sensitiveConfiguration.service_account`). */
  secret(property: string): Code;
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

export function connectionArgs(c: connections.Connection, ctx: ArgsContext): Fields {
  const type = c.type.id;
  const generated = connections.SERVER_GENERATED_CONFIGURATION_KEYS[type] ?? [];
  const secretKeys = connections.SECRET_CONFIGURATION_KEYS[type] ?? [];
  const rules = answers.CONFIGURATION_ANSWERS[type];
  const configuration: Fields = {};
  const sensitive: Fields = {};
  for (const key of Object.keys(c.configuration).sort()) {
    const value = c.configuration[key];
    // Values Polytomic derives or generates (a webhook connection's secret) are not inputs.
    if (generated.includes(key) || isEmpty(value)) continue;
    // A value the server fills in by itself when none is sent (contract/answers.ts) declares nothing.
    const filled = rules ? answers.serverFilled(rules, key) : undefined;
    if (filled && canonicalJson(filled.value) === canonicalJson(value)) continue;
    if (secretKeys.includes(key) || value === REDACTED) {
      // Even a secret the API did show in clear goes to the stack config, never into code.
      sensitive[key] = ctx.secret(`sensitiveConfiguration.${key}`);
      continue;
    }
    const converted = fromJson(value, masks(ctx, ["configuration", key]));
    if (converted !== undefined) configuration[key] = converted;
  }
  return fields(
    [
      ["adoptId", c.id],
      ["name", c.name],
      ["type", type],
      ["configuration", configuration],
      ["sensitiveConfiguration", sensitive],
      ["healthcheckInterval", c.healthcheck_interval ?? undefined],
      ["policies", fromJson(c.policies)],
    ],
    ["configuration"],
  );
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
      ["policies", fromJson(m.policies)],
    ],
    ["configuration"],
  );
}

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
    ["frequency", s.frequency],
    ["hour", s.hour ?? undefined],
    ["minute", s.minute ?? undefined],
    ["dayOfWeek", s.day_of_week ?? undefined],
    ["dayOfMonth", s.day_of_month ?? undefined],
    ["month", s.month ?? undefined],
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
    ["policies", fromJson(s.policies)],
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
