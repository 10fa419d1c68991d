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
import { checkpointText, stackKey as notesKeyOf, stateKeys, type StackNotes } from "./stackNotes";

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

/** The table of Pulumi's PostgreSQL backend (the columns it makes on first use), made if missing. */
export const createBackendTable = (table: string): string =>
  `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, data JSON NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())`;

/** A blob (text or bytes) as Pulumi's PostgreSQL backend stores it in its `data` column. */
export const encodeBlob = (content: string | Buffer): string =>
  JSON.stringify({ data: (typeof content === "string" ? Buffer.from(content, "utf8") : content).toString("base64") });
export function decodeBlob(data: string): string {
  const parsed = JSON.parse(data) as { data?: unknown };
  return typeof parsed.data === "string" ? Buffer.from(parsed.data, "base64").toString("utf8") : "";
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function postgresNotes(url: string, stack: string): StackNotes {
  const { connectionString, table, prefix } = parseBackendUrl(url);
  const stackKey = prefix + notesKeyOf(stack);
  const stacksRoot = `${prefix}.polytomic/stacks/`;
  const pool = poolFor(connectionString);
  const keyOf = (name: string) => `${stackKey}/${name}`;
  // The backend makes its table when the CLI opens it; made here too (the same columns) for a
  // provider that runs first, once per table and process.
  const ready = () => {
    const id = `${connectionString} ${table}`;
    let made = tablesReady.get(id);
    if (!made) {
      made = pool.query(createBackendTable(table));
      made.catch(() => tablesReady.delete(id));
      tablesReady.set(id, made);
    }
    return made;
  };
  const query = async <R extends object>(sql: string, values: unknown[]) => {
    await ready();
    return pool.query<R>(sql, values);
  };
  // Writes wait in one queue: those made while a commit is under way go together in the next one
  // (a group commit), so 32 creates in flight cost a few commits, not 64 (an intent and an id each).
  // A removal is a write of `undefined`: it goes in the same commit, after the upserts.
  const writes = groupCommit(async (rows) => {
    const kept = rows.filter((row): row is [string, string] => row[1] !== undefined);
    const removed = rows.filter(([, data]) => data === undefined).map(([key]) => key);
    if (kept.length > 0) {
      await query(
        `INSERT INTO ${table} (key, data, updated_at) SELECT key, data::json, now() FROM unnest($1::text[], $2::text[]) AS t(key, data)
         ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
        [kept.map(([key]) => key), kept.map(([, data]) => data)],
      );
    }
    if (removed.length > 0) await query(`DELETE FROM ${table} WHERE key = ANY($1::text[])`, [removed]);
  });
  return {
    async read(name) {
      const result = await query<{ data: string }>(`SELECT data::text AS data FROM ${table} WHERE key = $1`, [keyOf(name)]);
      return result.rows.length ? decodeBlob(result.rows[0].data).trim() || undefined : undefined;
    },
    write: (name, content) => writes.put(keyOf(name), encodeBlob(content)),
    async list(prefix) {
      const result = await query<{ key: string; data: string }>(`SELECT key, data::text AS data FROM ${table} WHERE key LIKE $1`, [
        likePrefix(keyOf(prefix)),
      ]);
      return new Map(result.rows.map((row) => [row.key.slice(stackKey.length + 1), decodeBlob(row.data)]));
    },
    remove: (name) => writes.put(keyOf(name), undefined),
    async ofOtherStacks(name) {
      const result = await query<{ key: string; data: string }>(
        `SELECT key, data::text AS data FROM ${table} WHERE key LIKE $1 AND right(key, $2) = $3 AND NOT starts_with(key, $4)`,
        [likePrefix(stacksRoot), name.length + 1, `/${name}`, `${stackKey}/`],
      );
      const found = new Map<string, string>();
      for (const row of result.rows) {
        const parts = row.key.slice(stacksRoot.length, -(name.length + 1)).split("/");
        if (parts.length === 2) found.set(parts.join("/"), decodeBlob(row.data).trim());
      }
      return found;
    },
    async lastWrittenState() {
      const keys = stateKeys(stack).map((key) => prefix + key);
      const result = await query<{ key: string; data: string }>(`SELECT key, data::text AS data FROM ${table} WHERE key = ANY($1::text[])`, [keys]);
      const row = keys.map((key) => result.rows.find((r) => r.key === key)).find((r) => r !== undefined);
      if (!row) return undefined;
      const parsed = JSON.parse(row.data) as { data?: unknown };
      return typeof parsed.data === "string" ? checkpointText(Buffer.from(parsed.data, "base64")) : undefined;
    },
    async forget() {
      await query(`DELETE FROM ${table} WHERE key LIKE $1`, [likePrefix(`${stackKey}/`)]);
    },
  };
}

/**
 * A queue of key/value writes flushed by `commit`, one batch at a time: each `put` resolves when
 * the batch holding it is committed (or rejects with its error). A key written twice in one
 * batch keeps its last value.
 */
export function groupCommit(
  commit: (rows: [string, string | undefined][]) => Promise<void>,
): { put(key: string, value: string | undefined): Promise<void> } {
  let pending = new Map<string, string | undefined>();
  let waiters: { resolve(): void; reject(err: unknown): void }[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async () => {
    while (pending.size > 0) {
      const rows = [...pending];
      const batch = waiters;
      pending = new Map();
      waiters = [];
      try {
        await commit(rows);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    flushing = undefined;
  };
  return {
    put(key, value) {
      pending.delete(key);
      pending.set(key, value);
      const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      flushing ??= flush();
      return done;
    },
  };
}
