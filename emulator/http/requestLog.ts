/** One log line per request: method, path, status, duration. Never headers, query or bodies. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

export function logRequests(log: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round(performance.now() - started);
      const dropped = c.env?.incoming?.socket?.destroyed && c.res.body === null;
      log(`${c.req.method} ${c.req.path} ${dropped ? "dropped" : c.res.status} ${ms}ms`);
    }
  };
}
