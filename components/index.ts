/** Pulumi components built from the Polytomic resources and Google Cloud. */
export * from "./gcsToWebhook";
export { DEFAULT_OBJECT_NAME, OBJECT_VIEWER_ROLE, defaultServiceAccountId } from "./gcsSource";
export type { CreateGcsSourceArgs, CreatedGcsResources, ExistingGcsSourceArgs } from "./gcsSource";
export { DEFAULT_FIELDS } from "./syncFields";
