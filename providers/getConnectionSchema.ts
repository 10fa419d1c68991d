/**
 * `getConnectionSchema`: one schema of a connection (a database table, an object, a file) with
 * its fields and primary key, as Polytomic's Terraform data source `polytomic_connection_schema`
 * reads it (`GET /api/connections/{id}/schemas/{schema_id}`). Use its field ids in
 * {@link ConnectionSchemaPrimaryKeys}.
 */
import * as pulumi from "./sdk";
import { ExpectedFailure } from "./runtime/expectedFailure";
import { lookupClient } from "./lookupClient";

export interface GetConnectionSchemaArgs {
  /** The connection. */
  connectionId: string;
  /** The schema: `schema.table` for a database table (`public.users`), an object or file name for other sources. */
  schemaId: string;
  /** Organization (partner keys only). */
  organizationId?: string;
}

/** One field of a schema. */
export interface ConnectionSchemaField {
  /** The field's id: what {@link ConnectionSchemaPrimaryKeys} `fieldIds` take. */
  id: string;
  name: string;
  /** Polytomic's type: string, number, boolean, datetime, array, object, binary or unknown. */
  type?: string;
  /** The source's own type (`integer`, `text`, `timestamp with time zone` ...). */
  remoteType?: string;
  /** Part of the schema's primary key (the source's own, or the override set on it). */
  isPrimaryKey: boolean;
}

export interface GetConnectionSchemaResult {
  connectionId: string;
  schemaId: string;
  /** The schema's name, as the source gives it. */
  name?: string;
  fields: ConnectionSchemaField[];
  /** The ids of the fields that form its primary key. */
  primaryKeyFieldIds: string[];
}

/** Reads the schema now (at preview too). Fails with one line naming the schema when it does not exist. */
export async function getConnectionSchema(args: GetConnectionSchemaArgs): Promise<GetConnectionSchemaResult> {
  const client = await lookupClient(args.organizationId);
  let schema;
  try {
    schema = await client.schemas.get(args.connectionId, args.schemaId);
  } catch (err) {
    // Loaded with the client, when a lookup runs: the package itself never loads it.
    const { isNotFound } = await import("../client/errors");
    if (isNotFound(err)) {
      throw new ExpectedFailure(
        `getConnectionSchema: connection ${args.connectionId} has no schema "${args.schemaId}" (check connectionId and schemaId; a database table is schema.table)`,
      );
    }
    throw err;
  }
  const fields = schema.fields.map((f) => ({
    id: f.id,
    name: f.name ?? f.id,
    ...(f.type === undefined ? {} : { type: f.type }),
    ...(f.remote_type === undefined ? {} : { remoteType: f.remote_type }),
    isPrimaryKey: f.is_primary_key === true,
  }));
  return {
    connectionId: args.connectionId,
    schemaId: args.schemaId,
    ...(schema.name === undefined ? {} : { name: schema.name }),
    fields,
    primaryKeyFieldIds: fields.filter((f) => f.isPrimaryKey).map((f) => f.id),
  };
}

/** {@link getConnectionSchema} taking outputs (a connection made in the same program): read once they are known. */
export function getConnectionSchemaOutput(args: {
  connectionId: pulumi.Input<string>;
  schemaId: pulumi.Input<string>;
  organizationId?: pulumi.Input<string>;
}): pulumi.Output<GetConnectionSchemaResult> {
  return pulumi.output(args).apply((resolved) => getConnectionSchema(resolved));
}
