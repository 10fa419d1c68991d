/** Pulumi components built from the Polytomic resources and Google Cloud. */
export * from "./gcsToWebhook";
export { DEFAULT_OBJECT_NAME, OBJECT_VIEWER_ROLE, defaultServiceAccountId } from "./gcsSource";
export type { CreateGcsSourceArgs, CreatedGcsResources, ExistingGcsSourceArgs } from "./gcsSource";
export type { SettingNames } from "./syncFields";
export { BATCH_SIZE_LIMITS, DEFAULT_SYNC_KEY, MAX_SYNC_COUNT, PIPELINE_DEFAULTS, RESERVED_SYNC_KEYS } from "./pipelineRules";
import { PIPELINE_DEFAULTS } from "./pipelineRules";
/** The contacts CSV's columns: the default `fields` (same as `PIPELINE_DEFAULTS.fields`). */
export const DEFAULT_FIELDS = PIPELINE_DEFAULTS.fields;
/** Records per webhook request when none is given (same as `PIPELINE_DEFAULTS.batchSize`). */
export const DEFAULT_BATCH_SIZE = PIPELINE_DEFAULTS.batchSize;
