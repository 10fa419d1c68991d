/** `GET /api/me`: who the API key belongs to, and which organization it acts in. */
import { Hono } from "hono";
import type { identity } from "../../contract";
import { API_USER } from "../defaults";
import type { AppEnv } from "../http/context";
import type { RouteDeps } from "./deps";

export function identityRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/me", (c) => {
    const acting = c.get("organizationId");
    // A partner key alone acts in no organization: it is answered with the emulator's own.
    const organizationId = acting ?? deps.organizationId;
    return c.json({
      data: {
        id: API_USER.id,
        email: API_USER.email,
        organization_id: organizationId,
        organization_name: deps.store.state.organizations[organizationId]?.name,
        is_user: acting !== undefined,
        is_organization: false,
        is_partner: acting === undefined,
        is_system: false,
        role: "admin",
      } satisfies identity.Identity,
    });
  });
  return app;
}
