/** The organization's event webhook (`pulumi-nodejs:dynamic/polytomic:OrgWebhook`). */
import * as pulumi from "@pulumi/pulumi";
import { createInputs, registerOrgWebhook } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface OrgWebhookArgs {
  /** URL that receives `sync.*` events. */
  endpoint: pulumi.Input<string>;
  /** HMAC-SHA256 key of the `Polytomic-Signature` header, 6-32 characters. Always secret. */
  secret: pulumi.Input<string>;
  /** Pause deliveries (events are not queued meanwhile). Default `false`. */
  disabled?: pulumi.Input<boolean>;
  /** Organization (partner keys only). Changing it replaces the webhook. */
  organizationId?: pulumi.Input<string>;
  /**
   * Id of the existing webhook to adopt (an organization has only one, so a second create fails):
   * it is converged to these inputs and owned by the stack. Read at create only.
   */
  adoptId?: pulumi.Input<string>;
  /**
   * With `adoptId`: the stack (`<project>/<stack>`) that manages the webhook now, to take it over
   * from. Without it, adopting a webhook another stack's notes say it manages fails at preview,
   * naming that stack. Read at create only.
   */
  takeOverFrom?: pulumi.Input<string>;
}

export class OrgWebhook extends DynamicResource {
  public readonly endpoint!: pulumi.Output<string>;
  public readonly secret!: pulumi.Output<string>;
  public readonly disabled!: pulumi.Output<boolean | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  public readonly takeOverFrom!: pulumi.Output<string | undefined>;
  public readonly createdAt!: pulumi.Output<string | undefined>;

  constructor(name: string, args: OrgWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providers.orgWebhook,
      name,
      { ...args, createdAt: undefined, ...createInputs(opts, "orgWebhook") },
      // `secret` is made a secret, input and output, by DynamicResource (stub.ts).
      opts,
      "polytomic",
      "OrgWebhook",
    );
    registerOrgWebhook(this, opts);
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): OrgWebhook {
    return new OrgWebhook(name, {} as OrgWebhookArgs, { ...opts, id });
  }
}
