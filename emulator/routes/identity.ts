/** `GET /api/me`: who the API key belongs to. */
import { Hono } from "hono";
import type { identity } from "../../contract";
import { API_USER, ORGANIZATION_NAME } from "../defaults";
import type { AppEnv } from "../http/context";
import type { RouteDeps } from "./deps";

export function identityRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/me", (c) =>
    c.json({
      data: {
        id: API_USER.id,
        email: API_USER.email,
        organization_id: deps.organizationId,
        organization_name: ORGANIZATION_NAME,
        is_user: true,
        is_organization: false,
        is_partner: false,
        is_system: false,
        role: "admin",
      } satisfies identity.Identity,
    }),
  );
  return app;
}
