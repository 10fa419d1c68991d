/**
 * A copy of the checkout to install other versions into: what git keeps or would keep (tracked
 * files and untracked ones not ignored, as they are in the working tree), so no node_modules,
 * dist/, .pulumi-cli/ or state comes along, and the checkout itself is never changed.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Files of the working tree git keeps or would keep, relative to `root`. */
export function checkoutFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  // A tracked file deleted in the working tree is listed but not there: the copy is the working tree.
  return [...new Set(out.split("\0").filter((file) => file !== ""))].filter((file) => fs.existsSync(path.join(root, file)));
}

/** Copies those files of `root` into `dest` (modes kept, symbolic links as links). */
export function copyCheckout(root: string, dest: string): number {
  const files = checkoutFiles(root);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.cpSync(path.join(root, file), path.join(dest, file), { verbatimSymlinks: true });
  }
  return files.length;
}
