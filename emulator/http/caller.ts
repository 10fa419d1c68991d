/** Which organization a request acts in, and what a partner key alone may reach. */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { ApiProblem } from "./errors";

/** The caller's organization; a partner key alone has none and gets a 403 naming the fix. */
export function organizationOf(c: Context<AppEnv>): string {
  const organizationId = c.get("organizationId");
  if (organizationId === undefined) {
    throw new ApiProblem(
      403,
      "a partner key reaches the organization endpoints only: act inside one organization with Authorization: Basic base64(<organization id>:<partner key>)",
      "forbidden",
    );
  }
  return organizationId;
}

/** The organization endpoints take a partner key alone, not a key acting inside one organization. */
export function requirePartner(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("organizationId") !== undefined) {
      throw new ApiProblem(403, "the organization endpoints need a partner key (Authorization: Bearer <partner key>)", "forbidden");
    }
    await next();
  };
}
