/**
 * The API client of a lookup (`getConnectionSchema` ...): lookups run in the program itself, not
 * in the dynamic-provider host, so they read the credentials the providers read (the stack config
 * `polytomic:url`, `polytomic:apiKey`, `polytomic:partnerKey`, else the environment) from the
 * program's config, and act in `organizationId` the way the providers do (the partner key scoped to
 * it when there is one, else the API key).
 */
import * as pulumi from "./sdk";
import { createClient, type PolytomicClient } from "../client";
import { readCredentials, requireCredentials } from "./runtime/credentials";

/** Reads `namespace:key` settings from the program's stack config. */
const programConfig = {
  get(key: string): string | undefined {
    const [namespace, name] = key.split(":");
    return new pulumi.Config(namespace).get(name);
  },
};

export function lookupClient(organizationId?: string): PolytomicClient {
  const credentials = readCredentials(programConfig);
  const scoped = organizationId && credentials.partnerKey ? organizationId : undefined;
  const { url, key } = requireCredentials(credentials, scoped ? "partnerKey" : "apiKey");
  return createClient({ baseUrl: url.value, apiKey: key.value, organizationId: scoped });
}
