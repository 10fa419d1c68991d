/** Organization events, as recorded by the run engine: `/api/events`, `/api/events_types`. */
import { Hono } from "hono";
import { events } from "../../contract";
import { readQuery } from "../http/body";
import type { AppEnv } from "../http/context";
import { organizationOf } from "../http/caller";
import type { RouteDeps } from "./deps";

/** Documented default and maximum of `limit`. */
export const EVENT_LIMIT_DEFAULT = 10;
export const EVENT_LIMIT_MAX = 100;

export function eventRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/events", (c) => {
    const raw = c.req.query();
    // Like the sync list's limit: larger values are capped, non-positive or non-numeric ones mean the default.
    const requested = Number.parseInt(raw.limit ?? "", 10);
    const limit = Number.isFinite(requested) && requested > 0 ? Math.min(requested, EVENT_LIMIT_MAX) : EVENT_LIMIT_DEFAULT;
    const query = readQuery(c, events.EventListQuery.omit({ limit: true }));
    const list = deps.runs.listEvents({ ...query, organization_id: organizationOf(c), limit });
    return c.json({ data: list.slice(0, limit) });
  });

  app.get("/events_types", (c) => c.json({ data: [...events.EVENT_TYPES] }));

  return app;
}
