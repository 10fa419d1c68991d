/** A user of an organization (`pulumi-nodejs:dynamic/polytomic:User`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface UserArgs {
  /** Email address, in lowercase (Polytomic keeps it so). Polytomic never changes a user's email: a new one replaces the user. */
  email: pulumi.Input<string>;
  /** The user's organization (an {@link Organization}'s id). Changing it replaces the user. */
  organizationId: pulumi.Input<string>;
  /** Ids of the roles the user holds ({@link Role}, or built-in ones from {@link getRole}); at least one when set. Not with `role`. */
  roleIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Deprecated legacy role, `admin` or `user` (the built-in Admin or Member role). Not with `roleIds`. Default: `user`. */
  role?: pulumi.Input<"admin" | "user">;
  /** Id of an existing user of `organizationId` to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

/**
 * A user of one organization. Polytomic's user endpoints take partner keys only: set
 * `polytomic:partnerKey` (or POLYTOMIC_PARTNER_KEY); the user is managed with it, scoped to
 * `organizationId`. A new user receives Polytomic's invitation email.
 */
export class User extends DynamicResource {
  public readonly email!: pulumi.Output<string>;
  public readonly organizationId!: pulumi.Output<string>;
  public readonly roleIds!: pulumi.Output<string[] | undefined>;
  public readonly role!: pulumi.Output<"admin" | "user" | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.user, name, { ...args, ...createInputs(opts) }, opts, "polytomic", "User");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): User {
    return new User(name, {} as UserArgs, { ...opts, id });
  }
}
