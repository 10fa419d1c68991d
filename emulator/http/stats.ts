/**
 * Request counts, per route pattern ("POST /api/connections", "GET /api/connections/{id}"),
 * for tests that check how many calls a client made. The control plane is not counted.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "./context";

export interface EmulatorStats {
  /** Every request the API received (answered, refused or dropped). */
  total: number;
  /** Counts by "METHOD /route-pattern"; requests matching no route count under "METHOD (unmatched)". */
  routes: Record<string, number>;
}

export class StatsCollector {
  #total = 0;
  #routes = new Map<string, number>();

  count(route: string): void {
    this.#total += 1;
    this.#routes.set(route, (this.#routes.get(route) ?? 0) + 1);
  }

  snapshot(): EmulatorStats {
    return { total: this.#total, routes: Object.fromEntries(this.#routes) };
  }

  reset(): void {
    this.#total = 0;
    this.#routes.clear();
  }
}

/** "GET /api/connections/{id}": the route that serves this request, in the docs' notation. */
export function routeName(c: Context): string {
  // Middleware is registered with `use` (method "ALL"); the first other match is the endpoint.
  const route = matchedRoutes(c).find((r) => r.method !== "ALL");
  const pattern = route ? route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}") : "(unmatched)";
  return `${c.req.method} ${pattern}`;
}

export function countRequests(stats: StatsCollector): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Counted before handling, so dropped connections and thrown errors count too.
    stats.count(routeName(c));
    await next();
  };
}
