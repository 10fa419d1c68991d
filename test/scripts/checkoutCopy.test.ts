/**
 * scripts/lib/checkoutCopy.ts: the copy each end of `npm run test:ends` installs into holds the
 * working tree as git sees it (edits and new files included) and nothing git ignores. A git
 * repository in a temporary folder; nothing here installs anything.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { copyCheckout } from "../../scripts/lib/checkoutCopy";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-copy-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("copies tracked files as edited, new files not ignored, and modes; leaves out ignored and deleted ones", () => {
  const repo = path.join(dir, "repo");
  const write = (file: string, text: string, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text, { mode });
  };
  write(".gitignore", "node_modules/\ndist/\n");
  write("package.json", "{}\n");
  write("scripts/run.sh", "#!/bin/sh\n", 0o755);
  write("gone.txt", "tracked, then deleted\n");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: repo, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "first");
  write("package.json", '{"edited":true}\n');
  write("new.ts", "export {};\n");
  write("node_modules/x/index.js", "ignored\n");
  write("dist/lib.js", "ignored\n");
  fs.rmSync(path.join(repo, "gone.txt"));

  const copy = path.join(dir, "copy");
  expect(copyCheckout(repo, copy)).toBe(4);
  const files = execFileSync("find", [".", "-type", "f"], { cwd: copy, encoding: "utf8" }).trim().split("\n").sort();
  expect(files).toEqual(["./.gitignore", "./new.ts", "./package.json", "./scripts/run.sh"]);
  expect(fs.readFileSync(path.join(copy, "package.json"), "utf8")).toBe('{"edited":true}\n');
  expect(fs.statSync(path.join(copy, "scripts", "run.sh")).mode & 0o777).toBe(0o755);
});
