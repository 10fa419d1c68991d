/**
 * A model's SQL `query` on a `postgresql` connection, run for real: its columns (the model's
 * fields, with one row as examples) and, for a sync, its rows, read through a cursor so a large
 * result is never held whole.
 */
import type { Client } from "pg";
import { fieldType, type FieldType, jsonValue } from "./types";

export interface QueryColumn {
  name: string;
  type: FieldType;
  /** `pg_type.typname` of the column (`int4`, `text`, `_text`). */
  remote_type: string;
  /** The first row's value, as text; absent when the query returns no row. */
  example?: string;
}

/** The query as a subquery: without the trailing `;` and spaces a client may leave. */
const asSubquery = (sql: string) => sql.trim().replace(/;+\s*$/, "");

/** Runs the query (read-only) for its first row only: the result's columns name the model's fields. */
export async function describeQuery(client: Client, sql: string): Promise<QueryColumn[]> {
  await client.query("BEGIN READ ONLY");
  try {
    return await describeInTransaction(client, sql);
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
}

async function describeInTransaction(client: Client, sql: string): Promise<QueryColumn[]> {
  const result = await client.query({ text: `SELECT * FROM (${asSubquery(sql)}) AS polytomic_model LIMIT 1`, rowMode: "array" });
  const oids = [...new Set(result.fields.map((f) => f.dataTypeID))];
  const names = await client.query<{ oid: number; typname: string }>("SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])", [oids]);
  const typname = new Map(names.rows.map((r) => [r.oid, r.typname]));
  const first = result.rows[0] as unknown[] | undefined;
  return result.fields.map((field, i) => {
    const remote = typname.get(field.dataTypeID) ?? "unknown";
    const value = first === undefined ? undefined : jsonValue(first[i]);
    return {
      name: field.name,
      type: fieldType(remote),
      remote_type: remote,
      ...(value === undefined || value === null ? {} : { example: typeof value === "string" ? value : JSON.stringify(value) }),
    };
  });
}

/** Rows fetched per round trip. */
const FETCH_SIZE = 500;

/** Streams the query's rows (keyed by column name, values as JSON data) in a read-only transaction. */
export async function* queryRows(client: Client, sql: string, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
  await client.query("BEGIN READ ONLY");
  try {
    await client.query(`DECLARE polytomic_rows NO SCROLL CURSOR FOR ${asSubquery(sql)}`);
    for (;;) {
      if (signal?.aborted) return;
      const page = await client.query(`FETCH ${FETCH_SIZE} FROM polytomic_rows`);
      for (const row of page.rows as Record<string, unknown>[]) {
        const values: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) values[key] = jsonValue(value);
        yield values;
      }
      if (page.rows.length < FETCH_SIZE) return;
    }
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
}
