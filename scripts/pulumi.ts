/**
 * `npm run pulumi -- <any pulumi args>`: the Pulumi CLI in this project's offline environment
 * (CLI on PATH, file backend, passphrase, no update checks or plugin downloads), with the
 * emulator started around a command that reaches the API (up, preview, refresh, destroy...) when
 * nothing answers on its port yet. The npm script builds first with `tsc -b`, which only checks
 * timestamps when nothing changed. EMULATOR_PORT and
 * RECEIVER_PORT move the emulator and the stack's local URLs together (see lib/ports.ts).
 */
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { DEFAULT_API_KEY } from "../emulator/defaults";
import { commandOf, localDir, providePulumiCli, pulumiEnv, repoRoot, stackOf } from "./lib/pulumiEnv";
import { runPulumi } from "./lib/runPulumi";
import { assertPortFree, configFileForPorts, localPorts } from "./lib/ports";
import { failureText } from "./lib/operatorError";

/** Commands that take `--config-file` and run against the stack's URLs. */
const RUNS_THE_STACK = new Set(["up", "update", "preview", "pre", "refresh", "destroy", "down"]);
/**
 * Commands that reach the Polytomic API (the program or the providers run): only these get an
 * emulator started around them. `config`, `stack`, `whoami`... never call it, so they neither
 * wait for one nor fail when its port is taken.
 */
const REACHES_THE_API = new Set([...RUNS_THE_STACK, "import", "watch"]);

async function emulatorAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/me`, {
      headers: { Authorization: `Bearer ${process.env.POLYTOMIC_API_KEY ?? DEFAULT_API_KEY}` },
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** The stack named by `--stack`/`-s`, else `dev` (the only stack whose config uses the local ports). */
function stackArg(args: string[]): string {
  return stackOf(args) || (process.env.POLYTOMIC_STACK ?? "dev");
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const ports = localPorts();
  const binDir = providePulumiCli();
  const url = `http://127.0.0.1:${ports.emulator}`;
  const command = commandOf(args) ?? "";
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (REACHES_THE_API.has(command) && !(await emulatorAnswers(url))) {
    await assertPortFree(ports.emulator, "EMULATOR_PORT", "emulator");
    emulator = await startEmulator({ port: ports.emulator, dataDir: path.join(localDir(), ".data", "emulator"), log: () => undefined });
    console.error(`[pulumi] emulator started on ${emulator.url} for this command`);
  }
  const configFile = RUNS_THE_STACK.has(command) && !args.some((a) => a.startsWith("--config-file")) ? configFileForPorts(repoRoot, stackArg(args), ports) : undefined;
  try {
    const run = await runPulumi(configFile ? [...args, "--config-file", configFile] : args, {
      cwd: repoRoot,
      env: pulumiEnv({ binDir, stackName: stackArg(args) }),
    });
    return run.status;
  } finally {
    await emulator?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(failureText(err));
    process.exit(1);
  },
);
