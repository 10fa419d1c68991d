/**
 * What the crash tests share: what exists in the emulator and what the state records (by id), a
 * kill -9 of a process tree (the CLI and the plugins it started, each in a process group of its
 * own), and plain `pulumi` run as the workflows run it, its output captured.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import type { startEmulator } from "../../emulator";
import { processTree } from "../../scripts/lib/processes";

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
