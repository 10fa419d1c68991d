/**
 * Users of an organization, for partner keys: `/api/organizations/{org_id}/users[/{id}]`
 * ("User endpoints are only accessible using partner keys": polytomic-typescript `users` Client).
 * The partner key alone reaches any of its organizations; scoped to one with Basic auth (how
 * Polytomic's Terraform provider v2.0.0 sends a partner or deployment key), that one only.
 * The same users of the caller's own organization, for any key acting in one:
 * `/api/organization/users[/{id}]` (polytomic-typescript `users` Client `*CurrentOrg*`, 2025-09-18).
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { answers, users } from "../../contract";
import { readBody } from "../http/body";
import { organizationOf } from "../http/caller";
import type { AppEnv } from "../http/context";
import { ApiProblem, notFound, unprocessable } from "../http/errors";
import { ownedBy, allOwnedBy } from "../resources/owned";
import { legacyRoleId, legacyRoleOf, systemRoles } from "../resources/systemRoles";
import type { StoredUser } from "../store/state";
import { type RouteDeps, timestamp } from "./deps";
import { byCreation } from "./order";

export function userRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  /** The organization of the path, if this caller may manage its users; the caller's own one on the current-organization paths. */
  const organization = (c: Context<AppEnv>): string => {
    if (c.req.param("organization") === undefined) return organizationOf(c);
    const id = c.req.param("organization") ?? "";
    if (!c.get("partner")) throw new ApiProblem(403, "user endpoints need a partner key (Authorization: Bearer <partner key>)", "forbidden");
    const scoped = c.get("organizationId");
    if (scoped !== undefined && scoped !== id) throw new ApiProblem(403, `this key is scoped to organization ${scoped}, not ${id}`, "forbidden");
    if (!store.state.organizations[id]) throw notFound("organization", id);
    return id;
  };
  const user = (c: Context<AppEnv>): StoredUser => {
    const id = c.req.param("id") ?? "";
    const found = ownedBy(store.state.users, id, organization(c));
    if (!found) throw notFound("user", id);
    return found;
  };

  /**
   * The roles a request assigns: `role_ids` (each one of the organization's roles), or the
   * built-in role of the legacy `role`; both at once are refused (TS CreateUserRequestSchema:
   * "setting both role and role_ids in the same request is rejected"; 422 UnprocessableEntityError).
   */
  const rolesOf = (organizationId: string, body: users.CurrentOrgUpdateUserRequest): string[] | undefined => {
    if (body.role && body.role_ids) throw unprocessable("set role or role_ids, not both (role is deprecated: use role_ids)");
    if (body.role_ids) {
      const known = new Set([...systemRoles(organizationId).map((r) => r.id), ...allOwnedBy(store.state.roles, organizationId).map((r) => r.id)]);
      const unknown = body.role_ids.filter((id) => !known.has(id));
      if (unknown.length > 0) throw unprocessable(`role_ids: ${unknown.join(", ")} not found in this organization`);
      return [...body.role_ids];
    }
    if (body.role) {
      const id = legacyRoleId(organizationId, body.role);
      // "Role; one of `user` or `admin`" (TF docs/resources/user.md).
      if (!id) throw unprocessable(`role: must be one of ${users.LEGACY_ROLES.join(", ")} (or use role_ids)`);
      return [id];
    }
    return undefined;
  };

  for (const collection of ["/organizations/:organization/users", "/organization/users"]) {
    app.get(collection, (c) => {
      const organizationId = organization(c);
      return c.json({ data: allOwnedBy(store.state.users, organizationId).sort(byCreation).map(shape) });
    });

    app.post(collection, async (c) => {
      const organizationId = organization(c);
      const body = await readBody(c, users.CreateUserRequest);
      // "Our backend normalizes email addresses to lowercase" (TF resource_user.go Read).
      const email = body.email.toLowerCase();
      // One user per email in an organization: TF resource_user.go imports a user by its email (case-insensitive).
      const existing = allOwnedBy(store.state.users, organizationId).find((u) => u.email === email);
      if (existing) throw unprocessable(`a user with email ${email} already exists in this organization`, { existing_user_id: existing.id });
      // Without roles, the user is a member (the built-in Member role; TF docs: role "one of `user` or `admin`").
      const roleIds = rolesOf(organizationId, body) ?? [legacyRoleId(organizationId, "user") as string];
      const stored: StoredUser = { id: randomUUID(), email, organization_id: organizationId, role_ids: roleIds, created_at: timestamp() };
      store.state.users[stored.id] = stored;
      store.changed();
      return c.json({ data: shape(stored) }, 200);
    });

    app.get(`${collection}/:id`, (c) => c.json({ data: shape(user(c)) }));

    app.put(`${collection}/:id`, async (c) => {
      const stored = user(c);
      const body = await readBody(c, c.req.param("organization") === undefined ? users.CurrentOrgUpdateUserRequest : users.UpdateUserRequest);
      // "Only the user's role assignments are modified. Profile information such as name and email
      // address is not affected by this endpoint" (TS users Client `update`).
      stored.role_ids = rolesOf(stored.organization_id, body) ?? stored.role_ids;
      store.changed();
      return c.json({ data: shape(stored) }, 200);
    });

    app.delete(`${collection}/:id`, (c) => {
      delete store.state.users[user(c).id];
      store.changed();
      return c.json({}, 200);
    });
  }

  function shape(stored: StoredUser): users.User {
    const answer = { id: stored.id, email: stored.email, organization_id: stored.organization_id, role: legacyRoleOf(stored.organization_id, stored.role_ids), role_ids: [...stored.role_ids] };
    return answers.fillAnswer("user", answer, deps.answerFill);
  }
  return app;
}
