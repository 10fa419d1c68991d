/** The types hono carries through every request of the emulator. */
import type { HttpBindings } from "@hono/node-server";

export type AppVariables = {
  /** The `X-Polytomic-Version` that serves this request. */
  apiVersion: string;
  /** Idempotency records are kept per API key and organization: a digest of the caller's key, and the organization. */
  callerScope: string;
  /** The organization the caller acts in; undefined for a partner key used alone (organization endpoints only). */
  organizationId: string | undefined;
  /** The caller presented the partner key (alone, or scoped to one organization with Basic). */
  partner?: boolean;
  /** Latency a fault rule asked for, spent while the request holds its idempotency key. */
  injectedLatencyMs?: number;
};

/** `Bindings` are absent when the app is driven with `app.request()` instead of a socket. */
export type AppEnv = { Bindings: Partial<HttpBindings>; Variables: AppVariables };
