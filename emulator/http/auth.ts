/**
 * Authentication: `Authorization: Bearer <API key>`, or the org-scoped form
 * `Basic base64(<organization id>:<key>)`. Anything else is a 401 `ApiError`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { ApiProblem, sendProblem } from "./errors";

/** Digest of a key; also names the caller's idempotency scope without storing the key itself. */
export const keyDigest = (key: string) => createHash("sha256").update(key).digest();

/** Compares in constant time: both sides are hashed to equal length first. */
export function sameKey(given: string, expected: string): boolean {
  return timingSafeEqual(keyDigest(given), keyDigest(expected));
}

/** Extracts the API key from the Authorization header, if it has a form we accept. */
export function presentedKey(header: string | undefined, organizationId: string): string | undefined {
  if (!header) return undefined;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(" ");
  if (!credentials) return undefined;
  if (scheme.toLowerCase() === "bearer") return credentials;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0 || decoded.slice(0, colon) !== organizationId) return undefined;
    return decoded.slice(colon + 1);
  }
  return undefined;
}

export function requireApiKey(apiKey: string, organizationId: string): MiddlewareHandler<AppEnv> {
  const scope = keyDigest(apiKey).toString("hex").slice(0, 16);
  return async (c, next) => {
    const key = presentedKey(c.req.header("authorization"), organizationId);
    if (key === undefined || !sameKey(key, apiKey)) {
      const problem = new ApiProblem(401, "a valid API key is required (Authorization: Bearer <key>)", "unauthorized");
      return sendProblem(c, problem);
    }
    c.set("callerScope", scope);
    await next();
  };
}
