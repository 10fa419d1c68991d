/**
 * Turns the parsed stack config into the component's arguments: the only place that knows both.
 * Secret values are wrapped with `pulumi.secret` here, because config text read with `get` is plain.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GcsToWebhookArgs } from "../components";
import type { PipelineConfig } from "./config";

/** Names of this stack's Polytomic objects start with this unless `namePrefix` is set. */
export function defaultNamePrefix(project: string, stack: string): string {
  return `${project}-${stack}`;
}

export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}

export function pipelineArgs(config: PipelineConfig, stack: StackIdentity): GcsToWebhookArgs {
  const gcp = config.gcp;
  const source: Pick<GcsToWebhookArgs, "create" | "existing"> =
    gcp.mode === "existing"
      ? {
          existing: {
            bucketName: gcp.bucketName,
            serviceAccountKey: pulumi.secret(gcp.serviceAccountKey),
            objectName: gcp.objectName,
          },
        }
      : {
          create: {
            location: gcp.location,
            project: gcp.project,
            bucketName: gcp.bucketName,
            forceDestroy: gcp.forceDestroy,
            csvPath: gcp.csvPath,
            objectName: gcp.objectName,
          },
        };
  return {
    ...source,
    receiverUrl: config.receiverUrl,
    namePrefix: config.namePrefix ?? defaultNamePrefix(stack.project, stack.stack),
    fields: config.fields,
    batchSize: config.batchSize,
    webhookSecretVersion: config.webhookSecretVersion,
    recordRequests: config.recordRequests,
    metadata: config.metadata,
    schedule: config.schedule,
    active: config.active,
    syncs: config.syncs,
    orgWebhook: config.orgWebhook && {
      endpoint: config.orgWebhook.url,
      secret: pulumi.secret(config.orgWebhook.secret),
      disabled: config.orgWebhook.disabled,
    },
    adopt: config.adopt,
  };
}
