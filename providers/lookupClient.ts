/**
 * The API client of every lookup (`getCallerIdentity`, `getRole`, `getConnectionSchema`,
 * `getBulkSource`, ...): lookups run in the program itself, not in the dynamic-provider host, so
 * they read the credentials the providers read (the stack config `polytomic:url`,
 * `polytomic:apiKey`, `polytomic:partnerKey`, in clear in this process only, else the environment)
 * and act in `organizationId` the way the providers do: the partner key scoped to it when there is
 * one, else the API key (or the partner key alone).
 *
 * The client and the credential rules are loaded when a lookup runs, not when the package is: a
 * program without lookups never pays for them.
 */
import * as pulumi from "./sdk";
import type { PolytomicClient } from "../client";

export async function lookupClient(organizationId?: string): Promise<PolytomicClient> {
  const { createClient } = await import("../client");
  const { readCredentials, requireCredentials } = await import("./runtime/credentials");
  const credentials = readCredentials({ get: (key) => pulumi.runtime.getConfig(key) });
  const scoped = organizationId && credentials.partnerKey ? organizationId : undefined;
  const keyKind = scoped !== undefined || (!credentials.apiKey && credentials.partnerKey) ? "partnerKey" : "apiKey";
  const { url, key } = requireCredentials(credentials, keyKind);
  return createClient({ baseUrl: url.value, apiKey: key.value, organizationId: scoped });
}
