/**
 * The environment every Pulumi command of this project runs in: the CLI on PATH (from PATH or
 * built from the Go module proxy), the state backend (the caller's, else the user's
 * PULUMI_BACKEND_URL, else a local file backend), a private PULUMI_HOME, the passphrase secrets
 * provider, and no network calls of Pulumi's own.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repairInterruptedWrites } from "./backendRepair";
import { CheckpointMode, checkpointMode, skipCheckpointsValue } from "./checkpoints";
import { fileBackendDir } from "../../providers/backend";
import { cliOf, type LanguageHost, pulumiHostBinDir } from "./languageHost";

/** The repository root: the nearest folder above this file with Pulumi.yaml (works from dist/ and from sources). */
export const repoRoot = findRepoRoot(__dirname);

/**
 * The folder holding the local state (`.pulumi-state`, `.data`): the repository, or
 * POLYTOMIC_LOCAL_DIR (tests run `npm start` against a folder of their own).
 */
export function localDir(): string {
  return process.env.POLYTOMIC_LOCAL_DIR ? path.resolve(process.env.POLYTOMIC_LOCAL_DIR) : repoRoot;
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
  }
}

/**
 * Passphrase of the embedded `dev` stack. It only protects the emulator's local API key and a
 * throw-away service-account key, so it is documented rather than secret. Real stacks set their own.
 */
export const DEV_PASSPHRASE = "polytomic-local-dev";

/**
 * Runs scripts/pulumi-cli.sh (progress on stderr) and returns the folder to put first on PATH:
 * the CLI with this project's language host (`host` "project", the default), or with Pulumi's own
 * host and dynamic-provider shim (`host` "pulumi"; languageHost.ts says where they come from).
 */
export function providePulumiCli(root = repoRoot, host: LanguageHost = "project"): string {
  const out = execFileSync("bash", [path.join(root, "scripts", "pulumi-cli.sh")], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const binDir = out.trim().split("\n").pop() ?? "";
  if (!fs.existsSync(binDir)) throw new Error(`scripts/pulumi-cli.sh printed no usable folder (got "${binDir}")`);
  return host === "pulumi" ? pulumiHostBinDir(root, cliOf(binDir)) : binDir;
}

export interface PulumiEnvOptions {
  binDir: string;
  /**
   * The state backend: a folder for a file backend, or a backend URL (`postgres://...`). Default:
   * the user's PULUMI_BACKEND_URL, else `.pulumi-state` in `root`, else in {@link localDir}.
   */
  backendDir?: string;
  backendUrl?: string;
  /** Default `.pulumi-cli/home` in the repo. */
  pulumiHome?: string;
  /** Default: PULUMI_CONFIG_PASSPHRASE from the environment, else the dev passphrase. */
  passphrase?: string;
  root?: string;
  /** The stack and the folder of its Pulumi.yaml, when known: a stack that creates Google Cloud resources keeps every checkpoint. */
  stackName?: string;
  programDir?: string;
  /** Checkpoint mode when POLYTOMIC_CHECKPOINTS does not say (see checkpoints.ts); default from the stack's config, else `end`. */
  checkpoints?: CheckpointMode;
}

/** Engine steps in flight at once unless PULUMI_PARALLEL says otherwise (see pulumiEnv). */
export const DEFAULT_PARALLEL = "32";

/** The Pulumi command of a command line (`up`, `refresh`, ...): its first word that is not a flag. */
export function commandOf(args: readonly string[]): string | undefined {
  return args.find((a) => !a.startsWith("-"));
}

/** The stack a command line names with `--stack`/`-s`, if any. */
export function stackOf(args: readonly string[]): string | undefined {
  const i = args.findIndex((a) => a === "--stack" || a === "-s");
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith("--stack="))?.slice("--stack=".length);
}

/** Whether the command line confirms in advance (`--yes`, or PULUMI_SKIP_CONFIRMATIONS): nobody is asked. */
export function confirmedUpFront(args: readonly string[], env: Record<string, string | undefined> = process.env): boolean {
  return args.includes("--yes") || args.includes("-y") || /^(1|true)$/i.test(env.PULUMI_SKIP_CONFIRMATIONS ?? "");
}

/**
 * The arguments to run `pulumi <args>` with: `refresh`, `up` and `destroy` given `--yes` skip
 * their preview pass. With --yes nobody confirms the preview, yet Pulumi runs it in full first:
 * the program once more and, for refresh (and up --refresh), a second read of every object.
 * The Automation API does the same (it passes --skip-preview). Previews asked for with
 * `--preview-only` or `pulumi preview` are left alone.
 */
export function cliArgs(args: readonly string[]): string[] {
  const previewFlags = ["--skip-preview", "-f", "--preview-only"];
  if (["refresh", "up", "update", "destroy"].includes(commandOf(args) ?? "") && confirmedUpFront(args) && !args.some((a) => previewFlags.includes(a))) {
    return [...args, "--skip-preview"];
  }
  return [...args];
}

/** Environment variables for a Pulumi child process (merged over process.env). */
export function pulumiEnv(opts: PulumiEnvOptions): Record<string, string> {
  const root = opts.root ?? repoRoot;
  const base = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const backendUrl = chooseBackendUrl(opts, base);
  const pulumiHome = opts.pulumiHome ?? path.join(root, ".pulumi-cli", "home");
  fs.mkdirSync(pulumiHome, { recursive: true });
  const backendDir = fileBackendDir(backendUrl);
  if (backendDir) {
    fs.mkdirSync(backendDir, { recursive: true });
    for (const file of repairInterruptedWrites(backendDir)) {
      console.error(`[pulumi] removed ${file}: left empty by an interrupted command (the backend reads a missing one as defaults)`);
    }
  }
  return {
    ...base,
    PATH: `${opts.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_HOME: pulumiHome,
    PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? DEV_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // Steps in flight at once (Pulumi's default: 4 per CPU, 8 here). Each create, update or
    // delete of ours is one HTTP request, mostly waiting; more of them overlap API latency with
    // the engine's checkpoint writes. Terraform's default is 10. A user's own value wins.
    PULUMI_PARALLEL: base.PULUMI_PARALLEL ?? DEFAULT_PARALLEL,
    // @pulumi/gcp is a dependency, but its plugin cannot be downloaded offline; stacks that create
    // no Google Cloud resource never load it.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: base.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK ?? "false",
    // The state is written once, when a run ends, instead of after every step: see checkpoints.ts
    // for why that is safe for this project's resources, and when it is not used.
    PULUMI_SKIP_CHECKPOINTS: skipCheckpointsValue(
      base,
      checkpointMode({ env: base, backendUrl, programDir: opts.programDir ?? root, stackName: opts.stackName, requested: opts.checkpoints }),
    ),
  };
}

/** The caller's backend, else the user's PULUMI_BACKEND_URL (never replaced), else the local file backend. */
function chooseBackendUrl(opts: PulumiEnvOptions, env: Record<string, string | undefined>): string {
  if (opts.backendUrl) return opts.backendUrl;
  if (opts.backendDir) return `file://${path.resolve(opts.backendDir)}`;
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  return `file://${path.join(opts.root ?? localDir(), ".pulumi-state")}`;
}
