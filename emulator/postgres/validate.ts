/**
 * The upstream check of a `postgresql` connection on create and update: connect and run a query.
 *
 * - `validate` true (the default, TS `CreateConnectionRequestSchema.validate`): a connection that
 *   fails is refused, and nothing is saved ("The request will fail if the credentials or endpoint
 *   cannot be reached", TS connections Client.ts create/update). The answer is a 422 ApiError, the
 *   status the SDK lists for a create it refuses (`UnprocessableEntityError`), as for a gcs bucket.
 * - `validate: false` (what Polytomic's Terraform provider always sends,
 *   `resource_postgresql_connection.go` Create/Update): saved as sent; the check still runs and its
 *   outcome is the connection's `status` / `status_error`, as the emulator does for gcs.
 */
import type { PreparedConfiguration } from "../resources/connectionConfig";
import { unprocessable } from "../http/errors";
import { checkPostgres, type PostgresFailure, postgresSettings } from "./connect";

/** `prepared` with the outcome of connecting; throws the API's 422 when `validate` asks for it. */
export async function withPostgresStatus(prepared: PreparedConfiguration, validate: boolean): Promise<PreparedConfiguration> {
  const settings = postgresSettings(prepared.configuration);
  const failure = await checkPostgres(settings);
  if (!failure) return { ...prepared, status: "healthy", status_error: undefined };
  const message = describeFailure(settings, failure);
  if (validate) throw unprocessable(`configuration: ${message}`, { field: "configuration", code: failure.code });
  return { ...prepared, status: "unhealthy", status_error: message };
}

function describeFailure(settings: { hostname: string; port: number; database: string }, failure: PostgresFailure): string {
  return `cannot connect to PostgreSQL at ${settings.hostname}:${settings.port} (database "${settings.database}"): ${failure.message}`;
}
