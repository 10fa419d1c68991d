/**
 * Organizations, for partner keys: `/api/organizations[/{id}]`. A partner runs one organization
 * per customer; inside one it acts with `Basic base64(<organization id>:<partner key>)`.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { answers, organizations } from "../../contract";
import { readBody } from "../http/body";
import { requirePartner } from "../http/caller";
import type { AppEnv } from "../http/context";
import { notFound, unprocessable } from "../http/errors";
import type { StoredOrganization } from "../store/state";
import { type RouteDeps, timestamp } from "./deps";
import { byCreation } from "./order";

export function organizationRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();
  app.use("/organizations", requirePartner());
  // One organization only: its users (routes/users.ts) also take the partner key scoped to it.
  app.use("/organizations/:id", requirePartner());

  const find = (c: Context<AppEnv>): StoredOrganization => {
    const organization = store.state.organizations[c.req.param("id") ?? ""];
    if (!organization) throw notFound("organization", c.req.param("id") ?? "");
    return organization;
  };

  app.get("/organizations", (c) => c.json({ data: Object.values(store.state.organizations).sort(byCreation).map((o) => shape(o, deps.answerFill)) }));

  app.post("/organizations", async (c) => {
    const body = await readBody(c, organizations.CreateOrganizationRequest);
    const organization: StoredOrganization = { ...settings(body), id: randomUUID(), created_at: timestamp() };
    store.state.organizations[organization.id] = organization;
    store.changed();
    return c.json({ data: shape(organization, deps.answerFill) }, 200);
  });

  app.get("/organizations/:id", (c) => c.json({ data: shape(find(c), deps.answerFill) }));

  app.put("/organizations/:id", async (c) => {
    const organization = find(c);
    const body = await readBody(c, organizations.UpdateOrganizationRequest);
    store.state.organizations[organization.id] = { ...settings(body), id: organization.id, created_at: organization.created_at };
    store.changed();
    return c.json({ data: shape(store.state.organizations[organization.id], deps.answerFill) }, 200);
  });

  app.delete("/organizations/:id", (c) => {
    const organization = find(c);
    if (organization.id === deps.organizationId) {
      throw unprocessable("the emulator's own organization (the API key's) cannot be deleted");
    }
    // Like a connection in use: nothing is deleted silently; the objects go first.
    const inside = (["connections", "models", "syncs", "webhooks", "users", "roles", "policies"] as const).flatMap((kind) =>
      Object.values(store.state[kind])
        .filter((item) => item.organization_id === organization.id)
        .map((item) => ({ type: kind === "policies" ? "policy" : kind.slice(0, -1), id: item.id })),
    );
    if (inside.length > 0) {
      throw unprocessable(`organization in use: it holds ${inside.length} object(s); delete them first`, { used_by: inside });
    }
    delete store.state.organizations[organization.id];
    delete store.state.errorSubscribers[organization.id];
    store.changed();
    return c.json({}, 200);
  });

  return app;
}

/** What a create or a full-replacement update keeps (the client secret is write-only and not kept). */
function settings(body: organizations.CreateOrganizationRequest): Omit<StoredOrganization, "id" | "created_at"> {
  const { client_id: _clientId, client_secret: _clientSecret, ...kept } = body;
  return kept;
}

function shape(organization: StoredOrganization, fill: answers.AnswerFill): organizations.Organization {
  const { created_at: _createdAt, ...served } = organization;
  return answers.fillAnswer("organization", served, fill);
}
