/**
 * The Pulumi program (compiled to dist/index.js, which Pulumi.yaml runs): read the stack config,
 * build one GCS-to-webhook pipeline, export what operators and scripts need.
 */
// First: zod's locales load only when asked for (contract/lazyZodLocales.ts).
import "./contract/lazyZodLocales";
import * as pulumi from "./providers/sdk";
import { GcsToWebhook } from "./components";
import { ConfigError, readPipelineConfig } from "./program/config";
import { pipelineArgs } from "./program/pipelineArgs";

const config = readConfigOrExplain();
const pipeline = new GcsToWebhook(
  "pipeline",
  pipelineArgs(config, { project: pulumi.getProject(), stack: pulumi.getStack() }),
);

export const bucketName = pipeline.bucketName;
export const objectName = pipeline.objectName;
export const serviceAccountEmail = pipeline.serviceAccountEmail;
export const gcsConnectionId = pipeline.gcsConnectionId;
export const webhookConnectionId = pipeline.webhookConnectionId;
export const modelId = pipeline.modelId;
export const syncId = pipeline.syncId;
/** Every sync's id by its key (the keys of the `syncs` config; `sync` by default). */
export const syncs = pipeline.syncs;
export const orgWebhookId = pipeline.orgWebhookId;
/** Where records are delivered. */
export const webhookUrl = config.receiverUrl;
/** The bearer secret Polytomic sends with each delivery; the receiver needs it (secret output). */
export const webhookSecret = pipeline.webhookSecret;

/**
 * A config mistake is the user's to fix, not a crash: Pulumi prints a RunError as its message
 * alone (no stack trace, no object dump). Any other error is a bug and keeps its trace.
 */
function readConfigOrExplain(): ReturnType<typeof readPipelineConfig> {
  try {
    return readPipelineConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}
