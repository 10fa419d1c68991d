/**
 * What the crash tests share: what exists in the emulator and what the state records (by id), a
 * kill -9 of a process tree (the CLI and the plugins it started, each in a process group of its
 * own) or of the engine or the provider host alone, plain `pulumi` run as the workflows run it,
 * its output captured, the workflows' jobs run by their own steps, and the locks a backend holds.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import type { startEmulator } from "../../emulator";
import { heldLocks } from "../../scripts/lib/deadRunLocks";
import { processTree } from "../../scripts/lib/processes";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { readJob, runJob, type JobRun } from "./workflowSteps";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** The type tokens of the Polytomic resources start with this. */
export const POLYTOMIC_TYPE = "pulumi-nodejs:dynamic/polytomic:";

/** Every Polytomic object the emulator holds, by id. */
export function liveIds(emulator: Emulator): Set<string> {
  return new Set([
    ...emulator.state.connections().map((c) => c.id),
    ...emulator.state.models().map((m) => m.id),
    ...emulator.state.syncs().map((s) => s.id),
    ...emulator.state.webhooks().map((w) => w.id),
  ]);
}

/** The Polytomic resources the stack's state holds: urn, type and id. */
export async function stateResources(stack: Stack): Promise<{ urn: string; type: string; id: string }[]> {
  const deployment = (await stack.exportStack()).deployment as { resources?: { urn: string; type: string; id?: string }[] };
  return (deployment.resources ?? []).filter((r) => r.type.startsWith(POLYTOMIC_TYPE)).map((r) => ({ urn: r.urn, type: r.type, id: r.id! }));
}

/** The ids of {@link stateResources}. */
export async function stateIds(stack: Stack): Promise<Set<string>> {
  return new Set((await stateResources(stack)).map((r) => r.id));
}

/** kill -9 of `root` and every process under it, all at once (`root` itself spared when asked). */
export function killTree(root: number, opts: { spareRoot?: boolean } = {}): void {
  for (const { pid } of processTree(root).filter((p) => !(opts.spareRoot && p.pid === root))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** `pulumi <args> --non-interactive --color never` in `cwd`; its exit code and output (stdout then stderr). */
export async function pulumiCli(args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd, env, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** Which processes of a Pulumi run a test kills: the CLI (the engine) alone, the provider host alone, or both with the rest of the plugins. */
export type Killed = "engine" | "host" | "both";

/**
 * kill -9 of the `pulumi` CLI running under `root` (the test's own process, or a job's shell), of
 * its provider host alone, or of the CLI and everything it started. The engine's plugins each run
 * in a process group of their own, so killing the CLI alone leaves them to notice on their own
 * (langhost/dynamic-provider.js); killing the provider host alone leaves the engine to fail the run.
 */
export function killPulumi(root: number, killed: Killed): void {
  const cli = processTree(root).find((p) => path.basename(p.command.split(" ")[0]) === "pulumi");
  if (!cli) throw new Error("no pulumi CLI runs under the test");
  const under = processTree(cli.pid);
  const hosts = under.filter((p) => p.command.includes("dynamic-provider"));
  if (killed !== "engine" && hosts.length === 0) throw new Error("the CLI runs no provider host yet");
  const targets = killed === "engine" ? [cli] : killed === "host" ? hosts : under;
  for (const { pid } of targets) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** The locks the backend holds on `stack` (Pulumi's lock files, or rows). */
export async function locksOn(backendUrl: string, stack: string): Promise<number> {
  return (await heldLocks(backendUrl, stack)).length;
}

/** The workflows' jobs that run a locking command, as this repository's workflow files define them. */
export const CI_JOBS = {
  /** deploy.yml's `up`: locks, refresh after a dead run, `pulumi up`. */
  deploy: () => readJob(path.join(repoRoot, ".github", "workflows", "deploy.yml"), "up"),
  /** pr-stack.yml's `destroy`: locks, refresh, finish a dead `up`, `pulumi destroy`, `stack rm`. */
  prDestroy: () => readJob(path.join(repoRoot, ".github", "workflows", "pr-stack.yml"), "destroy"),
};

/**
 * One of {@link CI_JOBS} run by its own steps on this machine, with pulumi/actions stood in for by
 * the command it runs and the job's env from the stack's (`env`: what setup-pulumi leaves, e.g.
 * the state written once per run).
 */
export function runCiJob(
  job: keyof typeof CI_JOBS,
  opts: { workspace: string; tmp: string; stack: string; env: Record<string, string>; polytomicUrl: string; apiKey: string },
): Promise<JobRun> {
  return runJob(CI_JOBS[job](), {
    workspace: opts.workspace,
    tmp: opts.tmp,
    skip: {},
    actions: { "pulumi/actions": (step) => `pulumi ${String(step.with?.command)} --yes --skip-preview --non-interactive --color never --stack "$STACK"` },
    jobEnv: {
      PULUMI_BACKEND_URL: opts.env.PULUMI_BACKEND_URL,
      PULUMI_CONFIG_PASSPHRASE: opts.env.PULUMI_CONFIG_PASSPHRASE,
      POLYTOMIC_URL: opts.polytomicUrl,
      POLYTOMIC_API_KEY: opts.apiKey,
      STACK: opts.stack,
    },
    baseEnv: opts.env,
  });
}
