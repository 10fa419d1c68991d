/**
 * Stack notes (stackNotes.ts) in a PostgreSQL backend: rows of the backend's own table, keyed like
 * its blobs (`key TEXT PRIMARY KEY, data JSON, updated_at`: the schema Pulumi's `postgres://`
 * backend makes), holding what the backend holds in each row, `{"data": <base64 of the bytes>}`:
 * the notes are blobs of the backend's bucket like any other, and they live, are backed up and are
 * secured with the state itself. Like
 * every non-file DIY backend, Pulumi puts the URL's path in front of its keys (the database name
 * here: `pulumi/.pulumi/stacks/...`); the notes' keys get the same prefix.
 *
 * One small pool per database URL and process (the provider host is one process per run).
 */
import { Pool } from "pg";
import type { StackNotes } from "./stackNotes";

const pools = new Map<string, Pool>();
const tablesReady = new Map<string, Promise<unknown>>();

/**
 * The connection string without Pulumi's own `table` parameter, the table it names, and the
 * prefix of the backend's keys (the URL's path and a slash, as Pulumi's DIY backend adds it).
 */
export function parseBackendUrl(url: string): { connectionString: string; table: string; prefix: string } {
  const parsed = new URL(url);
  const table = parsed.searchParams.get("table") || "pulumi_state";
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) {
    throw new Error(`PULUMI_BACKEND_URL: table "${table}" is not a plain SQL name (letters, digits, _ and one optional schema dot)`);
  }
  parsed.searchParams.delete("table");
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+/, "");
  return { connectionString: parsed.toString(), table, prefix: path && !path.endsWith("/") ? `${path}/` : path };
}

function poolFor(connectionString: string): Pool {
  let pool = pools.get(connectionString);
  if (!pool) {
    pool = new Pool({ connectionString, max: 4, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
    // An idle client's error (the server restarted) must not crash the provider host.
    pool.on("error", () => undefined);
    pools.set(connectionString, pool);
  }
  return pool;
}

/** A blob as Pulumi's PostgreSQL backend stores it in its `data` column. */
export const encodeBlob = (content: string): string => JSON.stringify({ data: Buffer.from(content, "utf8").toString("base64") });
export function decodeBlob(data: string): string {
  const parsed = JSON.parse(data) as { data?: unknown };
  return typeof parsed.data === "string" ? Buffer.from(parsed.data, "base64").toString("utf8") : "";
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function postgresNotes(url: string, notesKey: string): StackNotes {
  const { connectionString, table, prefix } = parseBackendUrl(url);
  const stackKey = prefix + notesKey;
  const pool = poolFor(connectionString);
  const keyOf = (name: string) => `${stackKey}/${name}`;
  const parsed = new URL(connectionString);
  // The backend makes its table when the CLI opens it; made here too (the same columns) for a
  // provider that runs first, once per table and process.
  const ready = () => {
    const id = `${connectionString} ${table}`;
    let made = tablesReady.get(id);
    if (!made) {
      made = pool.query(
        `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, data JSON NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())`,
      );
      made.catch(() => tablesReady.delete(id));
      tablesReady.set(id, made);
    }
    return made;
  };
  const query = async <R extends object>(sql: string, values: unknown[]) => {
    await ready();
    return pool.query<R>(sql, values);
  };
  return {
    where: `${parsed.protocol}//${parsed.host}${parsed.pathname} table ${table}, keys ${stackKey}/`,
    async read(name) {
      const result = await query<{ data: string }>(`SELECT data::text AS data FROM ${table} WHERE key = $1`, [keyOf(name)]);
      return result.rows.length ? decodeBlob(result.rows[0].data).trim() || undefined : undefined;
    },
    async write(name, content) {
      await query(
        `INSERT INTO ${table} (key, data, updated_at) VALUES ($1, $2::json, now())
         ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
        [keyOf(name), encodeBlob(content)],
      );
    },
    async list(prefix) {
      const result = await query<{ key: string; data: string }>(`SELECT key, data::text AS data FROM ${table} WHERE key LIKE $1`, [
        likePrefix(keyOf(prefix)),
      ]);
      return new Map(result.rows.map((row) => [row.key.slice(stackKey.length + 1), decodeBlob(row.data)]));
    },
    async forget() {
      await query(`DELETE FROM ${table} WHERE key LIKE $1`, [likePrefix(`${stackKey}/`)]);
    },
  };
}
