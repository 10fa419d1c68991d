/**
 * Policy: actions of an organization bound to the roles allowed them. Fields as Polytomic's
 * Terraform provider v2.0.0 `provider/resource_policy.go` has them (`name`, `policy_actions`
 * with `action` and `role_ids`, `organization`; `system` read-only). An update replaces every
 * binding (PUT is a full replacement), so what is declared is all the policy grants.
 */
import { z } from "zod";
import type { permissions } from "../../../contract";
import type { Failure, KindSpec, ServerView } from "../kind";
import { compact } from "../shape";
import { collectionVerbs } from "./collectionVerbs";

const PolicyActionArgs = z.object({
  action: z.string().min(1, "must not be empty"),
  roleIds: z.array(z.string().min(1, "must not be empty")).optional(),
});

export const PolicyArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  policyActions: z.array(PolicyActionArgs).optional(),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type PolicyArgs = z.infer<typeof PolicyArgs>;

const body = (args: PolicyArgs): permissions.CreatePolicyRequest =>
  compact({
    name: args.name,
    organization_id: args.organizationId,
    policy_actions: args.policyActions?.map((a) => compact({ action: a.action, role_ids: a.roleIds })),
  });

function view(server: permissions.Policy): ServerView {
  const policyActions = (server.policy_actions ?? []).map((a) => compact({ action: a.action, roleIds: a.role_ids ?? undefined }));
  return { asInputs: { name: server.name, organizationId: server.organization_id, policyActions }, extras: { system: server.system ?? false } };
}

/** An action listed twice would have its roles merged or dropped by the server: one entry per action (TF keeps them as a set). */
function crossChecks(args: PolicyArgs): Failure[] {
  const seen = new Map<string, number>();
  return (args.policyActions ?? []).flatMap((a, i) => {
    const first = seen.get(a.action);
    if (first === undefined) seen.set(a.action, i);
    return first === undefined ? [] : [{ property: `policyActions[${i}].action`, reason: `"${a.action}" is already policyActions[${first}]: list each action once, with all its roles` }];
  });
}

export const policyKind: KindSpec<PolicyArgs> = {
  name: "Policy",
  schema: PolicyArgs,
  replaceKeys: ["organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  deleteBeforeReplace: false,
  crossChecks,
  body,
  async list(ctx) {
    return (await ctx.client.policies.list()).filter((p) => !p.system).map((p) => ({ id: p.id, name: p.name }));
  },
  ...collectionVerbs((client) => client.policies, body, view),
};
