/**
 * Which Node.js language host (and dynamic-provider shim) the Pulumi CLI runs the program and the
 * providers with: Pulumi's own, as every user outside this repository gets it with the CLI, or
 * the small one this project builds for itself (langhost/) when Pulumi's is not served by the Go
 * module proxy.
 *
 * The CLI takes both from the first folder on PATH that holds them, or from beside its own binary
 * (it warns when the two differ). So each host gets a folder of its own holding the CLI and the
 * two plugins, the way Pulumi's distribution lays them out: `.pulumi-cli/v<version>/bin` for ours
 * (scripts/pulumi-cli.sh), `.pulumi-cli/pulumi-host/bin` for Pulumi's (made here: a hard link of
 * the CLI, so it finds the plugins beside itself too, and links to Pulumi's two files, never copies).
 *
 * `POLYTOMIC_LANGUAGE_HOST=pulumi|project` chooses; `POLYTOMIC_PULUMI_HOST_DIR` names the folder of
 * Pulumi's host when it is not in the shared tools (`shared/tools/pulumi-language-nodejs/bin`
 * beside or above this checkout) nor beside a `pulumi` installed the official way.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { sharedToolPath } from "./sharedTools";

export type LanguageHost = "pulumi" | "project";

/** The two files Pulumi's distribution ships beside `pulumi` for Node.js programs. */
const HOST_FILES = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"] as const;

const SHARED_HOST = path.join("shared", "tools", "pulumi-language-nodejs", "bin");

function holdsHost(dir: string): boolean {
  return HOST_FILES.every((file) => fs.existsSync(path.join(dir, file)));
}

/** Our own host is a build of langhost/: its folder carries the hash of the sources it was built from. */
function isProjectHost(dir: string): boolean {
  return fs.existsSync(path.join(dir, ".langhost-hash")) || fs.existsSync(path.join(dir, "preload.js"));
}

function pulumiOnPath(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi");
    if (dir && fs.existsSync(candidate)) return fs.realpathSync(candidate);
  }
  return undefined;
}

/**
 * The folder holding Pulumi's own `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`,
 * or undefined when this machine has none: POLYTOMIC_PULUMI_HOST_DIR, else the shared tools found
 * from `root` upward, else beside a `pulumi` on PATH installed the official way.
 */
export function pulumiHostDir(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.POLYTOMIC_PULUMI_HOST_DIR) {
    const dir = path.resolve(env.POLYTOMIC_PULUMI_HOST_DIR);
    if (!holdsHost(dir)) throw new Error(`POLYTOMIC_PULUMI_HOST_DIR=${dir} holds no ${HOST_FILES.join(" and ")}: point it at the folder of Pulumi's Node.js language host`);
    return dir;
  }
  const shared = sharedToolPath(root, "pulumi-language-nodejs", "bin");
  if (holdsHost(shared)) return shared;
  const installed = pulumiOnPath(env);
  if (installed && holdsHost(path.dirname(installed)) && !isProjectHost(path.dirname(installed))) return path.dirname(installed);
  return undefined;
}

/** Why a test or a run under Pulumi's own host cannot happen here (undefined: it can). */
export function pulumiHostMissing(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return pulumiHostDir(root, env)
    ? undefined
    : `Pulumi's own Node.js language host is not on this machine (no ${SHARED_HOST} above ${root}, POLYTOMIC_PULUMI_HOST_DIR unset, no official pulumi on PATH)`;
}

/**
 * The host asked for with POLYTOMIC_LANGUAGE_HOST, else `fallback`. `"pulumi-if-present"` means
 * Pulumi's own where this machine has it, else ours (the benchmark's default).
 */
export function chosenLanguageHost(root: string, fallback: LanguageHost | "pulumi-if-present", env: NodeJS.ProcessEnv = process.env): LanguageHost {
  const asked = env.POLYTOMIC_LANGUAGE_HOST?.trim();
  if (asked === "pulumi" || asked === "project") return asked;
  if (asked) throw new Error(`POLYTOMIC_LANGUAGE_HOST=${asked}: must be "pulumi" (Pulumi's own language host) or "project" (this project's langhost/)`);
  if (fallback === "pulumi-if-present") return pulumiHostDir(root, env) ? "pulumi" : "project";
  return fallback;
}

/** How a table or a log names the host. */
export function describeHost(host: LanguageHost, root: string): string {
  return host === "pulumi" ? `Pulumi's own language host and dynamic-provider shim (${pulumiHostDir(root)})` : "this project's language host (langhost/: its preloads, its one-Node provider launcher)";
}

/**
 * A folder to put first on PATH that runs `cli` (the Pulumi CLI binary) with Pulumi's own Node.js
 * host and shim: `<root>/.pulumi-cli/pulumi-host/bin`, remade when any of its links is stale.
 */
export function pulumiHostBinDir(root: string, cli: string, env: NodeJS.ProcessEnv = process.env): string {
  const hostDir = pulumiHostDir(root, env);
  if (!hostDir) throw new Error(pulumiHostMissing(root, env));
  const realCli = fs.realpathSync(cli);
  const dir = path.join(root, ".pulumi-cli", "pulumi-host", "bin");
  if (upToDate(dir, realCli, hostDir)) return dir;
  // Made aside and renamed into place: test files running at once may all ask for it.
  const staging = `${dir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    // A hard link: the CLI looks for its bundled plugins beside its own (symlink-resolved) path.
    fs.linkSync(realCli, path.join(staging, "pulumi"));
  } catch {
    fs.copyFileSync(realCli, path.join(staging, "pulumi"));
    fs.chmodSync(path.join(staging, "pulumi"), 0o755);
  }
  for (const file of HOST_FILES) fs.symlinkSync(path.join(hostDir, file), path.join(staging, file));
  fs.writeFileSync(path.join(staging, ".cli"), realCli);
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!upToDate(dir, realCli, hostDir)) throw new Error(`could not make ${dir}`);
  }
  return dir;
}

function upToDate(dir: string, realCli: string, hostDir: string): boolean {
  try {
    if (fs.readFileSync(path.join(dir, ".cli"), "utf8") !== realCli) return false;
    if (fs.statSync(path.join(dir, "pulumi")).ino !== fs.statSync(realCli).ino && fs.statSync(path.join(dir, "pulumi")).size !== fs.statSync(realCli).size) return false;
    return HOST_FILES.every((file) => fs.readlinkSync(path.join(dir, file)) === path.join(hostDir, file));
  } catch {
    return false;
  }
}

/** The `pulumi` binary a folder printed by scripts/pulumi-cli.sh runs: its own, or the one on PATH after it. */
export function cliOf(binDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const own = path.join(binDir, "pulumi");
  if (fs.existsSync(own)) return own;
  const found = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8", env }).trim();
  if (!found) throw new Error("no pulumi on PATH");
  return found;
}
