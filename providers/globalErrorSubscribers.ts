/** The organization's global error subscribers (`pulumi-nodejs:dynamic/polytomic:GlobalErrorSubscribers`). */
import * as pulumi from "./sdk";
import { createInputs, registerOrgWebhook } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface GlobalErrorSubscribersArgs {
  /** The emails Polytomic tells of sync errors, each once. Replaces the organization's whole list. */
  emails: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization (partner keys: acts there with the partner key). Changing it replaces the list (the old one is cleared first). */
  organizationId?: pulumi.Input<string>;
  /**
   * Take over a list the organization already has (a preview refuses to overwrite one this stack
   * did not set): `global-error-subscribers`, or `global-error-subscribers/<organizationId>` with
   * `organizationId`. Read at create only.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * The one list of an organization's global error subscribers. Creating it sets the list;
 * `pulumi destroy` clears it. Declare it once per organization.
 */
export class GlobalErrorSubscribers extends DynamicResource {
  public readonly emails!: pulumi.Output<string[]>;
  public readonly organizationId!: pulumi.Output<string | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;

  constructor(name: string, args: GlobalErrorSubscribersArgs, opts?: pulumi.CustomResourceOptions) {
    // One per organization, checked against what exists like the org webhook: the resources
    // constructed alongside wait for its check, so a list another stack owns fails the run first.
    super(providers.globalErrorSubscribers, name, { ...args, ...createInputs(opts, "orgWebhook") }, opts, "polytomic", "GlobalErrorSubscribers");
    registerOrgWebhook(this, opts);
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): GlobalErrorSubscribers {
    return new GlobalErrorSubscribers(name, {} as GlobalErrorSubscribersArgs, { ...opts, id });
  }
}
