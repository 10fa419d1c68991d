/**
 * A model sync into a table of a `postgresql` connection: which table (`target.object`,
 * `schema.table`, or the table `target.create` names), the checks made when the sync is saved,
 * and the writer a run uses (emulator/runs `RecordSink`).
 *
 * Modes, as Polytomic's Terraform provider documents them (`docs/resources/sync.md`, "Modes"),
 * keyed on the identity's target column:
 * - `create`: "Insert new records only; existing records are not modified": with an identity,
 *   records whose key is in the table are left alone; without one, every record is inserted.
 * - `update`: "Update existing records only; new records are not created."
 * - `updateOrCreate`: "Update existing records or create new ones (upsert)."
 * - `replace`: "Replace all records in the target with the source data" (in one transaction).
 * - `append`: "Append records to the target without checking for duplicates."
 * - `remove`: "Remove records from the target that match the source data."
 * "For `update`, `updateOrCreate`, and `remove` modes you must configure an `identity`" (same page).
 * Each run writes the records that are new or changed since the last successful one (`replace`:
 * all of them), as for a webhook.
 */
import type { Client } from "pg";
import type { models, syncs } from "../../contract";
import { unprocessable } from "../http/errors";
import type { RecordSink } from "../runs";
import type { StoredConnection } from "../store/state";
import { connect, failureOf, postgresSettings, qualifiedName, quoteIdent, withPostgres } from "./connect";
import { columnType } from "./types";

/** The modes a table target runs. */
export const TABLE_MODES = ["create", "update", "updateOrCreate", "replace", "append", "remove"] as const;
type TableMode = (typeof TABLE_MODES)[number];
const KEYED_MODES: readonly string[] = ["update", "updateOrCreate", "remove"];

/** The table a sync writes: `target.create.name` when the sync creates it, else `target.object`. */
export function targetTable(target: syncs.Target): string | undefined {
  return target.create?.name ?? target.object;
}

/** Each column the sync writes, with the model field it reads (undefined: an override value). */
function writtenColumns(sync: Pick<syncs.Sync, "fields" | "identity">): string[] {
  const columns = sync.fields.map((f) => f.target);
  if (sync.identity) columns.push(sync.identity.target);
  return [...new Set(columns)];
}

/** The columns of `schema.table`, or undefined when there is no such table. */
async function tableColumns(client: Client, object: string): Promise<string[] | undefined> {
  const { schema, table } = qualifiedName(object);
  const found = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
    [schema, table],
  );
  return found.rows.length > 0 ? found.rows.map((r) => r.column_name) : undefined;
}

/**
 * Checks a sync into a `postgresql` connection when it is saved: the mode, the identity the mode
 * needs, and (in the database) that the table and every target column exist, unless the sync
 * creates the table. Throws a 422 naming the field.
 */
export async function checkTableTarget(connection: StoredConnection, body: syncs.CreateSyncRequest): Promise<void> {
  if (!(TABLE_MODES as readonly string[]).includes(body.mode)) {
    throw unprocessable(`mode: a postgresql target runs ${TABLE_MODES.join(", ")} (not "${body.mode}")`, { field: "mode" });
  }
  if (KEYED_MODES.includes(body.mode) && !body.identity) {
    throw unprocessable(`identity: mode "${body.mode}" matches records on a key: set identity (source field and target column)`, { field: "identity" });
  }
  const table = targetTable(body.target);
  if (!table) throw unprocessable("target.object: name the table as schema.table (or set target.create.name)", { field: "target.object" });
  if (body.target.create) return;
  let columns: string[] | undefined;
  try {
    columns = await withPostgres(postgresSettings(connection.configuration), (client) => tableColumns(client, table));
  } catch (error) {
    throw unprocessable(`target.connection_id: cannot reach the database of connection "${connection.name}": ${failureOf(error).message}`, {
      field: "target.connection_id",
    });
  }
  if (!columns) throw unprocessable(`target.object: table ${table} does not exist (set target.create to make it)`, { field: "target.object" });
  const missing = writtenColumns(body).filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw unprocessable(`fields: table ${table} has no column ${missing.map((m) => `"${m}"`).join(", ")}`, { field: "fields", missing });
  }
}

/**
 * The writer of one run into the table. `fieldName` maps a source's `field` (name or id) to the
 * model field's name, which keys the source rows.
 */
export function tableSink(connection: StoredConnection, sync: syncs.Sync, model: models.Model): RecordSink {
  const fieldName = (field: string) => model.fields.find((f) => f.id === field || f.name === field)?.name ?? field;
  const fieldType = (field: string) => model.fields.find((f) => f.id === field || f.name === field)?.type;
  const table = qualifiedName(targetTable(sync.target) as string);
  const mode = sync.mode as TableMode;
  const key = sync.identity?.target;
  let client: Client | undefined;
  const transactional = mode === "replace";

  const createTable = async (db: Client) => {
    const types = new Map<string, string>();
    for (const f of sync.fields) types.set(f.target, columnType(f.source ? fieldType(f.source.field) : "string"));
    if (sync.identity) types.set(sync.identity.target, columnType(fieldType(sync.identity.source.field)));
    const columns = [...types].map(([name, type]) => `${quoteIdent(name)} ${type}${name === key ? " PRIMARY KEY" : ""}`);
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.schema)}`);
    await db.query(`CREATE TABLE IF NOT EXISTS ${table.sql} (${columns.join(", ")})`);
  };

  const insert = (db: Client, record: Record<string, unknown>) => {
    const names = Object.keys(record);
    return db.query(
      `INSERT INTO ${table.sql} (${names.map(quoteIdent).join(", ")}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
      names.map((n) => record[n]),
    );
  };
  const update = (db: Client, record: Record<string, unknown>) => {
    const names = Object.keys(record).filter((n) => n !== key);
    const sets = names.map((n, i) => `${quoteIdent(n)} = $${i + 2}`);
    // Only the key written: the row is there, nothing else to change.
    const text = sets.length > 0
      ? `UPDATE ${table.sql} SET ${sets.join(", ")} WHERE ${quoteIdent(key as string)} = $1`
      : `SELECT 1 FROM ${table.sql} WHERE ${quoteIdent(key as string)} = $1`;
    return db.query(text, [record[key as string], ...names.map((n) => record[n])]);
  };
  const exists = async (db: Client, record: Record<string, unknown>) =>
    ((await db.query(`SELECT 1 FROM ${table.sql} WHERE ${quoteIdent(key as string)} = $1 LIMIT 1`, [record[key as string]])).rowCount ?? 0) > 0;

  const remove = (db: Client, record: Record<string, unknown>) =>
    db.query(`DELETE FROM ${table.sql} WHERE ${quoteIdent(key as string)} = $1`, [record[key as string]]);

  /** One record: what it did, per mode. */
  const writeOne = async (db: Client, record: Record<string, unknown>): Promise<"inserted" | "updated" | "deleted" | "skipped"> => {
    switch (mode) {
      case "append":
      case "replace":
        await insert(db, record);
        return "inserted";
      case "create":
        if (key !== undefined && (await exists(db, record))) return "skipped";
        await insert(db, record);
        return "inserted";
      case "remove":
        return ((await remove(db, record)).rowCount ?? 0) > 0 ? "deleted" : "skipped";
      case "update":
        return ((await update(db, record)).rowCount ?? 0) > 0 ? "updated" : "skipped";
      case "updateOrCreate":
        if (((await update(db, record)).rowCount ?? 0) > 0) return "updated";
        await insert(db, record);
        return "inserted";
    }
  };

  return {
    writesAll: mode === "replace",

    mapRow(row) {
      const record: Record<string, unknown> = {};
      for (const f of sync.fields) record[f.target] = f.source ? (row[fieldName(f.source.field)] ?? null) : (f.override_value ?? null);
      if (sync.identity) record[sync.identity.target] = row[fieldName(sync.identity.source.field)] ?? null;
      return record;
    },

    async open() {
      client = await connect(postgresSettings(connection.configuration));
      if (sync.target.create) await createTable(client);
      if (!transactional) return { deleted: 0 };
      await client.query("BEGIN");
      const removed = await client.query(`DELETE FROM ${table.sql}`);
      return { deleted: removed.rowCount ?? 0 };
    },

    async write(records, signal) {
      const db = client as Client;
      const done = { inserted: 0, updated: 0, deleted: 0, refused: [] as string[] };
      for (const { hash, fields } of records) {
        if (signal.aborted) throw signal.reason;
        // A refused record (a wrong type, a constraint) counts as an error; the others still go.
        if (transactional) await db.query("SAVEPOINT polytomic_record");
        try {
          const outcome = await writeOne(db, fields);
          if (outcome !== "skipped") done[outcome] += 1;
          if (transactional) await db.query("RELEASE SAVEPOINT polytomic_record");
        } catch {
          done.refused.push(hash);
          if (transactional) await db.query("ROLLBACK TO SAVEPOINT polytomic_record");
        }
      }
      return done;
    },

    async close(ok) {
      if (!client) return;
      try {
        if (transactional) await client.query(ok ? "COMMIT" : "ROLLBACK");
      } finally {
        await client.end().catch(() => undefined);
        client = undefined;
      }
    },
  };
}
