/**
 * The built-in roles every organization has from the start: "System roles such as Admin and
 * Member are always present in every organization and cannot be modified or deleted"
 * (polytomic-typescript `permissions/roles` Client `list`, `update`, `delete`). They are not
 * stored: each organization's are derived from its id, so they exist as soon as it does, and the
 * legacy user roles `admin` and `user` (TF docs/resources/user.md) name them.
 */
import { createHash } from "node:crypto";
import type { permissions } from "../../contract";

interface SystemRole {
  name: string;
  /** The legacy user role (`role`) that stands for it. */
  legacy: "admin" | "user";
}

export const SYSTEM_ROLES: readonly SystemRole[] = [
  { name: "Admin", legacy: "admin" },
  { name: "Member", legacy: "user" },
];

/** A stable UUID-shaped id for a built-in role of one organization. */
function systemRoleId(organizationId: string, name: string): string {
  const hex = createHash("sha256").update(`system-role:${organizationId}:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The organization's built-in roles, as answered. */
export function systemRoles(organizationId: string): permissions.Role[] {
  return SYSTEM_ROLES.map(({ name }) => ({ id: systemRoleId(organizationId, name), name, organization_id: organizationId, system: true }));
}

/** The id of the built-in role a legacy role name (`admin`, `user`; any case) stands for. */
export function legacyRoleId(organizationId: string, legacy: string): string | undefined {
  const found = SYSTEM_ROLES.find((role) => role.legacy === legacy.toLowerCase());
  return found && systemRoleId(organizationId, found.name);
}

/** The legacy role name of a set of roles: `admin` when the Admin role is among them, else `user`. */
export function legacyRoleOf(organizationId: string, roleIds: readonly string[]): "admin" | "user" {
  return roleIds.includes(systemRoleId(organizationId, "Admin")) ? "admin" : "user";
}
