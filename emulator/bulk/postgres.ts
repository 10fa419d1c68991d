/**
 * The PostgreSQL side of bulk syncs: a source connection's tables as bulk-sync schemas (read by
 * emulator/postgres/schemas.ts), and, for a table being copied, its columns with their exact
 * types, so the destination table is made with the same ones.
 */
import type { Client } from "pg";
import { postgresSettings, qualifiedName, withPostgres } from "../postgres/connect";
import { type ConnectionSchema, readSchemas } from "../postgres/schemas";
import type { StoredConnection } from "../store/state";

/** The connection's schemas (`schema.table`), with their fields and primary keys. */
export const connectionSchemas = (connection: StoredConnection): Promise<ConnectionSchema[]> =>
  withPostgres(postgresSettings(connection.configuration), (client) => readSchemas(client));

/** A relation being copied: its columns in order, each with its type as PostgreSQL writes it (`character varying(20)`). */
export interface Table {
  id: string;
  schema: string;
  table: string;
  columns: { name: string; sqlType: string }[];
  primaryKey: string[];
}

/** The relation behind a schema id, or undefined when the database has no such table or view. */
export async function describeTable(client: Client, schema: ConnectionSchema): Promise<Table | undefined> {
  const { schema: namespace, table } = qualifiedName(schema.id);
  const columns = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [namespace, table],
  );
  if (columns.rows.length === 0) return undefined;
  return {
    id: schema.id,
    schema: namespace,
    table,
    columns: columns.rows.map((r) => ({ name: r.name, sqlType: r.type })),
    primaryKey: schema.fields.filter((f) => f.is_primary_key).map((f) => f.id),
  };
}
