/**
 * GlobalErrorSubscribers: the emails an organization tells of sync errors. One list per
 * organization, replaced whole: creating it sets the list, deleting it clears it (as Polytomic's
 * Terraform provider v2.0.0 `provider/resource_global_error_subscribers.go` does). Its id names
 * the organization's list: `global-error-subscribers` (that provider's id) for the API key's own
 * organization, `global-error-subscribers/<organization id>` for a declared one.
 */
import { z } from "zod";
import type { Failure, KindContext, KindSpec, ServerView } from "../kind";

/** Terraform's id for the list (resource_global_error_subscribers.go). */
export const SUBSCRIBERS_ID = "global-error-subscribers";

export const GlobalErrorSubscribersArgs = z.object({
  emails: z.array(z.email({ error: "must be an email address" })),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type GlobalErrorSubscribersArgs = z.infer<typeof GlobalErrorSubscribersArgs>;

/** The id of the list of the organization `args` declare. */
export const subscribersId = (organizationId: string | undefined) => (organizationId ? `${SUBSCRIBERS_ID}/${organizationId}` : SUBSCRIBERS_ID);

const view = (server: { emails: string[] }): ServerView => ({ asInputs: { emails: server.emails }, extras: {} });

async function set(ctx: KindContext, args: GlobalErrorSubscribersArgs): Promise<ServerView> {
  return view(await ctx.client.globalErrorSubscribers.set(args.emails));
}

function crossChecks(args: GlobalErrorSubscribersArgs): Failure[] {
  const failures: Failure[] = [];
  // The list keeps each email once: a repeat would read back as a change at every refresh.
  args.emails.forEach((email, i) => {
    const first = args.emails.indexOf(email);
    if (first !== i) failures.push({ property: `emails[${i}]`, reason: `"${email}" is already emails[${first}]: list each email once` });
  });
  const id = subscribersId(args.organizationId);
  if (args.adoptId !== undefined && args.adoptId !== id) {
    failures.push({ property: "adoptId", reason: `the list of this organization is "${id}": adopt that, or leave adoptId out` });
  }
  return failures;
}

export const globalErrorSubscribersKind: KindSpec<GlobalErrorSubscribersArgs> = {
  name: "GlobalErrorSubscribers",
  schema: GlobalErrorSubscribersArgs,
  replaceKeys: ["organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  // One list per organization: a replacement clears the old one before setting the new.
  deleteBeforeReplace: true,
  crossChecks,
  body: (args) => ({ emails: args.emails, organization: args.organizationId ?? null }),
  async checkNew(ctx, args, madeByThisStack) {
    // Creating the list replaces whatever it holds: a list someone else keeps is not overwritten
    // silently. One this stack set in a run killed before its state was written is its own.
    const id = subscribersId(args.organizationId);
    if (args.adoptId || madeByThisStack(id)) return [];
    const { emails } = await ctx.client.globalErrorSubscribers.get();
    if (emails.length === 0) return [];
    return [
      {
        property: "emails",
        reason:
          `the organization already has global error subscribers (${emails.join(", ")}), and this stack does not own them ` +
          `(an organization has one list). Take the list over with adoptId: "${id}", or leave it out of this stack`,
      },
    ];
  },
  async create(ctx, args) {
    // A PUT: safe to repeat, so it needs no Idempotency-Key.
    return { id: subscribersId(args.organizationId), view: await set(ctx, args) };
  },
  async get(ctx) {
    return view(await ctx.client.globalErrorSubscribers.get());
  },
  async update(ctx, _id, args) {
    return set(ctx, args);
  },
  async delete(ctx) {
    await ctx.client.globalErrorSubscribers.set([]);
  },
};
