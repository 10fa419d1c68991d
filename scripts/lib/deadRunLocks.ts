/**
 * Locks left behind by a Pulumi run that died on this machine (kill -9, a closed terminal, power
 * loss), in a file or PostgreSQL backend.
 *
 * Why: a DIY backend locks a stack with `.pulumi/locks/<org>/<project>/<stack>/<id>.json`
 * (`{pid, hostname, ...}`: a file, or a row of the PostgreSQL backend's table) and a run killed
 * before it unlocks leaves it; every later command then fails with "the stack is currently
 * locked" until someone deletes it by hand (`pulumi cancel` does not apply to DIY backends). A lock written on this host by a process
 * that no longer runs cannot belong to a live run, so it is removed. A pid reused since by
 * another process reads as alive and the lock stays: the safe side. Not safe: two machines (or
 * containers) with one host name sharing one backend folder; a run on the other one would look
 * dead from here.
 *
 * The dead run may have changed things its state never recorded (this project writes the state
 * once per run), so callers re-read the state: runPulumi.ts adds `--refresh` to `up` and `preview`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileBackendDir } from "../../providers/backend";
import { decodeBlob, parseBackendUrl } from "../../providers/runtime/postgresNotes";

/** What Pulumi's DIY backend writes in a lock (pkg/backend/diy/lock.go `lockContent`). */
export interface LockContent {
  pid?: number;
  hostname?: string;
  username?: string;
  timestamp?: string;
}

/** Whether process `pid` runs on this machine. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Lock files under `dir`, as paths (the `.attrs` files beside them excluded). */
function lockFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** A lock as the backend holds it: where (to remove it) and what it says. */
export interface HeldLock {
  /** `<org>/<project>/<stack>` it locks. */
  locked: string;
  /** How to delete it by hand: a path, or the SQL. */
  howToDelete: string;
  content: string;
  remove(): Promise<void>;
}

async function fileLocks(backendDir: string): Promise<HeldLock[]> {
  const locksDir = path.join(backendDir, ".pulumi", "locks");
  return lockFiles(locksDir).map((file) => ({
    locked: path.relative(locksDir, path.dirname(file)).split(path.sep).join("/"),
    howToDelete: `rm ${file}`,
    content: readOrEmpty(file),
    async remove() {
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}.attrs`, { force: true });
    },
  }));
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

async function postgresLocks(url: string): Promise<HeldLock[]> {
  const { Client } = await import("pg");
  const { connectionString, table, prefix } = parseBackendUrl(url);
  const locks = `${prefix}.pulumi/locks/`;
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const rows = await client.query<{ key: string; data: string }>(`SELECT key, data::text AS data FROM ${table} WHERE starts_with(key, $1)`, [locks]);
    return rows.rows.map((row) => ({
      locked: path.posix.dirname(row.key.slice(locks.length)),
      howToDelete: `DELETE FROM ${table} WHERE key = '${row.key}'`,
      content: decodeBlob(row.data),
      async remove() {
        const remover = new Client({ connectionString });
        await remover.connect();
        try {
          await remover.query(`DELETE FROM ${table} WHERE key = $1`, [row.key]);
        } finally {
          await remover.end();
        }
      },
    }));
  } catch (err) {
    // No table yet: the backend was never used, so nothing is locked.
    if ((err as { code?: string }).code === "42P01") return [];
    throw err;
  } finally {
    await client.end();
  }
}

/** The locks a file or PostgreSQL backend holds (of one stack when `stack` is given); none for other backends. */
export async function heldLocks(backendUrl: string | undefined, stack?: string): Promise<HeldLock[]> {
  const backendDir = fileBackendDir(backendUrl);
  const locks = backendDir ? await fileLocks(backendDir) : /^postgres(ql)?:\/\//.test(backendUrl ?? "") ? await postgresLocks(backendUrl!) : [];
  return locks.filter((lock) => !stack || lock.locked.split("/").pop() === stack);
}

/** `user@host (pid N) since <time>`, as a lock says it. */
export function lockHolder(content: LockContent): string {
  return `${content.username ?? "?"}@${content.hostname ?? "?"} (pid ${content.pid ?? "?"}) since ${content.timestamp ?? "?"}`;
}

/**
 * One line about the locks another run holds on the stack (after a command failed, its own lock
 * is gone): who holds them since when, and how to delete one whose run died. Undefined when none.
 */
export async function describeHeldLocks(backendUrl: string | undefined, stack?: string): Promise<string | undefined> {
  const locks = await heldLocks(backendUrl, stack);
  if (locks.length === 0) return undefined;
  const described = locks.map((lock) => {
    let content: LockContent = {};
    try {
      content = JSON.parse(lock.content) as LockContent;
    } catch {
      // Unreadable: named by where it is only.
    }
    return `${lock.locked} is locked by a run of ${lockHolder(content)}; if that run is dead, delete its lock: ${lock.howToDelete}`;
  });
  return `${described.join("; ")} (a dead run's lock on this host is lifted by the next npm run pulumi)`;
}

/**
 * Removes the dead runs' locks of the backend (of one stack when `stack` is given, by its name)
 * and returns the stacks they locked, as `<org>/<project>/<stack>`. Other backends: none.
 */
export async function clearDeadRunLocks(backendUrl: string | undefined, stack?: string): Promise<string[]> {
  const cleared = new Set<string>();
  for (const lock of await heldLocks(backendUrl, stack)) {
    let content: LockContent;
    try {
      content = JSON.parse(lock.content) as LockContent;
    } catch {
      continue; // Being written, or not a lock of Pulumi's: leave it.
    }
    if (content.hostname !== os.hostname() || typeof content.pid !== "number" || running(content.pid)) continue;
    await lock.remove();
    cleared.add(lock.locked);
  }
  return [...cleared];
}
