/**
 * Tools the machines of this project share but the project must never copy (Polytomic's Terraform
 * provider, Pulumi's own Node.js language host): `shared/tools/...` beside the checkout, or beside
 * a folder above it (a git worktree under `wt/<name>` sees them two levels up).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** `shared/tools/<parts>` from the nearest folder at or above `root` that has it; else where `../shared/tools` would hold it. */
export function sharedToolPath(root: string, ...parts: string[]): string {
  const relative = path.join("shared", "tools", ...parts);
  for (let dir = path.resolve(root, ".."); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, relative))) return path.join(dir, relative);
    if (path.dirname(dir) === dir) return path.resolve(root, "..", relative);
  }
}
