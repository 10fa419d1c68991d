/** ModelSync: fields of a model delivered to a target object, on a schedule. */
import { z } from "zod";
import { isNotFound } from "../../../client";
import { fieldNames, syncs } from "../../../contract";
import type { Failure, KindSpec, ServerView } from "../kind";
import { issuesToFailures } from "../checkFailures";
import { compact, containsUnknown, UNKNOWN } from "../shape";

const SourceArgs = z.object({ modelId: z.string().min(1), field: z.string().min(1) });

const ScheduleArgs = z.object({
  frequency: z.enum(syncs.SCHEDULE_FREQUENCIES),
  hour: syncs.ScheduleHour.optional(),
  minute: syncs.ScheduleMinute.optional(),
  dayOfWeek: z.string().optional(),
  dayOfMonth: z.string().optional(),
  month: z.string().optional(),
  runAfter: z.object({ syncIds: z.array(z.string()).optional(), bulkSyncIds: z.array(z.string()).optional() }).optional(),
  runAfterSuccessOnly: z.boolean().optional(),
  jobId: z.number().int().optional(),
  connectionId: z.string().min(1).optional(),
});

const FieldArgs = z.object({
  /** Optional for a webhook target (`object: "http"`), where it can only be "record" and is sent as such. */
  target: z.string().min(1, "must name the target field").optional(),
  source: SourceArgs.optional(),
  overrideValue: z.string().optional(),
  syncMode: syncs.SyncMode.optional(),
  new: z.boolean().optional(),
  encryptionEnabled: z.boolean().optional(),
});

const OverrideFieldArgs = z.object({
  target: z.string().min(1, "must name the target field"),
  overrideValue: z.string(),
  syncMode: syncs.SyncMode.optional(),
  new: z.boolean().optional(),
});

const FilterArgs = z.object({ source: SourceArgs, function: syncs.FilterFunction, value: z.unknown().optional(), label: z.string().optional() });
const TargetFilterArgs = z.object({ field: z.string().min(1), function: syncs.FilterFunction, value: z.unknown().optional(), label: z.string().optional() });
const OverrideArgs = z.object({ source: SourceArgs, function: syncs.FilterFunction, value: z.unknown().optional(), override: z.unknown() });

const IdentityArgs = z.object({
  source: SourceArgs,
  target: z.string().min(1, "must name the target field records are matched on"),
  function: z.enum(syncs.IDENTITY_FUNCTIONS),
  newField: z.boolean().optional(),
  remoteFieldTypeId: z.string().min(1).optional(),
});

export const ModelSyncArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  mode: syncs.SyncMode,
  schedule: ScheduleArgs.optional(),
  target: z.object({
    connectionId: z.string().min(1, "must be a connection id"),
    object: z.string().optional(),
    configuration: z.record(z.string(), z.unknown()).optional(),
    create: z.record(z.string(), z.string()).optional(),
    newName: z.string().min(1).optional(),
    filterLogic: z.string().optional(),
    searchValues: z.record(z.string(), z.unknown()).optional(),
  }),
  fields: z.array(FieldArgs).min(1, "must map at least one field"),
  overrideFields: z.array(OverrideFieldArgs).optional(),
  active: z.boolean().optional(),
  identity: IdentityArgs.optional(),
  filters: z.array(FilterArgs).optional(),
  filterLogic: z.string().optional(),
  targetFilters: z.array(TargetFilterArgs).optional(),
  overrides: z.array(OverrideArgs).optional(),
  syncAllRecords: z.boolean().optional(),
  skipInitialBackfill: z.boolean().optional(),
  onlyEnrichUpdates: z.boolean().optional(),
  encryptionPassphrase: z.string().min(1, "must not be empty (leave it out for none)").optional(),
  policies: z.array(z.string()).optional(),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type ModelSyncArgs = z.infer<typeof ModelSyncArgs>;

const MANUAL = { frequency: "manual" } as const;

function crossChecks(args: ModelSyncArgs): Failure[] {
  const failures: Failure[] = [];
  const object = args.target?.object;
  if (object === "http") {
    // Polytomic's custom-webhook guide: the target object is `http` and the mode is always updateOrCreate.
    if (args.mode !== "updateOrCreate" && (args.mode as string) !== UNKNOWN) {
      failures.push({ property: "mode", reason: 'must be "updateOrCreate" for a webhook target (target.object "http")' });
    }
    const configuration = args.target.configuration ?? {};
    const parsed = syncs.HttpTargetConfiguration.safeParse(configuration);
    if (!parsed.success) failures.push(...issuesToFailures(parsed.error.issues, configuration, ["target", "configuration"]));
  }
  const toWebhook = object === "http";
  // Which rules apply depends on the target object: not judged while it is unknown.
  if (object === UNKNOWN) return failures;
  (args.fields ?? []).forEach((field, i) => {
    if (!field) return;
    if (toWebhook) {
      // Polytomic's custom-webhook guide: every field's target is "record" and the record key is
      // the source field's normalized name, so there is no target to choose and nothing to rename.
      if (field.target !== undefined && field.target !== fieldNames.WEBHOOK_FIELD_TARGET && field.target !== UNKNOWN) {
        failures.push({
          property: `fields[${i}].target`,
          reason: `must be "record" or left out (${fieldNames.WEBHOOK_TARGET_RULE}); to deliver a column under another name, rename the column in the source`,
        });
      }
      if (!field.source) failures.push({ property: `fields[${i}].source`, reason: "a webhook sync delivers model fields: name the source field" });
    } else {
      if (field.target === undefined) failures.push({ property: `fields[${i}].target`, reason: "must name the target field" });
      if (!field.source && field.overrideValue === undefined) {
        failures.push({ property: `fields[${i}]`, reason: "needs a source (model field) or an overrideValue" });
      }
    }
  });
  if (toWebhook) failures.push(...recordKeyFailures(args));
  failures.push(...optionFailures(args));
  return failures;
}

/** Rules of the options beyond the field mapping, each from Polytomic's Terraform provider or guide. */
function optionFailures(args: ModelSyncArgs): Failure[] {
  const failures: Failure[] = [];
  const known = (value: unknown) => value !== undefined && !containsUnknown(value);
  // TF resource_sync.go:72 `target.object`: "Mutually exclusive with `create`".
  if (known(args.target?.create) && args.target?.object !== undefined) {
    failures.push({ property: "target.create", reason: "name an existing object (target.object) or a new one (target.create), not both" });
  }
  // TF resource_sync.go:208 `target_filters`: "Only valid for syncs with mode `update`".
  if ((args.targetFilters?.length ?? 0) > 0 && args.mode !== "update" && (args.mode as string) !== UNKNOWN) {
    failures.push({ property: "targetFilters", reason: 'only valid for syncs with mode "update"' });
  }
  if (args.target?.object === "http" && (args.overrideFields?.length ?? 0) > 0) {
    // Polytomic's custom-webhook guide: each record carries model fields under their own names.
    failures.push({ property: "overrideFields", reason: "a webhook sync delivers model fields under their own names; a constant has no record key" });
  }
  const schedule = args.schedule;
  if (schedule && (schedule.frequency as string) !== UNKNOWN) {
    // TF resource_sync.go `schedule.run_after`: "Used with `runafter` frequency".
    const after = [...(schedule.runAfter?.syncIds ?? []), ...(schedule.runAfter?.bulkSyncIds ?? [])];
    if (schedule.frequency === "runafter" && schedule.runAfter !== undefined && !containsUnknown(schedule.runAfter) && after.length === 0) {
      failures.push({ property: "schedule.runAfter", reason: "name the syncs (syncIds) or bulk syncs (bulkSyncIds) this one runs after" });
    }
    if (schedule.frequency === "runafter" && schedule.runAfter === undefined) {
      failures.push({ property: "schedule.runAfter", reason: 'a "runafter" schedule names the syncs it runs after' });
    }
    if (schedule.frequency !== "runafter" && schedule.runAfter !== undefined) {
      failures.push({ property: "schedule.runAfter", reason: 'only used with frequency "runafter"' });
    }
  }
  return failures;
}

/** Source fields that would arrive under one record key, or under none (names known at preview only). */
function recordKeyFailures(args: ModelSyncArgs): Failure[] {
  const names = (args.fields ?? [])
    .map((field) => field?.source?.field)
    .filter((name): name is string => typeof name === "string" && !name.includes(UNKNOWN));
  return fieldNames
    .fieldNameProblems(names)
    .map((problem) => ({ property: "fields", reason: fieldNames.describeFieldNameProblem(problem) }));
}

/** A field's target as sent: "record" for a webhook target, whatever was declared otherwise. */
function fieldTarget(args: ModelSyncArgs, field: ModelSyncArgs["fields"][number]): string {
  return args.target.object === "http" ? fieldNames.WEBHOOK_FIELD_TARGET : (field.target as string);
}

function scheduleBody(schedule: ModelSyncArgs["schedule"]): syncs.Schedule {
  const s = schedule ?? MANUAL;
  return compact({
    frequency: s.frequency,
    hour: "hour" in s ? s.hour : undefined,
    minute: "minute" in s ? s.minute : undefined,
    day_of_week: "dayOfWeek" in s ? s.dayOfWeek : undefined,
    day_of_month: "dayOfMonth" in s ? s.dayOfMonth : undefined,
    month: "month" in s ? s.month : undefined,
    run_after:
      "runAfter" in s && s.runAfter ? compact({ sync_ids: s.runAfter.syncIds, bulk_sync_ids: s.runAfter.bulkSyncIds }) : undefined,
    run_after_success_only: "runAfterSuccessOnly" in s ? s.runAfterSuccessOnly : undefined,
    job_id: "jobId" in s ? s.jobId : undefined,
    connection_id: "connectionId" in s ? s.connectionId : undefined,
  });
}

const sourceBody = (source: { modelId: string; field: string }) => ({ model_id: source.modelId, field: source.field });
const sourceView = (source: { model_id: string; field: string }) => ({ modelId: source.model_id, field: source.field });

/**
 * Model filters and target filters travel in one `filters` list, told apart by `field_type`
 * (TF resource_sync.go modelFiltersToSDK / targetFiltersToSDK); undefined when neither is declared.
 */
function filtersBody(args: ModelSyncArgs): syncs.CreateSyncRequest["filters"] {
  if (args.filters === undefined && args.targetFilters === undefined) return undefined;
  return [
    ...(args.filters ?? []).map((f) =>
      compact({ field: sourceBody(f.source), field_type: "Model" as const, function: f.function, value: f.value, label: f.label }),
    ),
    ...(args.targetFilters ?? []).map((f) =>
      compact({ field_id: f.field, field_type: "Target" as const, function: f.function, value: f.value, label: f.label }),
    ),
  ];
}

function body(args: ModelSyncArgs): syncs.CreateSyncRequest {
  const t = args.target;
  return compact({
    name: args.name,
    mode: args.mode,
    schedule: scheduleBody(args.schedule),
    target: compact({
      connection_id: t.connectionId,
      object: t.object,
      configuration: t.configuration,
      create: t.create,
      new_name: t.newName,
      filter_logic: t.filterLogic,
      search_values: t.searchValues,
    }),
    fields: args.fields.map((f) =>
      compact({
        target: fieldTarget(args, f),
        source: f.source ? sourceBody(f.source) : undefined,
        override_value: f.overrideValue,
        sync_mode: f.syncMode,
        new: f.new,
        encryption_enabled: f.encryptionEnabled,
      }),
    ),
    override_fields: args.overrideFields?.map((f) => compact({ target: f.target, override_value: f.overrideValue, sync_mode: f.syncMode, new: f.new })),
    active: args.active ?? true,
    identity: args.identity
      ? compact({
          source: sourceBody(args.identity.source),
          target: args.identity.target,
          function: args.identity.function,
          new_field: args.identity.newField,
          remote_field_type_id: args.identity.remoteFieldTypeId,
        })
      : undefined,
    filters: filtersBody(args),
    filter_logic: args.filterLogic,
    overrides: args.overrides?.map((o) => compact({ field: sourceBody(o.source), function: o.function, value: o.value, override: o.override })),
    sync_all_records: args.syncAllRecords,
    skip_initial_backfill: args.skipInitialBackfill,
    only_enrich_updates: args.onlyEnrichUpdates,
    encryption_passphrase: args.encryptionPassphrase,
    policies: args.policies,
    organization_id: args.organizationId,
  });
}

/** The all-zero model id answers give an override field's source (TF syncDataFromResponse). */
const NO_MODEL = "00000000-0000-0000-0000-000000000000";

/** An answered field that is an override field: a constant with no real source (TF syncDataFromResponse). */
function isOverrideField(f: syncs.SyncField): boolean {
  return f.override_value != null && (!f.source || f.source.model_id === "" || f.source.model_id === NO_MODEL);
}

function scheduleView(s: syncs.Schedule) {
  return compact({
    frequency: s.frequency,
    hour: s.hour ?? undefined,
    minute: s.minute ?? undefined,
    dayOfWeek: s.day_of_week ?? undefined,
    dayOfMonth: s.day_of_month ?? undefined,
    month: s.month ?? undefined,
    runAfter: s.run_after ? compact({ syncIds: s.run_after.sync_ids, bulkSyncIds: s.run_after.bulk_sync_ids }) : undefined,
    runAfterSuccessOnly: s.run_after_success_only ?? undefined,
    jobId: s.job_id == null ? undefined : Number(s.job_id),
    connectionId: s.connection_id ?? undefined,
  });
}

function view(server: syncs.Sync): ServerView {
  const filters = server.filters ?? [];
  const identity = server.identity;
  return {
    asInputs: {
      name: server.name,
      mode: server.mode,
      schedule: scheduleView(server.schedule),
      target: compact({
        connectionId: server.target.connection_id,
        object: server.target.object,
        configuration: server.target.configuration ?? undefined,
        newName: server.target.new_name,
        filterLogic: server.target.filter_logic,
        searchValues: server.target.search_values,
      }),
      fields: server.fields
        .filter((f) => !isOverrideField(f))
        .map((f) =>
          compact({
            target: f.target,
            source: f.source ? sourceView(f.source) : undefined,
            overrideValue: f.override_value ?? undefined,
            syncMode: f.sync_mode,
            new: f.new,
            encryptionEnabled: f.encryption_enabled,
          }),
        ),
      overrideFields: server.fields
        .filter(isOverrideField)
        .map((f) => compact({ target: f.target, overrideValue: f.override_value ?? undefined, syncMode: f.sync_mode, new: f.new })),
      active: server.active,
      identity: identity
        ? compact({
            source: sourceView(identity.source),
            target: identity.target,
            function: identity.function,
            newField: identity.new_field,
            remoteFieldTypeId: identity.remote_field_type_id,
          })
        : null, // none answered: one declared was removed elsewhere (drift)
      filters: filters
        .filter((f) => f.field_type !== "Target")
        .map((f) => compact({ source: f.field ? sourceView(f.field) : undefined, function: f.function, value: f.value, label: f.label })),
      targetFilters: filters
        .filter((f) => f.field_type === "Target")
        .map((f) => compact({ field: f.field_id, function: f.function, value: f.value, label: f.label })),
      filterLogic: server.filter_logic,
      overrides: (server.overrides ?? []).map((o) =>
        compact({ source: o.field ? sourceView(o.field) : undefined, function: o.function, value: o.value, override: o.override }),
      ),
      syncAllRecords: server.sync_all_records,
      skipInitialBackfill: server.skip_initial_backfill,
      onlyEnrichUpdates: server.only_enrich_updates,
      policies: server.policies,
      organizationId: server.organization_id,
    },
    extras: { modelIds: server.model_ids ?? [] },
  };
}

export const modelSyncKind: KindSpec<ModelSyncArgs> = {
  name: "ModelSync",
  schema: ModelSyncArgs,
  replaceKeys: ["organizationId"],
  providerOnlyKeys: ["adoptId"],
  // Never answered (TF resource_sync.go: "the API never returns it"): adoption always writes it.
  writeOnlyKeys: ["encryptionPassphrase"],
  deleteBeforeReplace: false,
  crossChecks,
  body,
  async list(ctx) {
    return (await ctx.client.syncs.list()).map((o) => ({ id: o.id, name: o.name, created_at: o.created_at }));
  },
  async create(ctx, args, idempotencyKey) {
    const server = await ctx.client.syncs.create(body(args), { idempotencyKey });
    return { id: server.id, view: view(server) };
  },
  async get(ctx, id) {
    return view(await ctx.client.syncs.get(id));
  },
  async update(ctx, id, args) {
    return view(await ctx.client.syncs.update(id, body(args)));
  },
  async delete(ctx, id) {
    try {
      await ctx.client.syncs.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
