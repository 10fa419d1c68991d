/** OrgWebhook: the organization's single event webhook, signed with an HMAC secret. */
import { z } from "zod";
import { isNotFound } from "../../../client";
import { webhooks } from "../../../contract";
import type { KindContext, KindSpec, ServerView } from "../kind";
import { compact, sameValue } from "../shape";

export const OrgWebhookArgs = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  secret: webhooks.WebhookSecret,
  disabled: z.boolean().optional(),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
  takeOverFrom: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: "must name a stack as <project>/<stack>" }).optional(),
});
export type OrgWebhookArgs = z.infer<typeof OrgWebhookArgs>;

const body = (args: OrgWebhookArgs) => compact({ endpoint: args.endpoint, secret: args.secret, organization_id: args.organizationId });

function view(server: webhooks.Webhook): ServerView {
  // The secret is not read back: whether GET shows it is undocumented, and state keeps the declared one.
  return {
    asInputs: { endpoint: server.endpoint, disabled: server.disabled ?? false, organizationId: server.organization_id },
    extras: { createdAt: server.created_at },
  };
}

async function applyDisabled(ctx: KindContext, id: string, args: OrgWebhookArgs, current: ServerView): Promise<ServerView> {
  const wanted = args.disabled ?? false;
  if (current.asInputs.disabled === wanted) return current;
  return view(wanted ? await ctx.client.webhooks.disable(id) : await ctx.client.webhooks.enable(id));
}

export const orgWebhookKind: KindSpec<OrgWebhookArgs> = {
  name: "OrgWebhook",
  schema: OrgWebhookArgs,
  replaceKeys: ["organizationId"],
  providerOnlyKeys: ["adoptId", "takeOverFrom"],
  writeOnlyKeys: ["secret"],
  // One webhook per organization: a replacement must remove the old one first.
  deleteBeforeReplace: true,
  body,
  async checkNew(ctx, args, madeByThisStack, managedBy) {
    // One webhook per organization, owned by one stack: claiming one that exists would fail with
    // a 422 only after the other objects were made, so it fails the preview instead. One this
    // stack made in a run killed before its state was written is its own: the create takes it back.
    if (args.adoptId) {
      // Adopting one that another stack's notes say it manages would overwrite its secret under it.
      const owner = await managedBy(args.adoptId);
      if (!owner || owner === args.takeOverFrom) return [];
      return [
        {
          property: "adoptId",
          reason:
            `org webhook ${args.adoptId} is managed by stack ${owner} (its notes say so): leave it out of this stack, ` +
            `or take it over with takeOverFrom: "${owner}" (the GcsToWebhook program: pulumi config set orgWebhookTakeOverFrom ${owner}) ` +
            `after removing it from that stack's state (pulumi state delete <its urn> --stack <that stack>)`,
        },
      ];
    }
    const existing = (await ctx.client.webhooks.list())
      .filter((w) => !args.organizationId || !w.organization_id || w.organization_id === args.organizationId)
      .filter((w) => !madeByThisStack(w.id));
    if (existing.length === 0) return [];
    const found = existing.map((w) => `${w.id} (endpoint ${w.endpoint})`).join(", ");
    return [
      {
        property: "endpoint",
        reason:
          `the organization already has its event webhook, ${found}, and this stack does not own it (an organization has one, ` +
          "owned by one stack). Leave it out of this stack (no OrgWebhook; with the GcsToWebhook program, unset orgWebhookUrl " +
          "and orgWebhookSecret), or, if no other stack owns it, take it over with adoptId " +
          "(`pulumi config set --path adopt.orgWebhookId <id>`)",
      },
    ];
  },
  async create(ctx, args, idempotencyKey) {
    const server = await ctx.client.webhooks.create(body(args), { idempotencyKey });
    return { id: server.id, view: await applyDisabled(ctx, server.id, args, view(server)) };
  },
  async get(ctx, id) {
    return view(await ctx.client.webhooks.get(id));
  },
  async update(ctx, id, args, previous) {
    // Pausing or resuming alone has its own endpoints: no need to resend endpoint and secret.
    const sameBody = sameValue(body(args), body(previous as OrgWebhookArgs));
    const current = sameBody ? view(await ctx.client.webhooks.get(id)) : view(await ctx.client.webhooks.update(id, body(args)));
    return applyDisabled(ctx, id, args, current);
  },
  async delete(ctx, id) {
    try {
      await ctx.client.webhooks.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
