/** A permissions policy of an organization (`pulumi-nodejs:dynamic/polytomic:Policy`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

/** One action a policy grants, and the roles it grants it to. */
export interface PolicyAction {
  /** The action, as Polytomic names it (e.g. `create`, `delete`, `apply_policy`). List each action once. */
  action: pulumi.Input<string>;
  /** Ids of the roles allowed the action (a {@link Role}'s id, or a built-in role's from {@link getRole}). */
  roleIds?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface PolicyArgs {
  /** Display name in Polytomic. A rename is an update. */
  name: pulumi.Input<string>;
  /** What the policy grants. An update replaces every binding: what is declared is all it grants. */
  policyActions?: pulumi.Input<pulumi.Input<PolicyAction>[]>;
  /** Organization (partner keys: acts there with the partner key). Changing it replaces the policy. */
  organizationId?: pulumi.Input<string>;
  /** Id of an existing policy to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

/** Binds actions to roles. Delete it before the roles it names (Pulumi does, as it depends on them). */
export class Policy extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly policyActions!: pulumi.Output<{ action: string; roleIds?: string[] }[] | undefined>;
  public readonly organizationId!: pulumi.Output<string | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** Whether Polytomic manages this policy itself (always false for one made here). */
  public readonly system!: pulumi.Output<boolean>;

  constructor(name: string, args: PolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.policy, name, { ...args, system: undefined, ...createInputs(opts) }, opts, "polytomic", "Policy");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Policy {
    return new Policy(name, {} as PolicyArgs, { ...opts, id });
  }
}
