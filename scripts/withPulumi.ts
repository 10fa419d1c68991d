/**
 * `node dist/scripts/withPulumi.js <command.js> [args...]`: runs one of the shipped commands
 * (dist/bin/) in this repository's Pulumi environment (pulumiEnv.ts: the CLI from
 * scripts/pulumi-cli.sh, the local file backend, the dev passphrase), in the repository root, on
 * stack `dev` unless POLYTOMIC_STACK names another. `npm run sync` and `npm run export` use it;
 * the installed commands use the user's own Pulumi instead. `--check <dir>` of another program runs
 * in the user's own Pulumi environment (the CLI put on PATH): the checked program's stack is
 * theirs; `--check .` checks this repository's own stack, in its environment.
 *
 * As `npm run pulumi` does, it starts the emulator around the command when nothing answers on its
 * port (unless POLYTOMIC_URL names another API, or a loopback URL on another port), and EMULATOR_PORT / RECEIVER_PORT move the
 * stack's local URLs: the command reads the stack's config from the copy that carries them
 * (lib/ports.ts), named by POLYTOMIC_STACK_CONFIG_FILE.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
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

/**
 * Whether POLYTOMIC_URL sends the command to an API other than the local emulator on its port
 * (EMULATOR_PORT): Polytomic, or a server of its own on another loopback port, which an emulator
 * started on EMULATOR_PORT would not serve.
 */
function elsewhere(url: string | undefined, emulatorPort: number): boolean {
  if (!url) return false;
  const local = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::(\d+))?(?:\/|$)/.exec(url);
  return !local || Number(local[1] ?? (url.startsWith("https") ? 443 : 80)) !== emulatorPort;
}

/** The value of `--<name> <value>` or `--<name>=<value>`. */
function optionValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1] ?? "";
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** Whether `dir` (relative to this repository, where the command runs) is this repository. */
function isRepository(dir: string): boolean {
  try {
    return fs.realpathSync(path.resolve(repoRoot, dir)) === fs.realpathSync(repoRoot);
  } catch {
    return false;
  }
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
  // `--check <dir>` of another program reads a stack made with plain `pulumi`, as the export's
  // printed steps say: the user's own Pulumi environment (backend, PULUMI_HOME, passphrase), with
  // only the CLI put on PATH. The other commands, and `--check` of this repository's own program,
  // read this repository's stacks (stack dev unless --stack names another), in its environment.
  const checkedDir = optionValue(args, "--check");
  const checking = checkedDir !== undefined && !isRepository(checkedDir);
  if (checkedDir !== undefined && !checking && optionValue(args, "--stack") === undefined) args.push("--stack", stack);
  const env: NodeJS.ProcessEnv = checking
    ? { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` }
    : {
        ...pulumiEnv({ binDir }),
        POLYTOMIC_STACK: process.env.POLYTOMIC_STACK || "dev",
        ...(configFile && !process.env[STACK_CONFIG_FILE_VARIABLE] ? { [STACK_CONFIG_FILE_VARIABLE]: configFile } : {}),
      };
  const helpOnly = args.length === 0 || args.includes("--help") || args.includes("-h");
  // No emulator for `--check` of another program: its API is the one that program's stack names.
  const emulator = helpOnly || checking || elsewhere(process.env.POLYTOMIC_URL, ports.emulator) ? undefined : await emulatorAround(ports.emulator, "npm run");
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
