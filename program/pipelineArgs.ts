/**
 * Turns the parsed stack config into the component's arguments: the only place that knows both.
 * Secret values are wrapped with `pulumi.secret` here, because config text read with `get` is plain.
 */
import * as pulumi from "../providers/sdk";
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
  const { gcp, namePrefix, orgWebhook, ...settings } = config;
  // Every other config setting is one of the component's args, under the same name and type:
  // passed on as it is (the build fails if one is added to the config that the component lacks).
  const sameNamed: { [K in keyof typeof settings]: GcsToWebhookArgs[K & keyof GcsToWebhookArgs] } = settings;
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
    ...sameNamed,
    namePrefix: namePrefix ?? defaultNamePrefix(stack.project, stack.stack),
    // Messages about the syncs' columns then name the config key (`<project>:fields`) and its fix.
    settingNames: { configNamespace: stack.project },
    orgWebhook: orgWebhook && {
      endpoint: orgWebhook.url,
      secret: pulumi.secret(orgWebhook.secret),
      disabled: orgWebhook.disabled,
      takeOverFrom: orgWebhook.takeOverFrom,
    },
  };
}
