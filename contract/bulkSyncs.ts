/**
 * Bulk syncs (ELT): whole schemas (tables, objects) of a source connection copied to a
 * destination connection, their schemas, executions, and the bulk-sync metadata of a connection.
 *
 * Sources: polytomic/polytomic-typescript `src/api/resources/bulkSync/**` and `src/api/types/Bulk*.ts`
 * (API 2025-09-18), the `polytomic` npm SDK 1.18.1 `api/resources/bulkSync` (2024-02-08), and
 * Polytomic's Terraform provider v2.0.0 `provider/resource_bulk_sync.go`.
 *
 * The two versions differ in one place: 2024-02-08 has one `schedule`; 2025-09-18 replaced it
 * with `default_schedule` (required) and `additional_schedules[]` (polytomic-api.md section 1.3).
 */
import { z } from "zod";
import { CommonOutputActor, envelope, pagedEnvelope, Timestamp } from "./common";
import { SCHEDULE_FREQUENCIES } from "./syncs";

/** TS `BulkSyncTargetMode` (the 1.18.1 SDK's `BulkSyncMode`). */
export const BULK_SYNC_MODES = ["replicate", "snapshot"] as const;
export const BulkSyncMode = z.enum(BULK_SYNC_MODES);
/** TS `BulkDiscover`: which new objects or fields a sync picks up by itself. */
export const BULK_DISCOVER = ["all", "onlyIncremental", "onlyNonIncremental", "none"] as const;
export const BulkDiscover = z.enum(BULK_DISCOVER);
/** TS `BulkNormalizeNames`. */
export const BULK_NORMALIZE_NAMES = ["enabled", "disabled", "legacy"] as const;
export const BulkNormalizeNames = z.enum(BULK_NORMALIZE_NAMES);
/** TS `BulkSelectiveMode`, `BulkScheduleSyncMode` (additional schedules). */
export const BULK_SELECTIVE_MODES = ["none", "incrementalFields", "nonincrementalFields"] as const;
export const BULK_RESYNC_MODES = ["normal", "refetch", "resync", "rebuild"] as const;

const part = z.string().nullable().optional();

/** 2024-02-08 `schedule` (TS 1.18.1 `BulkSchedule`; TF `BulkSchedule`). */
export const BulkSchedule = z.object({
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  day_of_month: part,
  day_of_week: part,
  hour: part,
  minute: part,
  month: part,
});
export type BulkSchedule = z.infer<typeof BulkSchedule>;

/** 2025-09-18 `default_schedule` (TS `BulkSyncDefaultScheduleRequest`). */
export const DefaultSchedule = BulkSchedule.extend({ id: z.string().optional() });
export type DefaultSchedule = z.infer<typeof DefaultSchedule>;

/** 2025-09-18 `additional_schedules[]` (TS `BulkSyncAdditionalScheduleRequest`): Terraform does not manage these. */
export const AdditionalSchedule = BulkSchedule.extend({
  id: z.string().optional(),
  /** Schema ids the schedule runs; empty: all of them. */
  schemas: z.array(z.string()).nullable().optional(),
  selective_mode: z.enum(BULK_SELECTIVE_MODES).nullable().optional(),
  resync_mode: z.enum(BULK_RESYNC_MODES).nullable().optional(),
});
export type AdditionalSchedule = z.infer<typeof AdditionalSchedule>;

/** TS `BulkFilter`: a row filter on one field of a schema; `value` is any JSON. */
export const BulkFilter = z.object({
  field_id: z.string().optional(),
  function: z.string().min(1),
  value: z.unknown().optional(),
});
export type BulkFilter = z.infer<typeof BulkFilter>;

/** TS `FieldConfiguration` (an item may also be a bare field id). */
export const FieldConfiguration = z.object({
  id: z.string().min(1),
  enabled: z.boolean().optional(),
  obfuscate: z.boolean().optional(),
});
export type FieldConfiguration = z.infer<typeof FieldConfiguration>;

/** TS `SchemaConfiguration` (an item may also be a bare schema id). */
export const SchemaConfiguration = z.object({
  id: z.string().min(1),
  enabled: z.boolean().optional(),
  partition_key: z.string().optional(),
  tracking_field: z.string().optional(),
  data_cutoff_timestamp: Timestamp.optional(),
  disable_data_cutoff: z.boolean().optional(),
  user_output_name: z.string().optional(),
  fields: z.array(z.union([z.string().min(1), FieldConfiguration])).optional(),
  filters: z.array(BulkFilter).optional(),
});
export type SchemaConfiguration = z.infer<typeof SchemaConfiguration>;

/** Create and update (full replacement) bodies of both versions; which schedule is required depends on the version. */
export const BulkSyncRequest = z.object({
  name: z.string().min(1),
  source_connection_id: z.string().min(1),
  destination_connection_id: z.string().min(1),
  source_configuration: z.record(z.string(), z.unknown()).nullable().optional(),
  destination_configuration: z.record(z.string(), z.unknown()).nullable().optional(),
  mode: BulkSyncMode.optional(),
  active: z.boolean().optional(),
  /** 2024-02-08 only. */
  schedule: BulkSchedule.optional(),
  /** 2025-09-18 only. */
  default_schedule: DefaultSchedule.optional(),
  additional_schedules: z.array(AdditionalSchedule).nullable().optional(),
  schemas: z.array(z.union([z.string().min(1), SchemaConfiguration])).nullable().optional(),
  automatically_add_new_fields: BulkDiscover.optional(),
  automatically_add_new_objects: BulkDiscover.optional(),
  disable_record_timestamps: z.boolean().optional(),
  data_cutoff_timestamp: Timestamp.nullable().optional(),
  /** 0: no override (what Polytomic's Terraform provider sends when the attribute is unset). */
  concurrency_limit: z.number().int().min(0).nullable().optional(),
  resync_concurrency_limit: z.number().int().min(0).nullable().optional(),
  normalize_names: BulkNormalizeNames.optional(),
  policies: z.array(z.string()).nullable().optional(),
  organization_id: z.string().nullable().optional(),
});
export type BulkSyncRequest = z.infer<typeof BulkSyncRequest>;

/** TS `BulkSyncAdditionalScheduleResponse`: ids and audit fields are the server's. */
export const AdditionalScheduleAnswer = AdditionalSchedule.extend({
  id: z.string(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type AdditionalScheduleAnswer = z.infer<typeof AdditionalScheduleAnswer>;

/** TS `BulkSyncResponse` (2025-09-18) and 1.18.1 `BulkSyncResponse` (2024-02-08: `schedule`): the request's fields, less `schemas`, plus the server's. */
export const BulkSync = BulkSyncRequest.omit({ schemas: true }).extend({
  id: z.string(),
  organization_id: z.string().optional(),
  additional_schedules: z.array(AdditionalScheduleAnswer).nullable().optional(),
  created_at: Timestamp.optional(),
  created_by: CommonOutputActor.nullable().optional(),
  updated_at: Timestamp.optional(),
  updated_by: CommonOutputActor.nullable().optional(),
});
export type BulkSync = z.infer<typeof BulkSync>;
export const BulkSyncEnvelope = envelope(BulkSync);
export const BulkSyncListEnvelope = pagedEnvelope(BulkSync);

/** TS `BulkField`: one field of a bulk sync's schema, as configured. */
export const BulkField = z.object({
  id: z.string(),
  enabled: z.boolean().optional(),
  obfuscated: z.boolean().optional(),
  output_name: z.string().optional(),
  user_output_name: z.string().optional(),
});
export type BulkField = z.infer<typeof BulkField>;

/** TS `BulkSchema`: one schema (table) of a bulk sync, as configured. */
export const BulkSchema = z.object({
  id: z.string(),
  enabled: z.boolean().optional(),
  output_name: z.string().optional(),
  user_output_name: z.string().optional(),
  partition_key: z.string().optional(),
  tracking_field: z.string().optional(),
  data_cutoff_timestamp: Timestamp.nullable().optional(),
  disable_data_cutoff: z.boolean().optional(),
  fields: z.array(BulkField).nullable().optional(),
  filters: z.array(BulkFilter).nullable().optional(),
});
export type BulkSchema = z.infer<typeof BulkSchema>;
export const BulkSchemaEnvelope = envelope(BulkSchema);
export const BulkSchemaListEnvelope = z.object({ data: z.array(BulkSchema).nullable().transform((items) => items ?? []) });

/** `PUT /api/bulk/syncs/{id}/schemas/{schema_id}` (TS `UpdateBulkSchema`). */
export const UpdateBulkSchema = SchemaConfiguration.omit({ id: true });

/** TS `BulkExecutionStatus`. */
export const BULK_EXECUTION_STATUSES = [
  "created", "scheduled", "running", "exporting", "canceling", "canceled", "completed", "failed", "processing", "errors", "interrupted",
] as const;
export const BulkExecutionStatus = z.enum(BULK_EXECUTION_STATUSES);
export type BulkExecutionStatus = z.infer<typeof BulkExecutionStatus>;
export const TERMINAL_BULK_STATUSES: readonly BulkExecutionStatus[] = ["canceled", "completed", "failed", "errors", "interrupted"];

/** TS `BulkSyncSchemaExecution`. */
export const BulkSchemaExecution = z.object({
  schema: z.string(),
  output_name: z.string().optional(),
  status: z.string().optional(),
  status_message: z.string().optional(),
  record_count: z.number().int().optional(),
  error_count: z.number().int().optional(),
  warning_count: z.number().int().optional(),
  created_at: Timestamp.optional(),
  started_at: Timestamp.nullable().optional(),
  completed_at: Timestamp.nullable().optional(),
});
export type BulkSchemaExecution = z.infer<typeof BulkSchemaExecution>;

/** TS `BulkSyncExecution`. */
export const BulkExecution = z.object({
  id: z.string(),
  status: BulkExecutionStatus,
  status_message: z.string().optional(),
  type: z.string().optional(),
  is_test: z.boolean().optional(),
  is_resync: z.boolean().optional(),
  is_partial: z.boolean().optional(),
  record_count: z.number().int().optional(),
  error_count: z.number().int().optional(),
  warning_count: z.number().int().optional(),
  schemas: z.array(BulkSchemaExecution).optional(),
  created_at: Timestamp.optional(),
  started_at: Timestamp.nullable().optional(),
  completed_at: Timestamp.nullable().optional(),
  updated_at: Timestamp.optional(),
});
export type BulkExecution = z.infer<typeof BulkExecution>;
export const BulkExecutionEnvelope = envelope(BulkExecution);
export const BulkExecutionListEnvelope = pagedEnvelope(BulkExecution);

/** `POST /api/bulk/syncs/{id}/executions` (TS `StartBulkSyncRequest`). */
export const StartBulkSyncRequest = z.object({
  schemas: z.array(z.string()).optional(),
  test: z.boolean().optional(),
  fetch_mode: z.string().optional(),
  resync_mode: z.string().optional(),
});

/** `GET /api/bulk/syncs/{id}/status` (TS `BulkSyncStatusResponse`). */
export const BulkSyncStatus = z.object({
  current_execution: BulkExecution.nullable().optional(),
  last_execution: BulkExecution.nullable().optional(),
  next_execution_time: Timestamp.nullable().optional(),
});
export const BulkSyncStatusEnvelope = envelope(BulkSyncStatus);

/** TS `SupportedBulkMode`. */
export const SupportedBulkMode = z.object({
  id: z.string(),
  label: z.string().optional(),
  description: z.string().optional(),
  requires_identity: z.boolean().optional(),
  supports_field_sync_mode: z.boolean().optional(),
  supports_target_filters: z.boolean().optional(),
});

/** `GET /api/connections/{id}/bulksync/target` (TS `BulkSyncDest`): `configuration` keys are the settings a destination needs. */
export const BulkDestination = z.object({
  configuration: z.record(z.string(), z.unknown()).nullable().optional(),
  modes: z.array(SupportedBulkMode).nullable().optional(),
  supported_resync_modes: z.array(z.string()).nullable().optional(),
});
export type BulkDestination = z.infer<typeof BulkDestination>;
export const BulkDestinationEnvelope = envelope(BulkDestination);
