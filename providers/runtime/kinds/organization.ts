/**
 * Organization: one of a Connect partner's organizations (a partner key manages them; the
 * resources inside one declare its id as `organizationId`).
 */
import { z } from "zod";
import { isNotFound } from "../../../client";
import type { organizations } from "../../../contract";
import type { KindSpec, ServerView } from "../kind";
import { compact } from "../shape";

export const OrganizationArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  ssoDomain: z.string().optional(),
  ssoOrgId: z.string().optional(),
  issuer: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type OrganizationArgs = z.infer<typeof OrganizationArgs>;

const body = (args: OrganizationArgs): organizations.CreateOrganizationRequest =>
  compact({ name: args.name, sso_domain: args.ssoDomain, sso_org_id: args.ssoOrgId, issuer: args.issuer });

function view(server: organizations.Organization): ServerView {
  return {
    asInputs: { name: server.name, ssoDomain: server.sso_domain, ssoOrgId: server.sso_org_id, issuer: server.issuer },
    extras: {},
  };
}

export const organizationKind: KindSpec<OrganizationArgs> = {
  name: "Organization",
  schema: OrganizationArgs,
  replaceKeys: [],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  deleteBeforeReplace: false,
  partnerScope: true,
  body,
  async list(ctx) {
    // Organizations are listed without a creation time: matched by name alone.
    return (await ctx.client.organizations.list()).map((o) => ({ id: o.id, name: o.name }));
  },
  async create(ctx, args, idempotencyKey) {
    const server = await ctx.client.organizations.create(body(args), { idempotencyKey });
    return { id: server.id, view: view(server) };
  },
  async get(ctx, id) {
    return view(await ctx.client.organizations.get(id));
  },
  async update(ctx, id, args) {
    return view(await ctx.client.organizations.update(id, body(args)));
  },
  async delete(ctx, id) {
    try {
      await ctx.client.organizations.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
