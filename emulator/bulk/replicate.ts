/**
 * The data path of a bulk sync in mode `replicate` between two `postgresql` connections: each
 * enabled schema (table) of the source is copied, its enabled fields only, into the destination
 * schema named by `destination_configuration.schema` (default `public`), under the schema's
 * `output_name`.
 *
 * One transaction per table: the destination table is made if missing (the source's column types,
 * and its primary key when every key column is copied), columns added since are added, then its
 * rows are replaced by the source's, so after a run the destination holds exactly what the source
 * held (rows deleted at the source are gone too). A reader never sees half a table. The counts are
 * the rows written.
 *
 * Obfuscated fields (`obfuscated`) arrive as the hex SHA-256 of their text, in a `text` column.
 * Filters of the functions in {@link FILTER_SQL} select the rows copied; another function fails
 * the schema's run naming it.
 */
import * as crypto from "node:crypto";
import type { Client } from "pg";
import type { bulkSyncs } from "../../contract";
import { quoteIdent } from "../postgres/connect";
import type { Table } from "./postgres";

/** Parameters per INSERT statement stay under PostgreSQL's limit of 65,535. */
const MAX_PARAMETERS = 60_000;

export interface CopyOutcome {
  schema: string;
  output_name: string;
  record_count: number;
  error?: string;
}

/** Copies one schema; a failure is part of the outcome, not thrown (other schemas still run). */
export async function copySchema(
  source: Client,
  destination: Client,
  table: Table,
  schema: bulkSyncs.BulkSchema,
  destinationSchema: string,
): Promise<CopyOutcome> {
  const outputName = schema.output_name ?? table.id;
  const outcome: CopyOutcome = { schema: schema.id, output_name: outputName, record_count: 0 };
  const fields = (schema.fields ?? []).filter((f) => f.enabled !== false);
  const columns = table.columns.filter((c) => fields.some((f) => f.id === c.name));
  if (columns.length === 0) return { ...outcome, error: `schema ${schema.id}: no field is enabled` };
  const obfuscated = new Set(fields.filter((f) => f.obfuscated).map((f) => f.id));
  let where: { sql: string; params: unknown[] };
  try {
    where = filterSql(schema.filters ?? []);
  } catch (error) {
    return { ...outcome, error: (error as Error).message };
  }

  const selected = columns.map((c) => quoteIdent(c.name)).join(", ");
  const rows = await source.query({
    text: `SELECT ${selected} FROM ${quoteIdent(table.schema)}.${quoteIdent(table.table)}${where.sql}`,
    values: where.params,
    rowMode: "array",
    // Every value as PostgreSQL's own text, written back as such: nothing is lost to JavaScript
    // types on the way (numeric precision, timestamps, arrays, json, bytea).
    types: { getTypeParser: () => (text: string) => text },
  });
  const target = `${quoteIdent(destinationSchema)}.${quoteIdent(outputName)}`;
  const key = table.primaryKey.length > 0 && table.primaryKey.every((k) => columns.some((c) => c.name === k)) ? table.primaryKey : [];
  const typeOf = (c: Table["columns"][number]) => (obfuscated.has(c.name) ? "text" : c.sqlType);
  try {
    await destination.query("BEGIN");
    await destination.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(destinationSchema)}`);
    const definitions = columns.map((c) => `${quoteIdent(c.name)} ${typeOf(c)}`);
    if (key.length > 0) definitions.push(`PRIMARY KEY (${key.map(quoteIdent).join(", ")})`);
    await destination.query(`CREATE TABLE IF NOT EXISTS ${target} (${definitions.join(", ")})`);
    for (const c of columns) await destination.query(`ALTER TABLE ${target} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${typeOf(c)}`);
    await destination.query(`DELETE FROM ${target}`);
    const values = (rows.rows as unknown[][]).map((row) => row.map((value, i) => (obfuscated.has(columns[i].name) ? hashed(value) : value)));
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    for (let start = 0; start < values.length; start += perStatement) {
      const batch = values.slice(start, start + perStatement);
      const placeholders = batch.map((row, r) => `(${row.map((_, i) => `$${r * columns.length + i + 1}`).join(", ")})`);
      await destination.query(`INSERT INTO ${target} (${selected}) VALUES ${placeholders.join(", ")}`, batch.flat());
    }
    await destination.query("COMMIT");
    return { ...outcome, record_count: values.length };
  } catch (error) {
    await destination.query("ROLLBACK").catch(() => undefined);
    return { ...outcome, error: `schema ${schema.id}: ${(error as Error).message}` };
  }
}

const hashed = (value: unknown) => (value === null || value === undefined ? null : crypto.createHash("sha256").update(String(value)).digest("hex"));

/** The filter functions the emulator applies (TS `FilterFunction`), as SQL over one field and, where the function takes one, a value. */
export const FILTER_SQL: Readonly<Record<string, (field: string, value: string) => string>> = {
  Equality: (f, v) => `${f}::text = ${v}`,
  Inequality: (f, v) => `${f}::text IS DISTINCT FROM ${v}`,
  IsNull: (f) => `${f} IS NULL`,
  IsNotNull: (f) => `${f} IS NOT NULL`,
  True: (f) => `${f} IS TRUE`,
  False: (f) => `${f} IS FALSE`,
  OnOrAfter: (f, v) => `${f} >= ${v}`,
  OnOrBefore: (f, v) => `${f} <= ${v}`,
  GreaterThan: (f, v) => `${f} > ${v}`,
  GreaterThanEqual: (f, v) => `${f} >= ${v}`,
  LessThan: (f, v) => `${f} < ${v}`,
  LessThanEqual: (f, v) => `${f} <= ${v}`,
  StringContains: (f, v) => `strpos(${f}::text, ${v}) > 0`,
  StringStartsWith: (f, v) => `starts_with(${f}::text, ${v})`,
  StringOneOf: (f, v) => `${f}::text = ANY(${v}::text[])`,
  StringNotOneOf: (f, v) => `NOT (${f}::text = ANY(${v}::text[]))`,
};

const NO_VALUE = new Set(["IsNull", "IsNotNull", "True", "False"]);

/** ` WHERE ...` for the filters (all must hold), with their values as parameters. */
export function filterSql(filters: readonly bulkSyncs.BulkFilter[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses = filters.map((filter) => {
    const build = FILTER_SQL[filter.function];
    if (!build || !filter.field_id) {
      throw new Error(`filter ${filter.function}${filter.field_id ? ` on ${filter.field_id}` : ""}: not applied by the emulator (it applies ${Object.keys(FILTER_SQL).join(", ")} on a field_id)`);
    }
    if (NO_VALUE.has(filter.function)) return build(quoteIdent(filter.field_id), "");
    params.push(Array.isArray(filter.value) ? filter.value.map(String) : filter.value);
    return build(quoteIdent(filter.field_id), `$${params.length}`);
  });
  return { sql: clauses.length > 0 ? ` WHERE ${clauses.join(" AND ")}` : "", params };
}
