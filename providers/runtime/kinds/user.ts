/**
 * User: a member of one organization, managed with a partner key (Polytomic's user endpoints take
 * partner keys only). Fields as Polytomic's Terraform provider v2.0.0 `provider/resource_user.go`
 * has them: `email` (a new one is a new user: the API never changes an email), `organization`,
 * `role_ids`, and the deprecated `role`.
 */
import { z } from "zod";
import { users } from "../../../contract";
import type { Failure, KindSpec, ServerView } from "../kind";
import { compact } from "../shape";
import { collectionVerbs } from "./collectionVerbs";

export const UserArgs = z.object({
  // Polytomic keeps emails lowercased (TF resource_user.go: "Our backend normalizes email addresses
  // to lowercase"): one written otherwise would read back as a change at every refresh.
  email: z
    .email({ error: "must be an email address" })
    .refine((email) => email === email.toLowerCase(), { error: "write it in lowercase: Polytomic keeps emails lowercased" }),
  organizationId: z.string().min(1, "must not be empty: a user lives in one organization"),
  roleIds: z.array(z.string().min(1, "must not be empty")).min(1, "must name at least one role (or leave it out)").optional(),
  role: z.enum(users.LEGACY_ROLES, { error: "must be `admin` or `user` (deprecated: prefer roleIds)" }).optional(),
  adoptId: z.string().min(1).optional(),
});
export type UserArgs = z.infer<typeof UserArgs>;

const body = (args: UserArgs): users.CreateUserRequest => compact({ email: args.email, role_ids: args.roleIds, role: args.role });

function view(server: users.User): ServerView {
  return {
    asInputs: { email: server.email, organizationId: server.organization_id, roleIds: server.role_ids ?? undefined, role: server.role },
    extras: {},
  };
}

/** The API refuses both at once ("setting both role and role_ids in the same request is rejected", TS CreateUserRequestSchema). */
function crossChecks(args: UserArgs): Failure[] {
  return args.role !== undefined && args.roleIds !== undefined ? [{ property: "role", reason: "set role or roleIds, not both (role is deprecated: use roleIds)" }] : [];
}

export const userKind: KindSpec<UserArgs> = {
  name: "User",
  schema: UserArgs,
  replaceKeys: ["email", "organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  deleteBeforeReplace: false,
  // The user endpoints take the partner key (scoped to the user's organization).
  partnerScope: true,
  crossChecks,
  body,
  // Every verb acts under the organization the user declares (the client is scoped to it too).
  ...collectionVerbs((client, ctx) => client.users(organizationOf(ctx)), body, view),
};

/** Users live under their organization's path: the one the resource declares. */
function organizationOf(ctx: { organizationId?: string }): string {
  if (!ctx.organizationId) throw new Error("User: organizationId is required");
  return ctx.organizationId;
}
