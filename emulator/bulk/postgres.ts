/**
 * The PostgreSQL side of bulk syncs, with the `pg` driver: reaching the database a `postgresql`
 * connection names, listing its tables (columns, types, primary keys) as bulk-sync schemas, and
 * reading and writing rows.
 *
 * The keys read from a connection's configuration are those of Polytomic's `postgresql` type
 * (TF `provider/gen/connections/connectiontypes/postgresql.json`: hostname, port, database,
 * username, password, ssl). Kept to what bulk syncs need; the emulator's connection handling
 * (validation on create) is emulator/resources/connectionConfig.ts.
 */
import { Client } from "pg";

/** A table as a bulk-sync source schema: `schema.table` (TS `BulkSchemaListItem.id`: "schema.table for databases"). */
export interface Table {
  id: string;
  schema: string;
  table: string;
  columns: Column[];
  primaryKey: string[];
}

export interface Column {
  name: string;
  /** The column's SQL type as PostgreSQL writes it (`character varying(20)`, `timestamp with time zone`). */
  sqlType: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A connected client for a `postgresql` configuration. `ssl` defaults to true in the type's
 * schema; a server that refuses TLS is then reached without it (Polytomic's acceptance tests
 * create connections without `ssl` to a PostgreSQL that has no TLS and sync through them).
 */
export async function connectPostgres(configuration: Record<string, unknown>): Promise<Client> {
  const attempt = async (ssl: boolean) => {
    const client = new Client({
      host: String(configuration.hostname ?? ""),
      port: Number(configuration.port ?? 5432),
      database: String(configuration.database ?? ""),
      user: String(configuration.username ?? ""),
      password: String(configuration.password ?? ""),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ssl: ssl ? { rejectUnauthorized: false } : false,
    });
    client.on("error", () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  if (configuration.ssl === false) return attempt(false);
  try {
    return await attempt(true);
  } catch (error) {
    if ((error as { code?: string }).code === undefined && /does not support SSL/i.test(String((error as Error).message))) return attempt(false);
    throw error;
  }
}

/** Runs `job` with a client of its own, closed afterwards whatever happens. */
export async function withPostgres<T>(configuration: Record<string, unknown>, job: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectPostgres(configuration);
  try {
    return await job(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Every ordinary or partitioned table outside PostgreSQL's own schemas, with its columns in order and its primary key. */
export async function listTables(client: Client): Promise<Table[]> {
  const columns = await client.query<{ schema: string; table: string; column: string; type: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY n.nspname, c.relname, a.attnum`,
  );
  const keys = await client.query<{ schema: string; table: string; column: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary ORDER BY n.nspname, c.relname, k.position`,
  );
  const tables = new Map<string, Table>();
  for (const row of columns.rows) {
    const id = `${row.schema}.${row.table}`;
    let table = tables.get(id);
    if (!table) tables.set(id, (table = { id, schema: row.schema, table: row.table, columns: [], primaryKey: [] }));
    table.columns.push({ name: row.column, sqlType: row.type });
  }
  for (const row of keys.rows) tables.get(`${row.schema}.${row.table}`)?.primaryKey.push(row.column);
  return [...tables.values()];
}

/** An identifier quoted for SQL text. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** TS `UtilFieldType` of a PostgreSQL type (what a bulk source's field `type` says). */
export function fieldType(sqlType: string): string {
  if (sqlType.endsWith("[]")) return "array";
  if (/^(smallint|integer|bigint|numeric|real|double precision|decimal)/.test(sqlType)) return "number";
  if (sqlType === "boolean") return "boolean";
  if (/^(timestamp|date|time)/.test(sqlType)) return "datetime";
  if (/^jsonb?$/.test(sqlType)) return "object";
  if (sqlType === "bytea") return "binary";
  return "string";
}
