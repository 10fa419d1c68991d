/**
 * Authentication: `Authorization: Bearer <API key>`, or the org-scoped form
 * `Basic base64(<organization id>:<key>)` (how a partner key acts inside one organization).
 * Anything else is a 401 `ApiError`.
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

/** What an Authorization header presents: a Bearer key, or an organization id and a key (Basic). */
export interface PresentedCredentials {
  key: string;
  /** Set by the org-scoped form `Basic base64(<organization id>:<key>)`. */
  organizationId?: string;
}

export function presentedCredentials(header: string | undefined): PresentedCredentials | undefined {
  if (!header) return undefined;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(" ");
  if (!credentials) return undefined;
  if (scheme.toLowerCase() === "bearer") return { key: credentials };
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) return undefined;
    return { organizationId: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
  }
  return undefined;
}

export interface AuthOptions {
  /** The organization API key: it acts in `organizationId`. */
  apiKey: string;
  organizationId: string;
  /** A partner key: alone it reaches the organization endpoints; org-scoped (Basic) it acts in that organization. */
  partnerKey?: string;
  organizationExists(id: string): boolean;
}

/**
 * Who is calling: an organization (its API key, or a partner key scoped to it with Basic auth)
 * or a partner (its key alone). Anything else is a 401 `ApiError`.
 */
export function authenticate(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const digest = (key: string) => keyDigest(key).toString("hex").slice(0, 16);
  return async (c, next) => {
    const presented = presentedCredentials(c.req.header("authorization"));
    const isApiKey = presented !== undefined && sameKey(presented.key, options.apiKey);
    const isPartnerKey = presented !== undefined && options.partnerKey !== undefined && sameKey(presented.key, options.partnerKey);
    let organizationId: string | undefined;
    if (presented?.organizationId === undefined) {
      if (isApiKey) organizationId = options.organizationId;
    } else if ((isApiKey && presented.organizationId === options.organizationId) || (isPartnerKey && options.organizationExists(presented.organizationId))) {
      organizationId = presented.organizationId;
    }
    if (organizationId === undefined && !(isPartnerKey && presented?.organizationId === undefined)) {
      const problem = new ApiProblem(401, "a valid API key is required (Authorization: Bearer <key>)", "unauthorized");
      return sendProblem(c, problem);
    }
    c.set("organizationId", organizationId);
    c.set("partner", isPartnerKey);
    // Idempotency records are kept per key and organization.
    c.set("callerScope", `${digest((presented as PresentedCredentials).key)}${organizationId ? `:${organizationId}` : ""}`);
    await next();
  };
}

/** The control plane (`/__emulator`) takes the organization API key or the partner key, as a Bearer. */
export function requireApiKey(...keys: (string | undefined)[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const presented = presentedCredentials(c.req.header("authorization"));
    if (!presented || !keys.some((key) => key !== undefined && sameKey(presented.key, key))) {
      return sendProblem(c, new ApiProblem(401, "a valid API key is required (Authorization: Bearer <key>)", "unauthorized"));
    }
    await next();
  };
}
