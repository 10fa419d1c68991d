/**
 * Locks left behind by a Pulumi run that died on this machine (kill -9, a closed terminal, power
 * loss), in a file backend.
 *
 * Why: the file backend locks a stack with `.pulumi/locks/<org>/<project>/<stack>/<id>.json`
 * (`{pid, hostname, ...}`) and a run killed before it unlocks leaves that file; every later
 * command then fails with "the stack is currently locked" until someone deletes it by hand
 * (`pulumi cancel` does not apply to file backends). A lock written on this host by a process
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

interface LockContent {
  pid?: number;
  hostname?: string;
}

function running(pid: number): boolean {
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

/**
 * Removes the dead runs' locks of the backend (of one stack when `stack` is given, by its name)
 * and returns the stacks they locked, as `<org>/<project>/<stack>`.
 */
export function clearDeadRunLocks(backendDir: string, stack?: string): string[] {
  const locksDir = path.join(backendDir, ".pulumi", "locks");
  const cleared = new Set<string>();
  for (const file of lockFiles(locksDir)) {
    const locked = path.relative(locksDir, path.dirname(file)).split(path.sep).join("/");
    if (stack && locked.split("/").pop() !== stack) continue;
    let lock: LockContent;
    try {
      lock = JSON.parse(fs.readFileSync(file, "utf8")) as LockContent;
    } catch {
      continue; // Being written, or not a lock of Pulumi's: leave it.
    }
    if (lock.hostname !== os.hostname() || typeof lock.pid !== "number" || running(lock.pid)) continue;
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.attrs`, { force: true });
    cleared.add(locked);
  }
  return [...cleared];
}
