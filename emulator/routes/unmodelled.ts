/**
 * Objects Polytomic's API has and the emulator does not model, answered the way the API answers
 * for an organization that has none: an empty list, and for one object (any method, any sub-path)
 * a 404 with an ApiError body naming it. A client such as Polytomic's Terraform provider then reads
 * a clear "not found" (which it maps to "gone") instead of a crash or a bare "no route".
 *
 * The families are those Polytomic's Go client (polytomic-go v1.16.1, which the Terraform provider
 * v2.0.0 sends its requests with) has routes for and the Terraform provider has resources for:
 * bulk syncs, users, roles, policies. (A connection's schemas and their primary keys are modelled:
 * routes/schemas.ts.) Anything else unknown gets the app's own 404 ("no route"), also an ApiError body.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/context";
import { ApiProblem, notFound } from "../http/errors";

interface Family {
  /** What one object is called in messages. */
  kind: string;
  /** The collection under /api (hono path syntax). */
  collection: string;
}

const FAMILIES: readonly Family[] = [
  { kind: "bulk sync", collection: "/bulk/syncs" },
  { kind: "user", collection: "/organizations/:organization/users" },
  { kind: "role", collection: "/permissions/roles" },
  { kind: "policy", collection: "/permissions/policies" },
];

export function unmodelledRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const missing = (kind: string) => (c: Context<AppEnv>) => {
    throw notFound(kind, c.req.param("id") ?? "");
  };
  for (const { kind, collection } of FAMILIES) {
    app.get(collection, (c) => c.json({ data: [] }));
    app.post(collection, () => {
      throw new ApiProblem(404, `the emulator does not model ${kind} objects: none can be created here`, "not_found");
    });
    app.all(`${collection}/:id`, missing(kind));
    app.all(`${collection}/:id/*`, missing(kind));
  }
  return app;
}
