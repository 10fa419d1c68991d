/** Polytomic objects as Pulumi resources (dynamic providers). */
export { Connection, ConnectionArgs, ConnectionBase } from "./connection";
export * from "./connections";
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
export { Role, RoleArgs } from "./role";
export { Policy, PolicyAction, PolicyArgs } from "./policy";
export { User, UserArgs } from "./user";
export { GlobalErrorSubscribers, GlobalErrorSubscribersArgs } from "./globalErrorSubscribers";
export {
  CallerIdentity,
  GetCallerIdentityArgs,
  GetRoleArgs,
  RoleLookup,
  getCallerIdentity,
  getCallerIdentityOutput,
  getRole,
  getRoleOutput,
} from "./lookups";
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
