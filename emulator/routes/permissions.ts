/**
 * Roles and policies of the caller's organization: `/api/permissions/roles[/{id}]` and
 * `/api/permissions/policies[/{id}]` (polytomic-typescript `permissions/{roles,policies}` Clients;
 * Polytomic's Terraform provider v2.0.0 `provider/resource_{role,policy}.go`). Updates are full
 * replacements. Every organization has its built-in roles (resources/systemRoles.ts).
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { answers, permissions } from "../../contract";
import { readBody } from "../http/body";
import { organizationOf } from "../http/caller";
import type { AppEnv } from "../http/context";
import { ApiProblem, badRequest, notFound } from "../http/errors";
import { checkOrganization } from "../resources/organization";
import { allOwnedBy, ownedBy } from "../resources/owned";
import { systemRoles } from "../resources/systemRoles";
import type { StoredPolicy, StoredRole } from "../store/state";
import { type RouteDeps, timestamp } from "./deps";
import { byCreation } from "./order";

export function permissionRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  /** Built-in roles first, then the organization's own, oldest first. */
  const rolesOf = (organizationId: string): permissions.Role[] => [
    ...systemRoles(organizationId),
    ...allOwnedBy(store.state.roles, organizationId).sort(byCreation).map(shapeRole),
  ];
  const role = (c: Context<AppEnv>): permissions.Role => {
    const id = c.req.param("id") ?? "";
    const found = rolesOf(organizationOf(c)).find((r) => r.id === id);
    if (!found) throw notFound("role", id);
    return found;
  };
  /** A built-in role "cannot be updated" / "cannot be deleted": TS roles Client `update`/`delete` (403 ForbiddenError). */
  const customRole = (c: Context<AppEnv>): StoredRole => {
    const found = role(c);
    if (found.system) throw new ApiProblem(403, `role ${found.id} (${found.name}) is a built-in system role: it cannot be modified or deleted`, "forbidden");
    return store.state.roles[found.id];
  };

  app.get("/permissions/roles", (c) => c.json({ data: rolesOf(organizationOf(c)).map((r) => fill("role", r)) }));
  app.get("/permissions/roles/:id", (c) => c.json({ data: fill("role", role(c)) }));
  app.post("/permissions/roles", async (c) => {
    const body = await readBody(c, permissions.CreateRoleRequest);
    const organizationId = organizationOf(c);
    checkOrganization(body.organization_id, organizationId);
    const stored: StoredRole = { id: randomUUID(), name: body.name, organization_id: organizationId, created_at: timestamp() };
    store.state.roles[stored.id] = stored;
    store.changed();
    return c.json({ data: fill("role", shapeRole(stored)) }, 200);
  });
  app.put("/permissions/roles/:id", async (c) => {
    const stored = customRole(c);
    const body = await readBody(c, permissions.UpdateRoleRequest);
    checkOrganization(body.organization_id, stored.organization_id);
    stored.name = body.name;
    store.changed();
    return c.json({ data: fill("role", shapeRole(stored)) }, 200);
  });
  app.delete("/permissions/roles/:id", (c) => {
    // "Deleting a role does not automatically remove it from any policies that reference it" (TS roles Client `delete`).
    delete store.state.roles[customRole(c).id];
    store.changed();
    return c.json({}, 200);
  });

  const policy = (c: Context<AppEnv>): StoredPolicy => {
    const id = c.req.param("id") ?? "";
    const found = ownedBy(store.state.policies, id, organizationOf(c));
    if (!found) throw notFound("policy", id);
    return found;
  };
  /** Every role a policy names must be one of the organization's (TS policies Client `create`/`update` answer 400 BadRequestError). */
  const checkRoles = (organizationId: string, actions: permissions.PolicyAction[]) => {
    const known = new Set(rolesOf(organizationId).map((r) => r.id));
    actions.forEach((action, i) =>
      (action.role_ids ?? []).forEach((roleId, j) => {
        if (!known.has(roleId)) throw badRequest(`policy_actions[${i}].role_ids[${j}]: role ${roleId} not found in this organization`);
      }),
    );
  };
  const settings = (body: permissions.CreatePolicyRequest, organizationId: string) => {
    checkOrganization(body.organization_id, organizationId);
    const actions = body.policy_actions ?? [];
    checkRoles(organizationId, actions);
    return { name: body.name, policy_actions: actions };
  };

  app.get("/permissions/policies", (c) => c.json({ data: allOwnedBy(store.state.policies, organizationOf(c)).sort(byCreation).map(shapePolicy) }));
  app.get("/permissions/policies/:id", (c) => c.json({ data: shapePolicy(policy(c)) }));
  app.post("/permissions/policies", async (c) => {
    const body = await readBody(c, permissions.CreatePolicyRequest);
    const organizationId = organizationOf(c);
    const stored: StoredPolicy = { id: randomUUID(), organization_id: organizationId, created_at: timestamp(), ...settings(body, organizationId) };
    store.state.policies[stored.id] = stored;
    store.changed();
    return c.json({ data: shapePolicy(stored) }, 200);
  });
  app.put("/permissions/policies/:id", async (c) => {
    const stored = policy(c);
    const body = await readBody(c, permissions.UpdatePolicyRequest);
    // A full replacement: "Any role or resource binding not included in the request body is removed" (TS policies Client `update`).
    Object.assign(stored, settings(body, stored.organization_id));
    store.changed();
    return c.json({ data: shapePolicy(stored) }, 200);
  });
  app.delete("/permissions/policies/:id", (c) => {
    delete store.state.policies[policy(c).id];
    store.changed();
    return c.json({}, 200);
  });

  function shapePolicy(stored: StoredPolicy): permissions.Policy {
    const { created_at: _createdAt, ...served } = stored;
    return fill("policy", { ...structuredClone(served), system: false });
  }
  function fill<T extends Record<string, unknown>>(object: "role" | "policy", answer: T): T {
    return answers.fillAnswer(object, answer, deps.answerFill);
  }
  return app;
}

function shapeRole(stored: StoredRole): permissions.Role {
  return { id: stored.id, name: stored.name, organization_id: stored.organization_id, system: false };
}
