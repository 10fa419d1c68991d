/** The run's PostgreSQL (postgresSetup.ts), as a backend URL with a table of the caller's own. */
import * as crypto from "node:crypto";
import { inject } from "vitest";

/** `postgres://.../pulumi?sslmode=disable&table=<unique>`: Pulumi's backend and the stack notes use that table. */
export function postgresBackendUrl(label: string): string {
  const url = new URL(inject("postgresUrl"));
  url.searchParams.set("table", `${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${crypto.randomBytes(4).toString("hex")}`);
  return url.toString();
}

/** The keys the backend's table holds under `prefix` (the table of `url`). */
export async function backendKeys(url: string, prefix: string): Promise<string[]> {
  const { Client } = await import("pg");
  const { parseBackendUrl } = await import("../../providers/runtime/postgresNotes");
  const { connectionString, table } = parseBackendUrl(url);
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const rows = await client.query<{ key: string }>(`SELECT key FROM ${table} WHERE starts_with(key, $1) ORDER BY key`, [prefix]);
    return rows.rows.map((r) => r.key);
  } finally {
    await client.end();
  }
}

/** The `configuration` of a `postgresql` connection to the run's PostgreSQL (the keys of Polytomic's type). */
export function postgresConnectionSettings() {
  const url = new URL(inject("postgresUrl"));
  return {
    hostname: url.hostname,
    port: Number(url.port),
    database: url.pathname.slice(1),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}
