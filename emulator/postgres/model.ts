/**
 * Models over a `postgresql` connection: `configuration.query` (Polytomic's Terraform acceptance
 * tests, `resource_sync_test.go`: `{"query": "SELECT email FROM polytomic.sync_test_source"}`)
 * run for real; the result's columns are the model's fields.
 */
import { z } from "zod";
import { unprocessable, validationProblem } from "../http/errors";
import type { StoredConnection } from "../store/state";
import { connect, failureOf, postgresSettings, withPostgres } from "./connect";
import { describeQuery, type QueryColumn, queryRows } from "./query";

/** `configuration` of a model over a SQL query. */
export const QueryModelConfiguration = z.object({
  query: z.string().trim().min(1, "must be a SQL query (SELECT ...)"),
});

/** The query of a model's configuration, or the 422 naming `configuration.query`. */
export function modelQuery(configuration: Record<string, unknown>): string {
  const parsed = QueryModelConfiguration.safeParse(configuration);
  if (!parsed.success) throw validationProblem(parsed.error, ["configuration"]);
  return parsed.data.query;
}

/** The query's columns; a query the database refuses is a 422 with PostgreSQL's message and SQLSTATE. */
export async function queryColumns(connection: StoredConnection, configuration: Record<string, unknown>): Promise<QueryColumn[]> {
  const query = modelQuery(configuration);
  try {
    return await withPostgres(postgresSettings(connection.configuration), (client) => describeQuery(client, query));
  } catch (error) {
    const failure = failureOf(error);
    throw unprocessable(`configuration.query: the query cannot run on connection "${connection.name}": ${failure.message}`, {
      field: "configuration.query",
      code: failure.code,
    });
  }
}

/** The query's rows, on a client of their own for as long as the reader reads. */
export async function* modelRows(connection: StoredConnection, query: string, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
  const client = await connect(postgresSettings(connection.configuration));
  try {
    yield* queryRows(client, query, signal);
  } finally {
    await client.end().catch(() => undefined);
  }
}
