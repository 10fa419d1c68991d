/**
 * `node dist/scripts/withPulumi.js <command.js> [args...]`: runs one of the shipped commands
 * (dist/bin/) in this repository's Pulumi environment (pulumiEnv.ts: the CLI from
 * scripts/pulumi-cli.sh, the local file backend, the dev passphrase), in the repository root, on
 * stack `dev` unless POLYTOMIC_STACK names another. `npm run sync` and `npm run export` use it;
 * the installed commands use the user's own Pulumi instead. `--check <dir>` runs in the user's own
 * Pulumi environment (the CLI put on PATH): the checked program's stack is theirs.
 *
 * As `npm run pulumi` does, it starts the emulator around the command when nothing answers on its
 * port (unless POLYTOMIC_URL names another API), and EMULATOR_PORT / RECEIVER_PORT move the
 * stack's local URLs: the command reads the stack's config from the copy that carries them
 * (lib/ports.ts), named by POLYTOMIC_STACK_CONFIG_FILE.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { STACK_CONFIG_FILE_VARIABLE } from "../cli/stackOutputs";
import { exitWith } from "./lib/operatorError";
import { emulatorAround } from "./lib/localEmulator";
import { configFileForPorts, localPorts } from "./lib/ports";
import { providePulumiCli, pulumiEnv, repoRoot } from "./lib/pulumiEnv";

/** The stack whose config the command reads: `--from-stack` / `--stack` / `-s`, else POLYTOMIC_STACK, else dev. */
function stackOfCommand(args: string[]): string {
  const i = args.findIndex((a) => a === "--from-stack" || a === "--stack" || a === "-s");
  return (i >= 0 ? args[i + 1] : undefined) ?? (process.env.POLYTOMIC_STACK || "dev");
}

/** Whether POLYTOMIC_URL sends the command to an API other than the local emulator. */
function elsewhere(url: string | undefined): boolean {
  return !!url && !/^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(url);
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error("usage: node dist/scripts/withPulumi.js <command.js> [args...]");
    return 2;
  }
  const ports = localPorts();
  const stack = stackOfCommand(args);
  const configFile = configFileForPorts(repoRoot, stack, ports);
  const binDir = providePulumiCli();
  // `--check <dir>` reads a stack of another program, made with plain `pulumi` as the export's
  // printed steps say: the user's own Pulumi environment (backend, PULUMI_HOME, passphrase), with
  // only the CLI put on PATH. The other commands read this repository's stacks, in its environment.
  const checking = args.includes("--check");
  const env: NodeJS.ProcessEnv = checking
    ? { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` }
    : {
        ...pulumiEnv({ binDir }),
        POLYTOMIC_STACK: process.env.POLYTOMIC_STACK || "dev",
        ...(configFile && !process.env[STACK_CONFIG_FILE_VARIABLE] ? { [STACK_CONFIG_FILE_VARIABLE]: configFile } : {}),
      };
  const helpOnly = args.length === 0 || args.includes("--help") || args.includes("-h");
  // No emulator for `--check`: its API is the one the checked program's stack names.
  const emulator = helpOnly || checking || elsewhere(process.env.POLYTOMIC_URL) ? undefined : await emulatorAround(ports.emulator, "npm run");
  try {
    const child = spawn(process.execPath, [command, ...args], { cwd: repoRoot, env, stdio: "inherit" });
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await emulator?.stop();
  }
}

exitWith(main);
