/** A Connect partner's organization (`pulumi-nodejs:dynamic/polytomic:Organization`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface OrganizationArgs {
  /** Display name in Polytomic. */
  name: pulumi.Input<string>;
  /** Single sign-on settings, as Polytomic's organization API takes them. */
  ssoDomain?: pulumi.Input<string>;
  ssoOrgId?: pulumi.Input<string>;
  issuer?: pulumi.Input<string>;
  /** Id of an existing organization to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

/**
 * One organization of a partner: it needs a partner key (`polytomic:partnerKey`, or
 * `POLYTOMIC_PARTNER_KEY`). Resources inside it take its id as `organizationId`, and the
 * providers then act there with the partner key (`Basic <organization id>:<partner key>`).
 * `pulumi destroy` deletes it after everything inside it.
 */
export class Organization extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly adoptId!: pulumi.Output<string | undefined>;

  constructor(name: string, args: OrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.organization, name, { ...args, ...createInputs(opts) }, opts, "polytomic", "Organization");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Organization {
    return new Organization(name, {} as OrganizationArgs, { ...opts, id });
  }
}
