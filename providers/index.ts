/** Polytomic objects as Pulumi resources (dynamic providers). */
export { Connection, ConnectionArgs } from "./connection";
export { ConnectionSchemaPrimaryKeys, ConnectionSchemaPrimaryKeysArgs } from "./connectionSchemaPrimaryKeys";
export {
  ConnectionSchemaField,
  getConnectionSchema,
  GetConnectionSchemaArgs,
  getConnectionSchemaOutput,
  GetConnectionSchemaResult,
} from "./getConnectionSchema";
export { Model, ModelArgs } from "./model";
export { ModelSync, ModelSyncArgs, ModelSyncField, ModelSyncSchedule, SyncMode } from "./modelSync";
export { OrgWebhook, OrgWebhookArgs } from "./orgWebhook";
export { Organization, OrganizationArgs } from "./organization";
export { IdempotencySalt } from "./salt";
export {
  BulkSync,
  BulkSyncArgs,
  BulkSyncAdditionalSchedule,
  BulkSyncEndpoint,
  BulkSyncField,
  BulkSyncFilter,
  BulkSyncSchedule,
  BulkSyncSchema,
  BulkDiscover,
} from "./bulkSync";
export {
  getBulkDestination,
  getBulkDestinationOutput,
  getBulkSource,
  getBulkSourceOutput,
  BulkDestinationMode,
  BulkSourceField,
  BulkSourceSchema,
  GetBulkDestinationArgs,
  GetBulkDestinationResult,
  GetBulkSourceArgs,
  GetBulkSourceResult,
} from "./lookups/bulk";
