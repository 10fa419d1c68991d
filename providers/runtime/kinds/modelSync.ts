/** ModelSync: fields of a model delivered to a target object, on a schedule. */
import { z } from "zod";
import { isNotFound } from "../../../client";
import { fieldNames, syncs } from "../../../contract";
import type { Failure, KindSpec, ServerView } from "../kind";
import { issuesToFailures } from "../checkFailures";
import { compact, UNKNOWN } from "../shape";

const ScheduleArgs = z.object({
  frequency: z.enum(syncs.SCHEDULE_FREQUENCIES),
  hour: z.string().optional(),
  minute: z.string().optional(),
  dayOfWeek: z.string().optional(),
  dayOfMonth: z.string().optional(),
  month: z.string().optional(),
  runAfter: z.object({ syncIds: z.array(z.string()).optional(), bulkSyncIds: z.array(z.string()).optional() }).optional(),
  runAfterSuccessOnly: z.boolean().optional(),
});

const FieldArgs = z.object({
  /** Optional for a webhook target (`object: "http"`), where it can only be "record" and is sent as such. */
  target: z.string().min(1, "must name the target field").optional(),
  source: z.object({ modelId: z.string().min(1), field: z.string().min(1) }).optional(),
  overrideValue: z.string().optional(),
});

export const ModelSyncArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  mode: syncs.SyncMode,
  schedule: ScheduleArgs.optional(),
  target: z.object({
    connectionId: z.string().min(1, "must be a connection id"),
    object: z.string().optional(),
    configuration: z.record(z.string(), z.unknown()).optional(),
  }),
  fields: z.array(FieldArgs).min(1, "must map at least one field"),
  active: z.boolean().optional(),
  identity: z.record(z.string(), z.unknown()).optional(),
  filters: z.array(z.record(z.string(), z.unknown())).optional(),
  filterLogic: z.string().optional(),
  syncAllRecords: z.boolean().optional(),
  skipInitialBackfill: z.boolean().optional(),
  onlyEnrichUpdates: z.boolean().optional(),
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
  });
}

function body(args: ModelSyncArgs): syncs.CreateSyncRequest {
  return compact({
    name: args.name,
    mode: args.mode,
    schedule: scheduleBody(args.schedule),
    target: compact({ connection_id: args.target.connectionId, object: args.target.object, configuration: args.target.configuration }),
    fields: args.fields.map((f) =>
      compact({
        target: fieldTarget(args, f),
        source: f.source ? { model_id: f.source.modelId, field: f.source.field } : undefined,
        override_value: f.overrideValue,
      }),
    ),
    active: args.active ?? true,
    identity: args.identity as syncs.CreateSyncRequest["identity"],
    filters: args.filters as syncs.CreateSyncRequest["filters"],
    filter_logic: args.filterLogic,
    sync_all_records: args.syncAllRecords,
    skip_initial_backfill: args.skipInitialBackfill,
    only_enrich_updates: args.onlyEnrichUpdates,
    policies: args.policies,
    organization_id: args.organizationId,
  });
}

function view(server: syncs.Sync): ServerView {
  const s = server.schedule;
  return {
    asInputs: {
      name: server.name,
      mode: server.mode,
      schedule: compact({
        frequency: s.frequency,
        hour: s.hour ?? undefined,
        minute: s.minute ?? undefined,
        dayOfWeek: s.day_of_week ?? undefined,
        dayOfMonth: s.day_of_month ?? undefined,
        month: s.month ?? undefined,
        runAfter: s.run_after ? compact({ syncIds: s.run_after.sync_ids, bulkSyncIds: s.run_after.bulk_sync_ids }) : undefined,
        runAfterSuccessOnly: s.run_after_success_only ?? undefined,
      }),
      target: compact({
        connectionId: server.target.connection_id,
        object: server.target.object,
        configuration: server.target.configuration ?? undefined,
      }),
      fields: server.fields.map((f) =>
        compact({
          target: f.target,
          source: f.source ? { modelId: f.source.model_id, field: f.source.field } : undefined,
          overrideValue: f.override_value ?? undefined,
        }),
      ),
      active: server.active,
      filterLogic: server.filter_logic,
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
  writeOnlyKeys: [],
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
