/**
 * Model syncs and their executions.
 * Facts: ../shared/reference/polytomic-api.md section 2.3.
 */
import { z } from "zod";
import { CommonOutputActor, envelope, pagedEnvelope, Timestamp } from "./common";

export const SYNC_MODES = ["create", "update", "updateOrCreate", "replace", "append", "remove", "snapshot"] as const;
export const SyncMode = z.enum(SYNC_MODES);

export const SCHEDULE_FREQUENCIES = [
  "manual", "continuous", "hourly", "daily", "weekly", "custom", "builder", "runafter", "multi", "dbtcloud",
] as const;

const clockPart = (max: number) =>
  z.string().regex(/^\d{1,2}$/, "must be a number written as a string").refine((v) => Number(v) <= max, `must be at most ${max}`);

/** `schedule.hour`: "0"-"23", UTC (TF resource_sync.go `hour`: "Hour for scheduled execution (UTC)"). */
export const ScheduleHour = clockPart(23);
/** `schedule.minute`: "0"-"59". */
export const ScheduleMinute = clockPart(59);

export const Schedule = z.object({
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  hour: ScheduleHour.nullable().optional(),
  minute: ScheduleMinute.nullable().optional(),
  day_of_week: z.string().nullable().optional(),
  day_of_month: z.string().nullable().optional(),
  month: z.string().nullable().optional(),
  run_after: z
    .object({ sync_ids: z.array(z.string()).optional(), bulk_sync_ids: z.array(z.string()).optional() })
    .nullable()
    .optional(),
  run_after_success_only: z.boolean().nullable().optional(),
  connection_id: z.string().nullable().optional(),
  job_id: z.union([z.string(), z.number()]).nullable().optional(),
});
export type Schedule = z.infer<typeof Schedule>;

export const Source = z.object({ model_id: z.string().min(1), field: z.string().min(1) });

export const SyncField = z.object({
  /**
   * The target field. For a webhook target (`target.object: "http"`) always `"record"`: the
   * delivered key is the source field's normalized name (see fieldNames.ts).
   */
  target: z.string().min(1),
  source: Source.optional(),
  override_value: z.string().nullable().optional(),
  sync_mode: z.string().optional(),
  new: z.boolean().optional(),
  encryption_enabled: z.boolean().optional(),
});
export type SyncField = z.infer<typeof SyncField>;

/**
 * A field whose value is the same constant on every record (TS CreateSyncRequest.override_fields,
 * "values to set in the target unconditionally"; TF resource_sync.go `override_fields`). Answers
 * carry them inside `fields`, with no source (TF syncDataFromResponse).
 */
export const OverrideField = z.object({
  target: z.string().min(1),
  override_value: z.string().nullable().optional(),
  sync_mode: z.string().optional(),
  new: z.boolean().optional(),
});
export type OverrideField = z.infer<typeof OverrideField>;

/** How a source record is matched to a target record (TS SchemaIdentityFunction). */
export const IDENTITY_FUNCTIONS = ["Equality", "ISubstring", "OneOf", "DomainMatch", "HostnameMatch"] as const;

export const Identity = z.object({
  source: Source,
  target: z.string().min(1),
  function: z.enum(IDENTITY_FUNCTIONS),
  new_field: z.boolean().optional(),
  remote_field_type_id: z.string().optional(),
});

/** `target.configuration` of a sync to a webhook connection (`target.object: "http"`). */
export const HttpTargetConfiguration = z.object({
  batch_size: z.number().int().min(1).max(10_000).optional(),
  record_requests: z.boolean().optional(),
  metadata: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]).nullable().optional(),
});
export type HttpTargetConfiguration = z.infer<typeof HttpTargetConfiguration>;
/** Batch size when `batch_size` is omitted (the UI default). */
export const DEFAULT_BATCH_SIZE = 100;

export const Target = z.object({
  connection_id: z.string().min(1),
  object: z.string().optional(),
  configuration: z.record(z.string(), z.unknown()).nullable().optional(),
  create: z.record(z.string(), z.string()).optional(),
  new_name: z.string().optional(),
  filter_logic: z.string().optional(),
  search_values: z.record(z.string(), z.unknown()).optional(),
});
export type Target = z.infer<typeof Target>;

/** Filter and override conditions (TS FilterFunction). */
export const FILTER_FUNCTIONS = [
  "Equality", "Inequality", "IsNull", "IsNotNull", "True", "False", "OnOrAfter", "OnOrBefore", "GreaterThan",
  "GreaterThanEqual", "LessThan", "LessThanEqual", "StringContains", "StringStartsWith", "StringEndsWith",
  "StringDoesNotContain", "StringDoesNotStartWith", "StringDoesNotEndWith", "StringOneOf", "StringNotOneOf", "Between",
  "ArrayContains", "ArrayDoesNotContain", "InTheLast", "RelativeOnOrBefore", "RelativeOnOrAfter", "StringLike",
  "StringNotLike", "StringMatchesTrimmed",
] as const;
export const FilterFunction = z.enum(FILTER_FUNCTIONS);

/**
 * A filter on the model's records (`field_type: "Model"`, `field` names the model field) or on the
 * target's (`field_type: "Target"`, `field_id` names the target field): TS Filter; TF
 * resource_sync.go modelFiltersToSDK / targetFiltersToSDK send them so.
 */
export const Filter = z.object({
  /** One of FILTER_FUNCTIONS; read as any name, so a function Polytomic adds later does not break reading a sync. */
  function: z.string().min(1),
  field: Source.optional(),
  field_id: z.string().optional(),
  field_type: z.enum(["Model", "Target"]).optional(),
  value: z.unknown().optional(),
  label: z.string().optional(),
});

/** A conditional replacement: where the condition holds, `override` replaces the value (TS Override). */
export const Override = z.object({
  field: Source.optional(),
  field_id: z.string().optional(),
  /** One of FILTER_FUNCTIONS (read as any name, like a filter's). */
  function: z.string().min(1).optional(),
  value: z.unknown().optional(),
  override: z.unknown().optional(),
});
export type Override = z.infer<typeof Override>;

export const CreateSyncRequest = z.object({
  name: z.string().min(1),
  mode: SyncMode,
  schedule: Schedule,
  target: Target,
  fields: z.array(SyncField).min(1, "must map at least one field"),
  active: z.boolean().optional(),
  identity: Identity.nullable().optional(),
  filters: z.array(Filter).optional(),
  filter_logic: z.string().optional(),
  overrides: z.array(Override).optional(),
  override_fields: z.array(OverrideField).optional(),
  sync_all_records: z.boolean().optional(),
  skip_initial_backfill: z.boolean().optional(),
  only_enrich_updates: z.boolean().optional(),
  encryption_passphrase: z.string().optional(),
  policies: z.array(z.string()).optional(),
  organization_id: z.string().nullable().optional(),
});
export type CreateSyncRequest = z.infer<typeof CreateSyncRequest>;
export const UpdateSyncRequest = CreateSyncRequest;
export type UpdateSyncRequest = CreateSyncRequest;

/** A sync as answered: never the passphrase; the override fields inside `fields` (answers.ts). */
export const Sync = CreateSyncRequest.omit({ encryption_passphrase: true, override_fields: true }).extend({
  id: z.string(),
  organization_id: z.string().optional(),
  active: z.boolean().optional(),
  model_ids: z.array(z.string()).optional(),
  created_at: Timestamp.optional(),
  created_by: CommonOutputActor.nullable().optional(),
  updated_at: Timestamp.optional(),
  updated_by: CommonOutputActor.nullable().optional(),
});
export type Sync = z.infer<typeof Sync>;
export const SyncEnvelope = envelope(Sync);

/** 2025-09-18 list items are lighter than a full sync. */
export const SyncListItem = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean().optional(),
  mode: z.string().optional(),
  model_ids: z.array(z.string()).optional(),
  schedule: Schedule.optional(),
  target_connection_id: z.string().optional(),
  target_object: z.string().optional(),
  organization_id: z.string().optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export const SyncListEnvelope = pagedEnvelope(SyncListItem);

export const EXECUTION_STATUSES = [
  "created", "scheduled", "queued", "waiting", "running", "processing", "canceling", "canceled", "completed", "failed", "interrupted",
] as const;
export const ExecutionStatus = z.enum(EXECUTION_STATUSES);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;
export const TERMINAL_EXECUTION_STATUSES: readonly ExecutionStatus[] = ["completed", "canceled", "failed", "interrupted"];

export const ExecutionCounts = z.object({
  insert: z.number().int(),
  update: z.number().int(),
  delete: z.number().int(),
  upserts: z.number().int(),
  total: z.number().int(),
  error: z.number().int(),
  warnings: z.number().int(),
});
export type ExecutionCounts = z.infer<typeof ExecutionCounts>;

export const Execution = z.object({
  id: z.string(),
  status: ExecutionStatus,
  type: z.string().optional(),
  created_at: Timestamp.optional(),
  started_at: Timestamp.nullable().optional(),
  completed_at: Timestamp.nullable().optional(),
  counts: ExecutionCounts.optional(),
  errors: z.array(z.string()).nullable().optional(),
});
export type Execution = z.infer<typeof Execution>;
export const ExecutionEnvelope = envelope(Execution);
export const ExecutionListEnvelope = pagedEnvelope(Execution);

export const StartSyncRequest = z.object({
  identities: z.array(z.string()).optional(),
  resync: z.boolean().optional(),
  test: z.boolean().optional(),
});
export const StartSyncResponse = z.object({ id: z.string(), status: ExecutionStatus, created_at: Timestamp.optional() });
export const StartSyncEnvelope = envelope(StartSyncResponse);

export const SyncStatus = z.object({
  current_execution: Execution.nullable().optional(),
  last_execution: Execution.nullable().optional(),
  next_execution_time: Timestamp.nullable().optional(),
});
export const SyncStatusEnvelope = envelope(SyncStatus);

/** `POST /api/syncs/{id}/activate`. */
export const ActivateSyncRequest = z.object({ active: z.boolean() });
export const ActivateSyncResponse = z.object({ id: z.string(), active: z.boolean() });
export type ActivateSyncResponse = z.infer<typeof ActivateSyncResponse>;

/** `POST /api/syncs/{id}/cancel`: cancellation is asynchronous; the answer is a message. */
export const CancelSyncResponse = z.object({ message: z.string().optional() });
export type CancelSyncResponse = z.infer<typeof CancelSyncResponse>;

/** `PUT /api/syncs/{sync_id}/executions/{id}` (2024-02-08; 2025-09-18 uses POST .../cancel). */
export const UpdateExecutionRequest = z.object({ status: ExecutionStatus });

const queryBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** `GET /api/syncs` query (cursor pagination from 2025-09-18; `limit` capped at 50). */
export const SyncListQuery = z.object({
  active: queryBoolean.optional(),
  mode: SyncMode.optional(),
  target_connection_id: z.string().optional(),
  page_token: z.string().optional(),
  limit: z.string().optional(),
});

/** `GET /api/syncs/{id}/executions` query. */
export const ExecutionListQuery = z.object({
  page_token: z.string().optional(),
  only_completed: queryBoolean.optional(),
  ascending: queryBoolean.optional(),
});
