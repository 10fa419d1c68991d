/**
 * A connection's `configuration`, per type: validation, the secrets kept across full-replacement
 * PUTs, values the server derives or generates, and redaction on the way out.
 *
 * Secrets on PUT (the reference marks this AMBIGUOUS): a secret key that is omitted or sent as
 * the mask `"********"` keeps its stored value; any other value replaces it. Polytomic's Terraform
 * provider relies on it: `handleSensitiveValues` (provider/internal/connections/common.go, v2.0.0)
 * leaves every unchanged sensitive value out of its updates.
 * Types other than gcs and webhook: typedConfiguration.ts, by their schemas.
 */
import { createPrivateKey, randomBytes } from "node:crypto";
import { connections, REDACTED } from "../../contract";
import type { GcsBuckets } from "../gcs/buckets";
import { unprocessable, validationProblem } from "../http/errors";
import { prepareTypedConfiguration, redactTypedConfiguration } from "./typedConfiguration";

export interface PreparedConfiguration {
  configuration: Record<string, unknown>;
  status: "healthy" | "unhealthy";
  status_error?: string;
}

export interface PrepareContext {
  buckets: GcsBuckets;
  /** `validate` of the request (default true): check the upstream (here: that the bucket exists). */
  validate: boolean;
}

/**
 * Builds the configuration to store from the request's, given the stored one on update.
 * Throws a 422 `ApiProblem` naming the offending field; never quotes secret values.
 */
export function prepareConfiguration(
  type: string,
  requested: Record<string, unknown>,
  stored: Record<string, unknown> | undefined,
  context: PrepareContext,
): PreparedConfiguration {
  const configuration = withoutServerGeneratedKeys(type, requested);
  keepStoredSecrets(type, configuration, stored);
  switch (type) {
    case "gcs":
      return prepareGcs(configuration, context);
    case "webhook":
      return prepareWebhook(configuration, stored);
    default: {
      const prepared = prepareTypedConfiguration(type, requested, stored, context.validate);
      if (!prepared) throw unprocessable(`type: "${type}" is not a connection type (GET /api/connection_types lists them)`, { field: "type" });
      return prepared;
    }
  }
}

/** A copy with every secret replaced by the mask. */
export function redactConfiguration(type: string, configuration: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(connections.SECRET_CONFIGURATION_KEYS, type)) return redactTypedConfiguration(type, configuration);
  const copy = { ...configuration };
  for (const key of connections.SECRET_CONFIGURATION_KEYS[type] ?? []) {
    if (copy[key] !== undefined && copy[key] !== null && copy[key] !== "") copy[key] = REDACTED;
  }
  return copy;
}

function withoutServerGeneratedKeys(type: string, requested: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...requested };
  for (const key of connections.SERVER_GENERATED_CONFIGURATION_KEYS[type] ?? []) delete copy[key];
  return copy;
}

function keepStoredSecrets(type: string, configuration: Record<string, unknown>, stored: Record<string, unknown> | undefined): void {
  if (!stored) return;
  for (const key of connections.SECRET_CONFIGURATION_KEYS[type] ?? []) {
    const sent = configuration[key];
    if ((sent === undefined || sent === REDACTED) && stored[key] !== undefined) configuration[key] = stored[key];
  }
}

function prepareGcs(configuration: Record<string, unknown>, context: PrepareContext): PreparedConfiguration {
  const shape = connections.GcsConfiguration.safeParse(configuration);
  if (!shape.success) throw validationProblem(shape.error, ["configuration"]);

  const key = connections.ServiceAccountKeyJson.safeParse(shape.data.service_account);
  if (!key.success) throw validationProblem(key.error, ["configuration", "service_account"]);
  try {
    createPrivateKey(key.data.private_key);
  } catch {
    throw unprocessable('configuration.service_account: field "private_key" is not a readable PEM private key');
  }

  const derived = { ...configuration, project_id: key.data.project_id, client_email: key.data.client_email };
  // `bucket` is kept as sent (a name, or gcs://<bucket>/<path>); the bucket itself must exist.
  const { bucket } = connections.parseGcsBucket(shape.data.bucket);
  if (context.buckets.bucketExists(bucket)) return { configuration: derived, status: "healthy" };
  const error = `configuration.bucket: bucket "${bucket}" does not exist or the service account cannot read it`;
  // With validate: false the API saves without checking upstream; the connection is then unhealthy.
  if (context.validate) throw unprocessable(error);
  return { configuration: derived, status: "unhealthy", status_error: error };
}

function prepareWebhook(configuration: Record<string, unknown>, stored: Record<string, unknown> | undefined): PreparedConfiguration {
  const shape = connections.WebhookConfiguration.safeParse(configuration);
  if (!shape.success) throw validationProblem(shape.error, ["configuration"]);
  // Left out, the auth method is Polytomic's own secret; it is not written into the answer (not sent, not answered).
  const authMethod = shape.data.auth_method ?? "polytomic_secret";
  const prepared: Record<string, unknown> = { ...configuration };
  if (authMethod === "polytomic_secret") {
    // The secret is the server's: generated once, kept across updates, never set by clients.
    const storedMethod = stored?.auth_method ?? "polytomic_secret";
    const kept = storedMethod === "polytomic_secret" && typeof stored?.secret === "string" ? stored.secret : undefined;
    prepared.secret = kept ?? generateWebhookSecret();
  }
  return { configuration: prepared, status: "healthy" };
}

/** 32 random bytes as 43 url-safe characters. */
export const generateWebhookSecret = () => randomBytes(32).toString("base64url");
