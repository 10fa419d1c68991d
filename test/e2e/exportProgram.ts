/**
 * Makes an exported program folder runnable without a registry, the way `npm install` would:
 * `node_modules/@pulumi/pulumi` and `@types/node` link to this project's, and
 * `node_modules/polytomic-pulumi` is this project, built, as the package it publishes (its
 * `exports`, and the providers' runtime found from it). Then `npm run build` is `tsc -p tsconfig.json`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

export function installProgramDependencies(dir: string, packageName: string): void {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
  fs.mkdirSync(path.join(modules, "@types"), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi"), path.join(modules, "@pulumi", "pulumi"));
  fs.symlinkSync(path.join(repoRoot, "node_modules", "@types", "node"), path.join(modules, "@types", "node"));
  fs.symlinkSync(repoRoot, path.join(modules, packageName));
}

/** `npm run build` of the exported program: tsc with its own tsconfig.json. Throws with tsc's output. */
export function buildProgram(dir: string): void {
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { cwd: dir, stdio: "pipe", encoding: "utf8" });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed on the exported program:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

/** Every file of a folder (node_modules and the compiled output left out), by relative path. */
export function readTree(dir: string, skip: readonly string[] = ["node_modules", "bin"]): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (skip.includes(rel)) continue;
      if (entry.isDirectory()) walk(rel);
      else files[rel] = fs.readFileSync(path.join(dir, rel), "utf8");
    }
  };
  walk("");
  return files;
}
