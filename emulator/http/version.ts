/**
 * `X-Polytomic-Version`: selects the API version; every response names the version that served it.
 * Absent -> the version we pin (the docs disagree on the default; we take the newest documented one).
 */
import type { MiddlewareHandler } from "hono";
import { API_VERSION, SUPPORTED_API_VERSIONS } from "../../contract";
import type { AppEnv } from "./context";
import { badRequest, sendProblem } from "./errors";

export const VERSION_HEADER = "X-Polytomic-Version";

export function apiVersion(): MiddlewareHandler<AppEnv> {
  const supported: readonly string[] = SUPPORTED_API_VERSIONS;
  return async (c, next) => {
    const requested = c.req.header(VERSION_HEADER)?.trim();
    const version = requested ? requested : API_VERSION;
    if (!supported.includes(version)) {
      c.header(VERSION_HEADER, API_VERSION);
      return sendProblem(c, badRequest(`unknown ${VERSION_HEADER} "${version.slice(0, 40)}"; supported: ${supported.join(", ")}`));
    }
    c.set("apiVersion", version);
    await next();
    c.res.headers.set(VERSION_HEADER, version);
  };
}

/** True when the request is served at `version` or later (versions are ISO dates). */
export const servedAtLeast = (served: string, version: string) => served >= version;
