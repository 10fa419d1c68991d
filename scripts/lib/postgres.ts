/**
 * A local PostgreSQL for development and tests, as a team's state database would be set up:
 * Debian's binaries (`pg_config --bindir`), a cluster of its own in a folder under `.data/`, a
 * free port on 127.0.0.1 (no Unix socket), a superuser `postgres` and, as the README tells teams
 * to make, a role `pulumi` that owns a database `pulumi`. Pulumi's backend URL for it is
 * `postgres://pulumi:<password>@127.0.0.1:<port>/pulumi?sslmode=disable`.
 *
 * PostgreSQL refuses to run as root: run as root, the cluster belongs to the `postgres` user
 * (made by Debian's package) and every server command runs as that user. The server is stopped by
 * its own process id (the first line of `postmaster.pid`), with SIGINT: a fast shutdown.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { OperatorError } from "./operatorError";

export interface LocalPostgres {
  /** The backend URL for `PULUMI_BACKEND_URL`. */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  dataDir: string;
  /** Stops the server (SIGINT to its pid) and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
}

const ROLE = "pulumi";
const DATABASE = "pulumi";

/** The folder of Debian's PostgreSQL server binaries. */
export function postgresBinDir(): string {
  const fromConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const candidates = [fromConfig.status === 0 ? fromConfig.stdout.trim() : "", ...listVersions("/usr/lib/postgresql")];
  const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, "initdb")));
  if (!found) {
    throw new OperatorError("no PostgreSQL server binaries (initdb) found: install Debian's postgresql package (apt-get install postgresql)");
  }
  return found;
}

function listVersions(root: string): string[] {
  try {
    return fs
      .readdirSync(root)
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => path.join(root, version, "bin"));
  } catch {
    return [];
  }
}

/** Runs a server binary as the cluster's owner: `postgres` when we are root, ourselves otherwise. */
function asOwner(bin: string, args: string[], options: { input?: string } = {}): string {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(command, argv, { encoding: "utf8", input: options.input, stdio: ["pipe", "pipe", "pipe"] });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function readPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (making it first if needed) the cluster in `folder`, on `port` or a free one. The
 * password of the `pulumi` role is kept in `folder/password` (mode 600), made once.
 */
export async function startLocalPostgres(folder: string, options: { port?: number } = {}): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  const root = path.resolve(folder);
  const dataDir = path.join(root, "data");
  const passwordFile = path.join(root, "password");
  // Only the cluster's own folder is private: a parent made here (`.data/` on a fresh clone) keeps
  // the default mode, or the postgres user could not enter it.
  fs.mkdirSync(path.dirname(root), { recursive: true });
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    execFileSync("chown", ["postgres:postgres", root]);
    if (spawnSync("runuser", ["-u", "postgres", "--", "test", "-w", root]).status !== 0) {
      throw new OperatorError(`PostgreSQL runs as the postgres user, who cannot reach ${root}: choose a folder whose parents others may enter`);
    }
  }

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    const password = crypto.randomBytes(18).toString("base64url");
    const superFile = path.join(root, "superuser-password");
    fs.writeFileSync(superFile, `${password}\n`, { mode: 0o600 });
    if (asRoot) execFileSync("chown", ["postgres:postgres", superFile]);
    asOwner(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${superFile}`, "-E", "UTF8", "--no-instructions"]);
    fs.writeFileSync(passwordFile, password, { mode: 0o600 });
    fs.rmSync(superFile);
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();

  const url = (port: number) => `postgres://${ROLE}:${password}@127.0.0.1:${port}/${DATABASE}?sslmode=disable`;
  const running = readPid(dataDir);
  if (running && alive(running)) {
    // Already up (started earlier): the same server, on the port it listens on (line 4 of postmaster.pid).
    const port = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[3]);
    return { url: url(port), port, pid: running, dataDir, stop: () => stopPostgres(running) };
  }

  const port = options.port ?? (await freePort());
  const log = path.join(root, "server.log");
  if (asRoot) {
    fs.closeSync(fs.openSync(log, "a"));
    execFileSync("chown", ["postgres:postgres", log]);
  }
  asOwner(path.join(bin, "pg_ctl"), ["start", "-D", dataDir, "-w", "-t", "60", "-l", log, "-o", `-p ${port} -h 127.0.0.1 -k ''`]);
  const pid = readPid(dataDir);
  if (!pid) throw new OperatorError(`PostgreSQL did not start: see ${log}`);

  // The team setup of the README: a role that owns the state database, nothing more.
  const psql = (sql: string, database = "postgres") =>
    execFileSync(path.join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], {
      encoding: "utf8",
      env: { ...process.env, PGPASSWORD: password },
    }).trim();
  if (psql(`SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`) !== "1") psql(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${password}'`);
  if (psql(`SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`) !== "1") psql(`CREATE DATABASE ${DATABASE} OWNER ${ROLE}`);

  let stopped: Promise<void> | undefined;
  return {
    url: url(port),
    port,
    pid,
    dataDir,
    stop: () => (stopped ??= stopPostgres(pid)),
  };
}

/** SIGINT to the postmaster (fast shutdown), then waits for it to be gone. */
export async function stopPostgres(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops the cluster in `folder` if its server runs; says whether it did. */
export async function stopLocalPostgres(folder: string): Promise<number | undefined> {
  const pid = readPid(path.join(path.resolve(folder), "data"));
  if (!pid || !alive(pid)) return undefined;
  await stopPostgres(pid);
  return pid;
}
