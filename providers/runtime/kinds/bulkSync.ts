/**
 * BulkSync: whole schemas (tables, objects) of a source connection copied to a destination
 * connection, on a schedule. Fields: Polytomic's Terraform provider v2.0.0
 * `provider/resource_bulk_sync.go`, plus the additional schedules of API 2025-09-18 (TS
 * `CreateBulkSyncRequest.additional_schedules`), which Terraform does not manage.
 *
 * `schemas` is a map keyed by schema id, and each schema's `fields` a map keyed by field id:
 * Terraform keeps both as sets, and a map says the same without an order to get wrong (a refresh
 * compares each declared schema with the server's one of that id).
 */
import { z } from "zod";
import { isNotFound } from "../../../client";
import { bulkSyncs, syncs } from "../../../contract";
import type { Failure, KindSpec, ServerView } from "../kind";
import { compact, UNKNOWN } from "../shape";

const ScheduleParts = {
  frequency: z.enum(syncs.SCHEDULE_FREQUENCIES),
  hour: z.string().optional(),
  minute: z.string().optional(),
  dayOfWeek: z.string().optional(),
  dayOfMonth: z.string().optional(),
  month: z.string().optional(),
};
const ScheduleArgs = z.object(ScheduleParts);
const AdditionalScheduleArgs = z.object({
  ...ScheduleParts,
  schemas: z.array(z.string().min(1)).optional(),
  selectiveMode: z.enum(bulkSyncs.BULK_SELECTIVE_MODES).optional(),
  resyncMode: z.enum(bulkSyncs.BULK_RESYNC_MODES).optional(),
});

const FieldArgs = z.object({ enabled: z.boolean().optional(), obfuscate: z.boolean().optional() });
const FilterArgs = z.object({ fieldId: z.string().min(1, "must name a field"), function: z.string().min(1), value: z.unknown().optional() });
const Timestamp = z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp, e.g. 2025-01-01T00:00:00Z" });
const SchemaArgs = z.object({
  enabled: z.boolean().optional(),
  partitionKey: z.string().optional(),
  trackingField: z.string().optional(),
  dataCutoffTimestamp: Timestamp.optional(),
  disableDataCutoff: z.boolean().optional(),
  userOutputName: z.string().optional(),
  fields: z.record(z.string().min(1), FieldArgs).optional(),
  filters: z.array(FilterArgs).optional(),
});
const Endpoint = z.object({
  connectionId: z.string().min(1, "must be a connection id"),
  configuration: z.record(z.string(), z.unknown()).optional(),
});

export const BulkSyncArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  source: Endpoint,
  destination: Endpoint,
  mode: bulkSyncs.BulkSyncMode.optional(),
  active: z.boolean().optional(),
  schedule: ScheduleArgs.optional(),
  additionalSchedules: z.array(AdditionalScheduleArgs).optional(),
  schemas: z.record(z.string().min(1), SchemaArgs).optional(),
  automaticallyAddNewFields: bulkSyncs.BulkDiscover.optional(),
  automaticallyAddNewObjects: bulkSyncs.BulkDiscover.optional(),
  disableRecordTimestamps: z.boolean().optional(),
  dataCutoffTimestamp: Timestamp.optional(),
  concurrencyLimit: z.number().int().min(1, "must be at least 1").optional(),
  resyncConcurrencyLimit: z.number().int().min(1, "must be at least 1").optional(),
  normalizeNames: bulkSyncs.BulkNormalizeNames.optional(),
  policies: z.array(z.string()).optional(),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type BulkSyncArgs = z.infer<typeof BulkSyncArgs>;

/** Rules across fields: an additional schedule may only name schemas the sync declares. */
function crossChecks(args: BulkSyncArgs): Failure[] {
  const declared = args.schemas ? Object.keys(args.schemas) : undefined;
  const failures: Failure[] = [];
  (args.additionalSchedules ?? []).forEach((schedule, i) => {
    (schedule?.schemas ?? []).forEach((id, j) => {
      if (declared && id !== UNKNOWN && !declared.includes(id)) {
        failures.push({ property: `additionalSchedules[${i}].schemas[${j}]`, reason: `"${id}" is not one of the schemas this sync declares (${declared.join(", ")})` });
      }
    });
  });
  return failures;
}

type Schedule = z.infer<typeof ScheduleArgs>;
const scheduleBody = (s: Schedule) =>
  compact({ frequency: s.frequency, hour: s.hour, minute: s.minute, day_of_week: s.dayOfWeek, day_of_month: s.dayOfMonth, month: s.month });

function body(args: BulkSyncArgs): bulkSyncs.BulkSyncRequest {
  const schemas = args.schemas
    ? Object.entries(args.schemas)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, s]) =>
          compact({
            id,
            enabled: s.enabled,
            partition_key: s.partitionKey,
            tracking_field: s.trackingField,
            data_cutoff_timestamp: s.dataCutoffTimestamp,
            disable_data_cutoff: s.disableDataCutoff,
            user_output_name: s.userOutputName,
            fields: s.fields ? Object.entries(s.fields).map(([fieldId, f]) => compact({ id: fieldId, enabled: f.enabled, obfuscate: f.obfuscate })) : undefined,
            filters: s.filters?.map((f) => compact({ field_id: f.fieldId, function: f.function, value: f.value })),
          }),
        )
    : undefined;
  return compact({
    name: args.name,
    source_connection_id: args.source.connectionId,
    destination_connection_id: args.destination.connectionId,
    source_configuration: args.source.configuration,
    destination_configuration: args.destination.configuration ?? {},
    mode: args.mode ?? "replicate",
    active: args.active ?? true,
    default_schedule: scheduleBody(args.schedule ?? { frequency: "manual" }),
    additional_schedules: (args.additionalSchedules ?? []).map((s) =>
      compact({ ...scheduleBody(s), schemas: s.schemas, selective_mode: s.selectiveMode, resync_mode: s.resyncMode }),
    ),
    schemas,
    automatically_add_new_fields: args.automaticallyAddNewFields,
    automatically_add_new_objects: args.automaticallyAddNewObjects,
    disable_record_timestamps: args.disableRecordTimestamps,
    data_cutoff_timestamp: args.dataCutoffTimestamp,
    concurrency_limit: args.concurrencyLimit,
    resync_concurrency_limit: args.resyncConcurrencyLimit,
    normalize_names: args.normalizeNames,
    policies: args.policies,
    organization_id: args.organizationId,
  });
}

/** A value the server does not have (absent, null or ""), as null: laid over a declared value it reads as cleared (shape.ts projectOnto). */
const orNull = <T>(value: T | null | undefined) => (value === undefined || value === null || value === "" ? null : value);

const scheduleView = (s: bulkSyncs.BulkSchedule) =>
  compact({
    frequency: s.frequency,
    hour: orNull(s.hour),
    minute: orNull(s.minute),
    dayOfWeek: orNull(s.day_of_week),
    dayOfMonth: orNull(s.day_of_month),
    month: orNull(s.month),
  });

/** One schema in the inputs' shape. `fields` and `filters` come only from a schema's own answer (the list leaves them out). */
function schemaView(s: bulkSyncs.BulkSchema) {
  return compact({
    enabled: s.enabled,
    partitionKey: orNull(s.partition_key),
    trackingField: orNull(s.tracking_field),
    dataCutoffTimestamp: orNull(s.data_cutoff_timestamp),
    disableDataCutoff: s.disable_data_cutoff,
    userOutputName: orNull(s.user_output_name),
    fields: s.fields ? Object.fromEntries(s.fields.map((f) => [f.id, compact({ enabled: f.enabled, obfuscate: f.obfuscated })])) : undefined,
    filters: s.filters ? s.filters.map((f) => compact({ fieldId: f.field_id, function: f.function, value: f.value })) : undefined,
  });
}

function view(server: bulkSyncs.BulkSync, schemas: bulkSyncs.BulkSchema[]): ServerView {
  return {
    asInputs: {
      name: server.name,
      source: compact({ connectionId: server.source_connection_id, configuration: server.source_configuration ?? undefined }),
      destination: compact({ connectionId: server.destination_connection_id, configuration: server.destination_configuration ?? undefined }),
      mode: server.mode,
      active: server.active,
      schedule: server.default_schedule ? scheduleView(server.default_schedule) : undefined,
      additionalSchedules: server.additional_schedules?.map((s) =>
        compact({ ...scheduleView(s), schemas: s.schemas ?? undefined, selectiveMode: s.selective_mode ?? undefined, resyncMode: s.resync_mode ?? undefined }),
      ),
      schemas: Object.fromEntries(schemas.map((s) => [s.id, schemaView(s)])),
      automaticallyAddNewFields: server.automatically_add_new_fields,
      automaticallyAddNewObjects: server.automatically_add_new_objects,
      disableRecordTimestamps: server.disable_record_timestamps,
      dataCutoffTimestamp: orNull(server.data_cutoff_timestamp),
      concurrencyLimit: orNull(server.concurrency_limit),
      resyncConcurrencyLimit: orNull(server.resync_concurrency_limit),
      normalizeNames: server.normalize_names,
      policies: server.policies ?? undefined,
      organizationId: server.organization_id,
    },
    extras: {
      enabledSchemas: schemas.filter((s) => s.enabled !== false).map((s) => s.id),
      outputNames: Object.fromEntries(schemas.filter((s) => s.enabled !== false).map((s) => [s.id, s.output_name ?? s.id])),
    },
  };
}

export const bulkSyncKind: KindSpec<BulkSyncArgs> = {
  name: "BulkSync",
  schema: BulkSyncArgs,
  // Every other field is in Polytomic's full-replacement PUT (TS UpdateBulkSyncRequest), connections included.
  replaceKeys: ["organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  deleteBeforeReplace: false,
  crossChecks,
  body,
  async list(ctx) {
    return (await ctx.client.bulkSyncs.list()).map((o) => ({ id: o.id, name: o.name, created_at: o.created_at }));
  },
  async create(ctx, args, idempotencyKey) {
    const server = await ctx.client.bulkSyncs.create(body(args), { idempotencyKey });
    return { id: server.id, view: view(server, await ctx.client.bulkSyncs.schemas(server.id)) };
  },
  async get(ctx, id) {
    const server = await ctx.client.bulkSyncs.get(id);
    return view(server, await ctx.client.bulkSyncs.schemas(id));
  },
  async update(ctx, id, args) {
    const server = await ctx.client.bulkSyncs.update(id, body(args));
    return view(server, await ctx.client.bulkSyncs.schemas(id));
  },
  async delete(ctx, id) {
    try {
      await ctx.client.bulkSyncs.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
