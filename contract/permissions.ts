/**
 * Roles and policies (`/api/permissions/roles`, `/api/permissions/policies`): a policy binds
 * actions to roles. Shapes: polytomic-typescript `src/api/types/{RoleResponse,PolicyResponse,
 * PolicyAction}.ts` and the `permissions/{roles,policies}` request types; Polytomic's Terraform
 * provider v2.0.0 `provider/resource_{role,policy}.go` sends the same.
 */
import { z } from "zod";
import { envelope, listEnvelope } from "./common";

export const CreateRoleRequest = z.object({
  name: z.string().min(1, "must not be empty"),
  organization_id: z.string().nullable().optional(),
});
export type CreateRoleRequest = z.infer<typeof CreateRoleRequest>;
/** PUT is a full replacement of the role (TS roles Client `update`). */
export const UpdateRoleRequest = CreateRoleRequest;

export const Role = z.object({
  id: z.string(),
  name: z.string(),
  organization_id: z.string().optional(),
  /** Built-in (Admin, Member): present in every organization, never updated or deleted. */
  system: z.boolean().optional(),
});
export type Role = z.infer<typeof Role>;
export const RoleEnvelope = envelope(Role);
export const RoleListEnvelope = listEnvelope(Role);

/** One action of a policy and the roles allowed it (TS `PolicyAction`). */
export const PolicyAction = z.object({
  action: z.string().min(1, "must not be empty"),
  role_ids: z.array(z.string()).nullable().optional(),
});
export type PolicyAction = z.infer<typeof PolicyAction>;

export const CreatePolicyRequest = z.object({
  name: z.string().min(1, "must not be empty"),
  organization_id: z.string().nullable().optional(),
  policy_actions: z.array(PolicyAction).nullable().optional(),
});
export type CreatePolicyRequest = z.infer<typeof CreatePolicyRequest>;
/** PUT is a full replacement: an action left out loses its roles (TS policies Client `update`). */
export const UpdatePolicyRequest = CreatePolicyRequest;

export const Policy = z.object({
  id: z.string(),
  name: z.string(),
  organization_id: z.string().optional(),
  policy_actions: z.array(PolicyAction).nullable().optional(),
  system: z.boolean().optional(),
});
export type Policy = z.infer<typeof Policy>;
export const PolicyEnvelope = envelope(Policy);
export const PolicyListEnvelope = listEnvelope(Policy);
