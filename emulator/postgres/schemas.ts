/**
 * A `postgresql` connection's schemas, read from the database's information_schema: one schema
 * per table or view, id `schema.table` ("schema.table for databases", TS schemas Client.ts `get`),
 * with its columns as fields (`id` and `name` the column name, as TS wire schemas.test.ts `Get (1)`
 * shows: `{id: "email", name: "Email", remote_type: "varchar(255)", is_primary_key: true}`), their
 * types and the table's primary key.
 */
import type { Client } from "pg";
import { fieldType, type FieldType } from "./types";

export interface SchemaField {
  id: string;
  name: string;
  type: FieldType;
  remote_type: string;
  is_primary_key: boolean;
}

export interface ConnectionSchema {
  id: string;
  /** The emulator's choice: no source shows a database schema's name; it is answered as its id. */
  name: string;
  fields: SchemaField[];
}

/** Schemas of the database itself, never listed. */
const SYSTEM_SCHEMAS = "c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg\\_%'";

interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
}

/** Every table's schema, or the one `only` names (`schema.table`); columns in table order. */
export async function readSchemas(client: Client, only?: { schema: string; table: string }): Promise<ConnectionSchema[]> {
  const filter = only ? "AND c.table_schema = $1 AND c.table_name = $2" : "";
  const params = only ? [only.schema, only.table] : [];
  const columns = await client.query<ColumnRow>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name
       FROM information_schema.columns c
      WHERE ${SYSTEM_SCHEMAS} ${filter}
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
    params,
  );
  const keys = await client.query<{ table_schema: string; table_name: string; column_name: string }>(
    `SELECT k.table_schema, k.table_name, k.column_name
       FROM information_schema.table_constraints t
       JOIN information_schema.key_column_usage k
         ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name
        AND k.table_schema = t.table_schema AND k.table_name = t.table_name
      WHERE t.constraint_type = 'PRIMARY KEY' ${only ? "AND t.table_schema = $1 AND t.table_name = $2" : ""}`,
    params,
  );
  const primary = new Set(keys.rows.map((k) => `${k.table_schema}.${k.table_name}\u0000${k.column_name}`));

  const schemas = new Map<string, ConnectionSchema>();
  for (const column of columns.rows) {
    const id = `${column.table_schema}.${column.table_name}`;
    let schema = schemas.get(id);
    if (!schema) schemas.set(id, (schema = { id, name: id, fields: [] }));
    schema.fields.push({
      id: column.column_name,
      name: column.column_name,
      type: fieldType(column.udt_name),
      remote_type: column.data_type === "USER-DEFINED" ? column.udt_name : column.data_type,
      is_primary_key: primary.has(`${id}\u0000${column.column_name}`),
    });
  }
  return [...schemas.values()];
}

/**
 * The schema as answered once primary-key overrides apply: an override set replaces the keys the
 * database declares (TS schemas Client.ts `setPrimaryKeys`: "the keys you supply become the
 * complete override set"; `resetPrimaryKeys` reverts "to the primary keys detected from the source").
 */
export function withPrimaryKeyOverride(schema: ConnectionSchema, override: readonly string[] | undefined): ConnectionSchema {
  if (!override) return schema;
  return { ...schema, fields: schema.fields.map((f) => ({ ...f, is_primary_key: override.includes(f.id) })) };
}
