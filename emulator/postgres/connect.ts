/**
 * Reaching the PostgreSQL a `postgresql` connection names, with the `pg` driver: the client
 * settings its configuration gives, one short-lived client per job, and the connection check that
 * create and update run (Polytomic "validates the connection against the upstream service
 * immediately on creation. The request will fail if the credentials or endpoint cannot be
 * reached": polytomic-typescript `src/api/resources/connections/client/Client.ts`, create/update).
 */
import * as net from "node:net";
import { Client, type ClientConfig } from "pg";

/** The keys of a `postgresql` configuration the emulator reads (TF `connectiontypes/postgresql.json`). */
export interface PostgresSettings {
  hostname: string;
  port: number;
  database: string;
  username: string;
  password: string;
  /** `ssl` (default true in the type's schema): TLS when the server offers it (see {@link connect}). */
  ssl: boolean;
}

/** How long a connection attempt may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The settings of a stored (or prepared) configuration; its shape was checked before it was stored. */
export function postgresSettings(configuration: Record<string, unknown>): PostgresSettings {
  return {
    hostname: String(configuration.hostname ?? ""),
    port: Number(configuration.port ?? 5432),
    database: String(configuration.database ?? ""),
    username: String(configuration.username ?? ""),
    password: String(configuration.password ?? ""),
    ssl: configuration.ssl !== false,
  };
}

/** Why a connection failed, as data: PostgreSQL's SQLSTATE or the socket's error code. */
export interface PostgresFailure {
  /** SQLSTATE (`28P01`: wrong password, `3D000`: no such database) or a Node code (`ECONNREFUSED`). */
  code: string;
  /** The driver's message: it names the user or database, never the password. */
  message: string;
}

export const failureOf = (error: unknown): PostgresFailure => {
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "unknown";
  const message = error instanceof Error ? error.message : String(error);
  return { code, message };
};

/**
 * Whether the server offers TLS, asked the way libpq's `sslmode=prefer` asks: an SSLRequest
 * (length 8, code 80877103), answered by one byte, `S` (yes) or `N` (no). The answer is data,
 * not an error message to interpret.
 */
function serverOffersTls(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
    socket.once("connect", () => {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once("data", (answer) => {
      socket.destroy();
      resolve(answer[0] === 0x53);
    });
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`${host}:${port} closed the connection`)));
  });
}

function clientConfig(settings: PostgresSettings, ssl: boolean): ClientConfig {
  return {
    host: settings.hostname,
    port: settings.port,
    database: settings.database,
    user: settings.username,
    password: settings.password,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // The emulator is no TLS client of record: it encrypts when the server offers TLS and does not
    // verify the certificate (it only reaches servers a test or a developer runs).
    ssl: ssl ? { rejectUnauthorized: false } : false,
  };
}

/** A connected client; TLS when `ssl` is on and the server offers it. The caller ends it. */
export async function connect(settings: PostgresSettings): Promise<Client> {
  // `ssl` left at its default must still reach a server without TLS: Polytomic's own acceptance
  // tests create connections without `ssl` to a PostgreSQL container that has no TLS
  // (TF provider/testcontainer_postgres_test.go, postgres:16-alpine) and sync through them.
  const ssl = settings.ssl && (await serverOffersTls(settings.hostname, settings.port));
  const client = new Client(clientConfig(settings, ssl));
  client.on("error", () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** Runs `job` with a client of its own, closed afterwards whatever happens. */
export async function withPostgres<T>(settings: PostgresSettings, job: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(settings);
  try {
    return await job(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects and runs `SELECT 1`: undefined when the connection works, else why not. */
export async function checkPostgres(settings: PostgresSettings): Promise<PostgresFailure | undefined> {
  try {
    await withPostgres(settings, (client) => client.query("SELECT 1"));
    return undefined;
  } catch (error) {
    return failureOf(error);
  }
}

/** `"schema"."table"` from `schema.table` (a bare name is in `public`), each part quoted. */
export function qualifiedName(object: string): { schema: string; table: string; sql: string } {
  const dot = object.indexOf(".");
  const schema = dot < 0 ? "public" : object.slice(0, dot);
  const table = dot < 0 ? object : object.slice(dot + 1);
  return { schema, table, sql: `${quoteIdent(schema)}.${quoteIdent(table)}` };
}

/** An identifier quoted for SQL text. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
