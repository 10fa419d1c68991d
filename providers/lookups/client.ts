/**
 * The API client a lookup function (`getBulkSource`, ...) reads with, in the program's own
 * process: the credentials the providers use (the stack config `polytomic:url`,
 * `polytomic:apiKey`, `polytomic:partnerKey`, else POLYTOMIC_URL / POLYTOMIC_API_KEY /
 * POLYTOMIC_PARTNER_KEY; runtime/credentials.ts), chosen as the providers choose them: inside a
 * declared organization with the partner key when there is one, else with the API key.
 */
import * as pulumi from "@pulumi/pulumi";
import { createClient, type PolytomicClient } from "../../client";
import { readCredentials, requireCredentials } from "../runtime/credentials";

/** A client for a lookup of `what`, acting in `organizationId` when given. Reads the stack config at each call (it is the program's). */
export function lookupClient(what: string, organizationId?: string): PolytomicClient {
  const credentials = readCredentials({ get: (key) => pulumi.runtime.getConfig(key) });
  const scoped = organizationId && credentials.partnerKey ? organizationId : undefined;
  const { url, key } = requireCredentials(credentials, scoped ? "partnerKey" : "apiKey", scoped ? ` (needed by ${what} in organization ${scoped})` : "");
  return createClient({ baseUrl: url.value, apiKey: key.value, organizationId: scoped });
}
