/**
 * Lookups: read-only functions over the Polytomic API, each with an `Output` form for inputs that
 * are not known yet, the way Pulumi packages offer data sources (`aws.getCallerIdentity` and
 * `aws.getCallerIdentityOutput`). They run in the program, at `preview` as at `up`, with the
 * credentials the resources use (`polytomic:url`, `polytomic:apiKey`, `polytomic:partnerKey` from
 * the stack config, else POLYTOMIC_URL, POLYTOMIC_API_KEY, POLYTOMIC_PARTNER_KEY).
 */
import * as pulumi from "./sdk";
import { lookupClient } from "./lookupClient";
import { compact } from "./runtime/shape";

/** Who the configured key is (`GET /api/me`). */
export interface CallerIdentity {
  /** The user the key belongs to, when it is a user's. */
  id?: string;
  email?: string;
  role?: string;
  organizationId: string;
  organizationName?: string;
  isUser?: boolean;
  isOrganization?: boolean;
  isPartner?: boolean;
  isSystem?: boolean;
}

export interface GetCallerIdentityArgs {
  /** Ask inside this organization (with a partner key: scoped to it). Default: the key's own. */
  organizationId?: string;
}

/** A role found by name. */
export interface RoleLookup {
  id: string;
  name: string;
  organizationId?: string;
  /** Built-in (Admin, Member): Polytomic manages it. */
  system: boolean;
}

export interface GetRoleArgs {
  /** The role's name, compared case-insensitively (as Polytomic's Terraform provider does), e.g. `Admin`. */
  name: string;
  /** The organization to look in (with a partner key: scoped to it). Default: the key's own. */
  organizationId?: string;
}

/** Who the configured key is: its organization (and user, role and kind of key). */
export async function getCallerIdentity(args: GetCallerIdentityArgs = {}, _opts?: pulumi.InvokeOptions): Promise<CallerIdentity> {
  const me = await (await lookupClient(args.organizationId)).me();
  return compact({
    id: me.id,
    email: me.email,
    role: me.role,
    organizationId: me.organization_id,
    organizationName: me.organization_name,
    isUser: me.is_user,
    isOrganization: me.is_organization,
    isPartner: me.is_partner,
    isSystem: me.is_system,
  });
}

/** {@link getCallerIdentity} for inputs that may not be known yet. */
export function getCallerIdentityOutput(args: { organizationId?: pulumi.Input<string> } = {}, opts?: pulumi.InvokeOptions): pulumi.Output<CallerIdentity> {
  return pulumi.output(args).apply((resolved) => getCallerIdentity(resolved, opts));
}

/** A role by name (built-in ones included), to grant it actions or give it to users. Fails when none has that name. */
export async function getRole(args: GetRoleArgs, _opts?: pulumi.InvokeOptions): Promise<RoleLookup> {
  const roles = await (await lookupClient(args.organizationId)).roles.list();
  const found = roles.find((role) => role.name.toLowerCase() === args.name.toLowerCase());
  if (!found) {
    const where = args.organizationId ? `organization ${args.organizationId}` : "the key's organization";
    const { ExpectedFailure } = await import("./runtime/expectedFailure");
    throw new ExpectedFailure(`getRole: no role named "${args.name}" in ${where} (it has: ${roles.map((r) => r.name).join(", ") || "none"})`);
  }
  return compact({ id: found.id, name: found.name, organizationId: found.organization_id, system: found.system ?? false });
}

/** {@link getRole} for inputs that may not be known yet. */
export function getRoleOutput(args: { name: pulumi.Input<string>; organizationId?: pulumi.Input<string> }, opts?: pulumi.InvokeOptions): pulumi.Output<RoleLookup> {
  return pulumi.output(args).apply((resolved) => getRole(resolved, opts));
}
