/**
 * Users of an organization (`/api/organizations/{org_id}/users[/{id}]`, partner keys only).
 * Shapes: polytomic-typescript `src/api/types/User.ts` and `users/client/requests/*`; Polytomic's
 * Terraform provider v2.0.0 `provider/resource_user.go`.
 */
import { z } from "zod";
import { envelope, listEnvelope } from "./common";

/** The legacy role names (TF resource_user.go: "one of `user` or `admin`"). */
export const LEGACY_ROLES = ["user", "admin"] as const;

export const CreateUserRequest = z.object({
  email: z.email({ error: "must be an email address" }),
  /** Deprecated; `role_ids` instead. Both in one request are refused (TS CreateUserRequestSchema). */
  role: z.string().nullable().optional(),
  /** At least one entry when given (TS CreateUserRequestSchema.role_ids). */
  role_ids: z.array(z.string()).min(1, "must name at least one role when given").nullable().optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;
/** Updates change the roles only; the email is required but not changed (TS users Client `update`). */
export const UpdateUserRequest = CreateUserRequest;
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
/** The caller's own organization (`PUT /api/organization/users/{id}`): roles only (TS CurrentOrgUpdateUserRequestSchema). */
export const CurrentOrgUpdateUserRequest = CreateUserRequest.omit({ email: true });
export type CurrentOrgUpdateUserRequest = z.infer<typeof CurrentOrgUpdateUserRequest>;

export const User = z.object({
  id: z.string(),
  email: z.string(),
  organization_id: z.string().optional(),
  /** Deprecated legacy role name (lowercase). */
  role: z.string().optional(),
  role_ids: z.array(z.string()).nullable().optional(),
});
export type User = z.infer<typeof User>;
export const UserEnvelope = envelope(User);
export const UserListEnvelope = listEnvelope(User);
