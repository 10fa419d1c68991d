/**
 * A connection's schemas and their primary keys (polytomic-typescript `src/api/resources/schemas`,
 * `bulkSync` `getSource`; Polytomic's Terraform provider `data_source_connection_schema.go`,
 * `resource_connection_schema_primary_keys.go`):
 *
 * - `GET /api/connections/{id}/schemas/{schema_id}`: one schema, its fields and primary key.
 * - `PUT /api/connections/{id}/schemas/{schema_id}/primary_keys`: replaces the override set.
 * - `DELETE /api/connections/{id}/schemas/{schema_id}/primary_keys`: back to the source's keys.
 * - `GET /api/connections/{id}/bulksync/source[?include_fields=true]`: every schema.
 *
 * A `postgresql` connection's schemas are its database's tables (emulator/postgres/schemas.ts);
 * the emulator lists none for other types, so their schemas answer 404.
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
import type { StoredConnection } from "../store/state";
import type { RouteDeps } from "./deps";

export function schemaRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  const findConnection = (c: Context<AppEnv>): StoredConnection => {
    const id = c.req.param("id") ?? "";
    const connection = ownedBy(store.state.connections, id, organizationOf(c));
    if (!connection) throw notFound("connection", id);
    return connection;
  };

  /** The schema as the source describes it (before overrides); 404 when the source has none by that id. */
  const sourceSchema = async (connection: StoredConnection, schemaId: string): Promise<ConnectionSchema> => {
    if (connection.type !== "postgresql") throw notFound("schema", schemaId);
    const [found] = await readDatabase(connection, (client) => readSchemas(client, qualifiedName(schemaId)));
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
    const all = connection.type === "postgresql" ? await readDatabase(connection, (client) => readSchemas(client)) : [];
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
