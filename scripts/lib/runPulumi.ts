/**
 * Runs one `pulumi` command the way this project's scripts do (`npm run pulumi`, the benchmark).
 *
 * `refresh` and `destroy` run without the program: the engine then configures the providers with
 * the config the last `up` recorded in the state (the key encrypted), which is also where the
 * stack's objects were made. Running the program as well would cost as much again as the reads
 * themselves (about 1 s per 100 syncs). When that recorded key is refused or the recorded URL does
 * not answer (a rotated key, a moved API), the providers say so in their first request (as a
 * file, providers/recordedConfig.ts), and the command runs once more with `--run-program`, so the
 * current stack config is used.
 * `--run-program` or PULUMI_RUN_PROGRAM given by the user is left as is.
 *
 * The fallback applies when nobody is asked to confirm (`--yes`, or no terminal): its runs are
 * captured (and echoed) for the caller, and a piped output makes Pulumi non-interactive. Every
 * other command keeps the terminal (progress display, prompts).
 *
 * A stack locked by a run that died on this machine is unlocked first (deadRunLocks.ts), and an
 * `up` or `preview` after such a run also refreshes, since the dead run may have made or deleted
 * objects its state never recorded.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readRecordedConfigFailure, RECORDED_CONFIG_FAILURE_FILE } from "../../providers/recordedConfig";
import { clearDeadRunLocks, describeHeldLocks } from "./deadRunLocks";
import { cliArgs, commandOf, confirmedUpFront, stackOf } from "./pulumiEnv";

export interface PulumiRun {
  status: number;
  /** What the command printed (stdout then stderr, each in order); empty when it kept the terminal. */
  output: string;
  /** Whether it ran a second time with the program, on the current config. */
  reranWithProgram: boolean;
  /** Stacks (`<org>/<project>/<stack>`) a dead run had left locked, unlocked before this one. */
  unlockedAfterDeadRun: string[];
}

export interface RunPulumiOptions {
  cwd: string;
  env: Record<string, string>;
  /** Show the output as it comes (default true); false also captures it for every command. */
  echo?: boolean;
}

const ON_RECORDED_CONFIG = new Set(["refresh", "destroy", "down"]);

/** Whether the command runs on the config recorded in the state, and may be run again with the program. */
export function runsOnRecordedConfig(args: readonly string[], env: Record<string, string | undefined>): boolean {
  return ON_RECORDED_CONFIG.has(commandOf(args) ?? "") && !args.some((a) => a.startsWith("--run-program")) && env.PULUMI_RUN_PROGRAM === undefined;
}

/** Unlocks what dead runs left locked, and adds `--refresh` to an `up` or `preview` after one. */
async function afterDeadRuns(args: string[], opts: RunPulumiOptions): Promise<{ args: string[]; cleared: string[] }> {
  const cleared = await clearDeadRunLocks(opts.env.PULUMI_BACKEND_URL, stackOf(args));
  if (cleared.length === 0) return { args, cleared };
  const refresh = ["up", "update", "preview", "pre"].includes(commandOf(args) ?? "") && !args.some((a) => a.startsWith("--refresh"));
  if (opts.echo !== false) {
    console.error(
      `[pulumi] removed the lock of ${cleared.join(", ")} left by a run that died; ` +
        (refresh ? "this run refreshes first, since that one may have changed what its state does not show" : "its state may be behind what exists"),
    );
  }
  return { args: refresh ? [...args, "--refresh"] : args, cleared };
}

/** Nobody is asked to confirm: confirmed up front, or no terminal to ask on. */
function noPrompt(args: readonly string[], env: Record<string, string | undefined>): boolean {
  return confirmedUpFront(args, env) || !process.stdout.isTTY;
}

/** `pulumi <args>` (with --skip-preview added after --yes, see cliArgs), falling back to the program as described above. */
export async function runPulumi(args: readonly string[], opts: RunPulumiOptions): Promise<PulumiRun> {
  const { args: finalArgs, cleared } = await afterDeadRuns(cliArgs(args), opts);
  const result = await runWithFallback(finalArgs, opts);
  // Refused because another run holds the stack: say who, and how to clear a dead one, in one line.
  const lockedBy = result.status !== 0 ? await describeHeldLocks(opts.env.PULUMI_BACKEND_URL, stackOf(finalArgs)).catch(() => undefined) : undefined;
  if (lockedBy && opts.echo !== false) console.error(`[pulumi] ${lockedBy}`);
  return { ...result, output: lockedBy ? `${result.output}[pulumi] ${lockedBy}\n` : result.output, unlockedAfterDeadRun: cleared };
}

async function runWithFallback(finalArgs: string[], opts: RunPulumiOptions): Promise<Omit<PulumiRun, "unlockedAfterDeadRun">> {
  const mayFallBack = runsOnRecordedConfig(finalArgs, opts.env) && noPrompt(finalArgs, opts.env);
  if (!mayFallBack) return { ...(await run(finalArgs, opts, opts.echo === false)), reranWithProgram: false };
  const signalDir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-run-"));
  const signalFile = path.join(signalDir, "recorded-config-failure.json");
  let first: { status: number; output: string };
  let recordedConfigFailed: boolean;
  try {
    first = await run(finalArgs, { ...opts, env: { ...opts.env, [RECORDED_CONFIG_FAILURE_FILE]: signalFile } }, true);
    recordedConfigFailed = first.status !== 0 && readRecordedConfigFailure(signalFile) !== undefined;
  } finally {
    fs.rmSync(signalDir, { recursive: true, force: true });
  }
  if (!recordedConfigFailed) return { ...first, reranWithProgram: false };
  if (opts.echo !== false) {
    console.error("[pulumi] the key or URL recorded by the last `up` failed: running it again with the program, on the current stack config");
  }
  const second = await run([...finalArgs, "--run-program"], opts, true);
  return { status: second.status, output: `${first.output}${second.output}`, reranWithProgram: true };
}

function run(args: readonly string[], opts: RunPulumiOptions, capture: boolean): Promise<{ status: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd: opts.cwd, env: opts.env, stdio: capture ? ["inherit", "pipe", "pipe"] : "inherit" });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => {
      out.push(chunk);
      if (opts.echo !== false) process.stdout.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err.push(chunk);
      if (opts.echo !== false) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), output: Buffer.concat([...out, ...err]).toString("utf8") }));
  });
}
