/**
 * Where a benchmark keeps its state (`BENCH_BACKEND=file|postgres`, default file) and how many
 * bytes the backend wrote during one operation:
 * - file: the bytes of every file under the backend's folder that the operation wrote (each is
 *   rewritten whole: the state, its backup, history), from sizes and modification times;
 * - postgres: the WAL the operation made the server write (`pg_current_wal_lsn()` before and after),
 *   on a PostgreSQL of the benchmark's own (scripts/lib/postgres.ts), which nothing else uses.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { startLocalPostgres, type LocalPostgres } from "../scripts/lib/postgres";

export type BackendKind = "file" | "postgres";

export function backendKind(env: NodeJS.ProcessEnv = process.env): BackendKind {
  const kind = env.BENCH_BACKEND ?? "file";
  if (kind !== "file" && kind !== "postgres") throw new Error(`BENCH_BACKEND must be file or postgres (got "${kind}")`);
  return kind;
}

export interface BenchBackend {
  kind: BackendKind;
  /** For Pulumi: a folder (file) or a URL (postgres) of this size's own. */
  pulumi(label: string): { backendDir?: string; backendUrl?: string };
  /** The PostgreSQL connection string, for Terraform's `pg` backend (postgres only). */
  connectionString?: string;
  /** Starts counting; the returned function gives the bytes written since. */
  measureWrites(): Promise<() => Promise<number>>;
  stop(): Promise<void>;
}

export async function openBenchBackend(kind: BackendKind, dir: string): Promise<BenchBackend> {
  if (kind === "file") {
    const root = path.join(dir, "backend");
    return {
      kind,
      pulumi: (label) => ({ backendDir: path.join(root, label) }),
      async measureWrites() {
        const started = Date.now();
        return async () => filesWrittenSince(root, started);
      },
      async stop() {},
    };
  }
  // A folder of its own in the temporary folder: the server's user must be able to reach it.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-bench-postgres-"));
  const server: LocalPostgres = await startLocalPostgres(folder);
  const connectionString = server.url;
  /** One value of one query, on a connection of its own (the bench runs them between operations). */
  const scalar = async (sql: string, values: unknown[] = []) => {
    const client = new Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<{ value: string }>(sql, values)).rows[0].value;
    } finally {
      await client.end();
    }
  };
  return {
    kind,
    connectionString,
    pulumi: (label) => {
      const url = new URL(connectionString);
      url.searchParams.set("table", `pulumi_${label.replace(/\W/g, "_")}`);
      return { backendUrl: url.toString() };
    },
    async measureWrites() {
      const before = await scalar("SELECT pg_current_wal_lsn()::text AS value");
      return async () => Number(await scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS value", [before]));
    },
    async stop() {
      await server.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

function filesWrittenSince(root: string, since: number): number {
  if (!fs.existsSync(root)) return 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = fs.statSync(path.join(entry.parentPath, entry.name));
    if (stat.mtimeMs >= since) bytes += stat.size;
  }
  return bytes;
}
