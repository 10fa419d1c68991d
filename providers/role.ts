/** A permissions role of an organization (`pulumi-nodejs:dynamic/polytomic:Role`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface RoleArgs {
  /** Display name in Polytomic. A rename is an update. */
  name: pulumi.Input<string>;
  /** Organization (partner keys: acts there with the partner key). Changing it replaces the role. */
  organizationId?: pulumi.Input<string>;
  /** Id of an existing role to adopt instead of creating one (read at create only). Built-in roles cannot be adopted: they cannot be changed. */
  adoptId?: pulumi.Input<string>;
}

/**
 * A custom role: policies grant it actions (`Policy.policyActions[].roleIds`) and users hold it
 * (`User.roleIds`). The built-in roles every organization has (Admin, Member) are not managed:
 * find their ids with {@link getRole}.
 */
export class Role extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly organizationId!: pulumi.Output<string | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** Whether Polytomic manages this role itself (always false for one made here). */
  public readonly system!: pulumi.Output<boolean>;

  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.role, name, { ...args, system: undefined, ...createInputs(opts) }, opts, "polytomic", "Role");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Role {
    return new Role(name, {} as RoleArgs, { ...opts, id });
  }
}
