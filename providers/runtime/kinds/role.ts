/**
 * Role: a permissions role of an organization, which policies grant actions to and users hold.
 * Fields as Polytomic's Terraform provider v2.0.0 `provider/resource_role.go` has them (`name`,
 * `organization`; `system` read-only). Built-in roles (Admin, Member) cannot be managed: look
 * them up with `getRole`.
 */
import { z } from "zod";
import type { permissions } from "../../../contract";
import type { KindSpec, ServerView } from "../kind";
import { compact } from "../shape";
import { collectionVerbs } from "./collectionVerbs";

export const RoleArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type RoleArgs = z.infer<typeof RoleArgs>;

const body = (args: RoleArgs): permissions.CreateRoleRequest => compact({ name: args.name, organization_id: args.organizationId });

function view(server: permissions.Role): ServerView {
  return { asInputs: { name: server.name, organizationId: server.organization_id }, extras: { system: server.system ?? false } };
}

export const roleKind: KindSpec<RoleArgs> = {
  name: "Role",
  schema: RoleArgs,
  replaceKeys: ["organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  deleteBeforeReplace: false,
  body,
  async list(ctx) {
    // Roles are listed without a creation time: matched by name alone, built-in ones never.
    return (await ctx.client.roles.list()).filter((r) => !r.system).map((r) => ({ id: r.id, name: r.name }));
  },
  ...collectionVerbs((client) => client.roles, body, view),
};
