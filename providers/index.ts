/** Polytomic objects as Pulumi resources (dynamic providers). */
export { Connection, ConnectionArgs, ConnectionBase } from "./connection";
export * from "./connections";
export { Model, ModelArgs } from "./model";
export { ModelSync, ModelSyncArgs, ModelSyncField, ModelSyncSchedule, SyncMode } from "./modelSync";
export { OrgWebhook, OrgWebhookArgs } from "./orgWebhook";
export { Organization, OrganizationArgs } from "./organization";
export { IdempotencySalt } from "./salt";
