/**
 * The upstream check of connections whose upstream the emulator really reaches, on create and
 * update: a `postgresql` database (connect and query) and a `csv` file (fetch its header).
 *
 * - `validate` true (the default, TS `CreateConnectionRequestSchema.validate`): a connection that
 *   fails is refused, and nothing is saved ("The request will fail if the credentials or endpoint
 *   cannot be reached", TS connections Client.ts create/update). The answer is a 422 ApiError, the
 *   status the SDK lists for a create it refuses (`UnprocessableEntityError`), as for a gcs bucket.
 * - `validate: false` (what Polytomic's Terraform provider always sends, e.g.
 *   `resource_postgresql_connection.go` Create/Update): saved as sent; the check still runs and its
 *   outcome is the connection's `status` / `status_error`, as the emulator does for gcs.
 */
import { csvColumns, type UrlMap } from "../csvUrl/source";
import { unprocessable } from "../http/errors";
import { checkPostgres, postgresSettings } from "../postgres/connect";
import type { PreparedConfiguration } from "./connectionConfig";

/** Why the upstream cannot be reached (`code`: a SQLSTATE, a socket code, `http`), or undefined when it can. */
type UpstreamFailure = { message: string; code: string } | undefined;

async function upstreamFailure(type: string, configuration: Record<string, unknown>, urlMap: UrlMap | undefined): Promise<UpstreamFailure> {
  if (type === "postgresql") {
    const settings = postgresSettings(configuration);
    const failure = await checkPostgres(settings);
    if (!failure) return undefined;
    const where = `${settings.hostname}:${settings.port} (database "${settings.database}")`;
    return { message: `cannot connect to PostgreSQL at ${where}: ${failure.message}`, code: failure.code };
  }
  if (type === "csv") {
    try {
      await csvColumns(String(configuration.url), urlMap);
      return undefined;
    } catch (error) {
      return { message: `cannot read the CSV file: ${error instanceof Error ? error.message : String(error)}`, code: "http" };
    }
  }
  return undefined;
}

/** Types the emulator reaches for real. */
const REACHED = new Set(["postgresql", "csv"]);

/** Whether the emulator reaches connections of this type (their status comes from {@link reachUpstream}). */
export function reachesUpstream(type: string): boolean {
  return REACHED.has(type);
}

/** `prepared` with the outcome of reaching the upstream; throws the API's 422 when `validate` asks for it. */
export async function reachUpstream(type: string, prepared: PreparedConfiguration, validate: boolean, urlMap?: UrlMap): Promise<PreparedConfiguration> {
  if (!REACHED.has(type)) return prepared;
  const failure = await upstreamFailure(type, prepared.configuration, urlMap);
  if (!failure) return { ...prepared, status: "healthy", status_error: undefined };
  if (validate) throw unprocessable(`configuration: ${failure.message}`, { field: "configuration", code: failure.code });
  return { ...prepared, status: "unhealthy", status_error: failure.message };
}
