/**
 * The emulator's HTTP application: middleware in the order a request meets it, then one
 * route module per resource under `/api`, and the control plane under `/__emulator`.
 *
 *   log -> count -> front-door faults -> X-Polytomic-Version -> API key -> Idempotency-Key
 *       -> injected latency -> route
 */
import { Hono } from "hono";
import type { AppEnv } from "./http/context";
import { authenticate, requireApiKey } from "./http/auth";
import { ApiProblem, sendProblem } from "./http/errors";
import { delayHandling, type FaultController, injectFaults } from "./http/faults";
import { idempotency } from "./http/idempotency";
import { logRequests } from "./http/requestLog";
import { countRequests, type StatsCollector } from "./http/stats";
import { apiVersion } from "./http/version";
import { adminRoutes } from "./routes/admin";
import { bulkSyncRoutes } from "./routes/bulkSyncs";
import { connectionRoutes } from "./routes/connections";
import type { RouteDeps } from "./routes/deps";
import { eventRoutes } from "./routes/events";
import { executionRoutes } from "./routes/executions";
import { identityRoutes } from "./routes/identity";
import { modelRoutes } from "./routes/models";
import { notificationRoutes } from "./routes/notifications";
import { organizationRoutes } from "./routes/organizations";
import { permissionRoutes } from "./routes/permissions";
import { schemaRoutes } from "./routes/schemas";
import { syncRoutes } from "./routes/syncs";
import { userRoutes } from "./routes/users";
import { webhookRoutes } from "./routes/webhooks";

export interface AppOptions extends RouteDeps {
  apiKey: string;
  partnerKey?: string;
  faults: FaultController;
  stats: StatsCollector;
  log?: (line: string) => void;
}

export function createApp(options: AppOptions): Hono<AppEnv> {
  const { apiKey, partnerKey, organizationId, faults, stats, store } = options;
  const log = options.log ?? (() => {});
  const app = new Hono<AppEnv>();

  if (options.log) app.use("*", logRequests(options.log));
  const organizationExists = (id: string) => id in store.state.organizations;
  app.use("/api/*", countRequests(stats), injectFaults(faults), apiVersion(), authenticate({ apiKey, partnerKey, organizationId, organizationExists }));
  app.use("/api/*", idempotency(store), delayHandling());
  app.use("/__emulator/*", requireApiKey(apiKey, partnerKey));

  for (const routes of [
    identityRoutes,
    organizationRoutes,
    connectionRoutes,
    schemaRoutes,
    modelRoutes,
    syncRoutes,
    executionRoutes,
    webhookRoutes,
    eventRoutes,
    permissionRoutes,
    userRoutes,
    notificationRoutes,
    bulkSyncRoutes,
  ]) {
    app.route("/api", routes(options));
  }
  app.route("/__emulator", adminRoutes(faults, stats));

  app.notFound((c) => sendProblem(c, new ApiProblem(404, `no route for ${c.req.method} ${c.req.path}`, "not_found")));
  app.onError((error, c) => {
    if (error instanceof ApiProblem) return sendProblem(c, error);
    // Unexpected: log the kind of failure only (messages of foreign errors may quote request data).
    log(`internal error in ${c.req.method} ${c.req.path}: ${error.name}`);
    return sendProblem(c, new ApiProblem(500, "internal server error", "internal_error"));
  });
  return app;
}
