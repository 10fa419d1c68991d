/**
 * Undoes the one kind of damage a killed Pulumi command leaves in a local (file) backend.
 *
 * The file backend stores each file's metadata beside it in `<file>.attrs` (Go CDK's fileblob),
 * written in place, not atomically like the file itself: a process killed between truncating and
 * writing it (kill -9, power loss during a checkpoint) leaves it empty, and every later command
 * on that stack fails with "failed to load checkpoint: EOF". An empty `.attrs` file is never
 * valid, and a missing one is read as default metadata, so removing it loses nothing.
 * The stack file itself is written to a temporary file and renamed, so it is whole.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Removes empty `.attrs` files under the backend's `.pulumi` folder; returns what it removed. */
export function repairInterruptedWrites(backendDir: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && entry.name.endsWith(".attrs") && fs.statSync(file).size === 0) {
        fs.rmSync(file);
        removed.push(file);
      }
    }
  };
  walk(path.join(backendDir, ".pulumi"));
  return removed;
}
