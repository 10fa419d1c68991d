/**
 * `npm run pulumi -- <any pulumi args>`: the Pulumi CLI in this project's offline environment
 * (CLI on PATH, file backend, passphrase, no update checks or plugin downloads), with the
 * emulator started around a command that reaches the API (up, preview, refresh, destroy...) when
 * nothing answers on its port yet. The npm script builds first with `tsc -b`, which only checks
 * timestamps when nothing changed. EMULATOR_PORT and
 * RECEIVER_PORT move the emulator and the stack's local URLs together (see lib/ports.ts).
 */
import { commandOf, providePulumiCli, pulumiEnv, repoRoot, stackOf } from "./lib/pulumiEnv";
import { runPulumi } from "./lib/runPulumi";
import { configFileForPorts, localPorts } from "./lib/ports";
import { emulatorAround } from "./lib/localEmulator";
import { exitWith } from "./lib/operatorError";

/** Commands that take `--config-file` and run against the stack's URLs. */
const RUNS_THE_STACK = new Set(["up", "update", "preview", "pre", "refresh", "destroy", "down"]);
/**
 * Whether the command reads the stack's config, so it is given the copy whose local URLs carry
 * EMULATOR_PORT / RECEIVER_PORT: the commands that run the stack, and `config` / `config get`,
 * which show what they would use. `config set` and the others write the stack's own file.
 */
function readsStackConfig(args: string[]): boolean {
  const words = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--stack" && args[i - 1] !== "-s");
  if (RUNS_THE_STACK.has(words[0] ?? "")) return true;
  return words[0] === "config" && (words.length === 1 || words[1] === "get");
}

/**
 * Commands that reach the Polytomic API (the program or the providers run): only these get an
 * emulator started around them. `config`, `stack`, `whoami`... never call it, so they neither
 * wait for one nor fail when its port is taken.
 */
const REACHES_THE_API = new Set([...RUNS_THE_STACK, "import", "watch"]);

/** The stack named by `--stack`/`-s`, else `dev` (the only stack whose config uses the local ports). */
function stackArg(args: string[]): string {
  return stackOf(args) || (process.env.POLYTOMIC_STACK ?? "dev");
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const ports = localPorts();
  const binDir = providePulumiCli();
  const command = commandOf(args) ?? "";
  const emulator = REACHES_THE_API.has(command) ? await emulatorAround(ports.emulator, "pulumi") : undefined;
  const configFile = readsStackConfig(args) && !args.some((a) => a.startsWith("--config-file")) ? configFileForPorts(repoRoot, stackArg(args), ports) : undefined;
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

exitWith(main);
