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
export { Model, ModelArgs, ModelEnricher, ModelRelation } from "./model";
export {
  FilterFunction,
  IdentityFunction,
  ModelFieldRef,
  ModelSync,
  ModelSyncArgs,
  ModelSyncField,
  ModelSyncFilter,
  ModelSyncIdentity,
  ModelSyncOverride,
  ModelSyncOverrideField,
  ModelSyncSchedule,
  ModelSyncTarget,
  ModelSyncTargetFilter,
  ScheduleFrequency,
  SyncMode,
} from "./modelSync";
export { OrgWebhook, OrgWebhookArgs } from "./orgWebhook";
export { Organization, OrganizationArgs } from "./organization";
export { IdempotencySalt } from "./salt";
