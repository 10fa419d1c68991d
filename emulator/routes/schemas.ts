/**
 * A connection's schemas and their primary keys (polytomic-typescript `src/api/resources/schemas`,
 * `bulkSync` `getSource`; Polytomic's Terraform provider `data_source_connection_schema.go`,
 * `resource_connection_schema_primary_keys.go`):
 *
 * - `GET /api/connections/{id}/schemas/{schema_id}`: one schema, its fields and primary key.
 * - `PUT /api/connections/{id}/schemas/{schema_id}/primary_keys`: replaces the override set.
 * - `DELETE /api/connections/{id}/schemas/{schema_id}/primary_keys`: back to the source's keys.
 * - `GET /api/connections/{id}/schemas/{schema_id}/records`: a sample of a table's rows.
 * - `GET /api/connections/{id}/bulksync/source[?include_fields=true]`: every schema.
 *
 * A `postgresql` connection's schemas are its database's tables (emulator/postgres/schemas.ts), a
 * `csv` connection's is its file (emulator/csvUrl/source.ts); the emulator lists none for other
 * types, so their schemas answer 404.
 */
import { type Context, Hono } from "hono";
import { schemas as contract } from "../../contract";
import { queryBoolean, readBody } from "../http/body";
import { organizationOf } from "../http/caller";
import type { AppEnv } from "../http/context";
import { ApiProblem, badRequest, notFound } from "../http/errors";
import { ownedBy } from "../resources/owned";
import { failureOf, postgresSettings, qualifiedName, withPostgres } from "../postgres/connect";
import { type ConnectionSchema, readSchemas, withPrimaryKeyOverride } from "../postgres/schemas";
import { queryRows } from "../postgres/query";
import type { StoredConnection } from "../store/state";
import type { RouteDeps } from "./deps";
import { CSV_SCHEMA_ID, csvColumns, type UrlMap } from "../csvUrl/source";

/** Rows in a schema's sample of records. */
const SAMPLE_RECORDS = 10;

export function schemaRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  const findConnection = (c: Context<AppEnv>): StoredConnection => {
    const id = c.req.param("id") ?? "";
    const connection = ownedBy(store.state.connections, id, organizationOf(c));
    if (!connection) throw notFound("connection", id);
    return connection;
  };

  /** Every schema of the source, or the one `schemaId` names (before overrides). */
  const sourceSchemas = async (connection: StoredConnection, schemaId?: string): Promise<ConnectionSchema[]> => {
    switch (connection.type) {
      case "postgresql":
        return readDatabase(connection, (client) => readSchemas(client, schemaId === undefined ? undefined : qualifiedName(schemaId)));
      case "csv":
        return schemaId === undefined || schemaId === CSV_SCHEMA_ID ? [await readCsvSchema(connection, deps.urlMap)] : [];
      default:
        return [];
    }
  };

  /** One schema as the source describes it; 404 when the source has none by that id. */
  const sourceSchema = async (connection: StoredConnection, schemaId: string): Promise<ConnectionSchema> => {
    const [found] = await sourceSchemas(connection, schemaId);
    if (!found) throw notFound("schema", schemaId);
    return found;
  };

  const answered = (connection: StoredConnection, schema: ConnectionSchema) =>
    withPrimaryKeyOverride(schema, connection.primary_keys?.[schema.id]);

  app.get("/connections/:id/schemas/:schema_id", async (c) => {
    const connection = findConnection(c);
    const schema = await sourceSchema(connection, c.req.param("schema_id"));
    return c.json({ data: answered(connection, schema) satisfies contract.Schema });
  });

  // "A sample of records from a schema ... Row selection is implementation-defined" (TS schemas
  // Client.ts getRecords): the first SAMPLE_RECORDS rows of the table, for a database.
  app.get("/connections/:id/schemas/:schema_id/records", async (c) => {
    const connection = findConnection(c);
    const schema = await sourceSchema(connection, c.req.param("schema_id"));
    if (connection.type !== "postgresql") throw notFound("records of schema", schema.id);
    const rows = await readDatabase(connection, async (client) => {
      const sample: Record<string, unknown>[] = [];
      for await (const row of queryRows(client, `SELECT * FROM ${qualifiedName(schema.id).sql} LIMIT ${SAMPLE_RECORDS}`)) sample.push(row);
      return sample;
    });
    return c.json({ data: rows });
  });

  app.put("/connections/:id/schemas/:schema_id/primary_keys", async (c) => {
    const connection = findConnection(c);
    const body = await readBody(c, contract.SetPrimaryKeysRequest, { optional: true });
    const schema = await sourceSchema(connection, c.req.param("schema_id"));
    const known = new Set(schema.fields.map((f) => f.id));
    const unknown = (body.fields ?? []).filter((f) => !known.has(f.field_id)).map((f) => f.field_id);
    if (unknown.length > 0) {
      throw badRequest(`fields: ${unknown.map((id) => `"${id}"`).join(", ")} not a field of schema ${schema.id}`, { field: "fields", unknown });
    }
    // "Replaces any existing override; supply an empty list to clear" (TS SetPrimaryKeysRequest.fields).
    const keys = [...new Set((body.fields ?? []).filter((f) => f.is_primary_key).map((f) => f.field_id))];
    const overrides = { ...connection.primary_keys };
    if (keys.length > 0) overrides[schema.id] = keys;
    else delete overrides[schema.id];
    connection.primary_keys = overrides;
    store.changed();
    return c.json({}, 200);
  });

  app.delete("/connections/:id/schemas/:schema_id/primary_keys", async (c) => {
    const connection = findConnection(c);
    const schema = await sourceSchema(connection, c.req.param("schema_id"));
    if (connection.primary_keys?.[schema.id]) {
      const { [schema.id]: _dropped, ...rest } = connection.primary_keys;
      connection.primary_keys = rest;
      store.changed();
    }
    return c.json({}, 200);
  });

  app.get("/connections/:id/bulksync/source", async (c) => {
    const connection = findConnection(c);
    const includeFields = queryBoolean(c, "include_fields") ?? false;
    const all = await sourceSchemas(connection);
    const listed = all.map((schema) => answered(connection, schema)).map((s) => (includeFields ? s : { id: s.id, name: s.name }));
    return c.json({ data: { schemas: listed } });
  });

  return app;
}

/**
 * Reads the connection's database. A database that cannot be reached is a failure of the
 * upstream, answered 400 as the schema endpoints document for a request they cannot serve
 * (TS schemas Client.ts: BadRequestError, NotFoundError, InternalServerError).
 */
async function readDatabase<T>(connection: StoredConnection, job: Parameters<typeof withPostgres<T>>[1]): Promise<T> {
  try {
    return await withPostgres(postgresSettings(connection.configuration), job);
  } catch (error) {
    if (error instanceof ApiProblem) throw error;
    const failure = failureOf(error);
    throw badRequest(`connection ${connection.id}: cannot read the database: ${failure.message}`, { code: failure.code });
  }
}

/** A csv connection's one schema: the file's columns, as text fields. */
async function readCsvSchema(connection: StoredConnection, urlMap: UrlMap | undefined): Promise<ConnectionSchema> {
  let columns: string[];
  try {
    columns = await csvColumns(String(connection.configuration.url), urlMap);
  } catch (error) {
    throw badRequest(`connection ${connection.id}: cannot read the CSV file: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    id: CSV_SCHEMA_ID,
    name: CSV_SCHEMA_ID,
    fields: columns.map((name) => ({ id: name, name, type: "string", remote_type: "string", is_primary_key: false })),
  };
}
