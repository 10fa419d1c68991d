/**
 * What the commands learn from a stack: its outputs (`polytomic-sync`: the sync ids) and its
 * config (both commands: `polytomic:url` / `polytomic:apiKey`). The source is a small function,
 * so a command can be driven from a file or a test as well as from `pulumi stack output`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";

/** Stack outputs as `pulumi stack output --json --show-secrets` prints them. */
export type StackOutputs = Record<string, unknown>;

/** What the command needs from a stack. `config` holds `polytomic:url` / `polytomic:apiKey` when known. */
export interface StackFacts {
  outputs: StackOutputs;
  config: Record<string, string | undefined>;
}

export type StackSource = () => Promise<StackFacts>;

/**
 * The environment variable naming a stack config file for `polytomic-sync` and `polytomic-export
 * --from-stack` to read instead of `Pulumi.<stack>.yaml`, as Pulumi's `--config-file` does. This
 * repository's `npm run sync` / `npm run export` set it when EMULATOR_PORT or RECEIVER_PORT move
 * the local servers (the stack's URLs then live in a copy of its config file).
 */
export const STACK_CONFIG_FILE_VARIABLE = "POLYTOMIC_STACK_CONFIG_FILE";

/** Reads outputs from a JSON file (e.g. saved `pulumi stack output --json --show-secrets`). */
export function stackFromFile(file: string): StackSource {
  return async () => {
    let outputs: unknown;
    try {
      outputs = JSON.parse(await fs.promises.readFile(file, "utf8"));
    } catch (err) {
      throw new Error(`cannot read outputs file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
      throw new Error(`outputs file ${file} must hold a JSON object`);
    }
    return { outputs: outputs as StackOutputs, config: {} };
  };
}

/**
 * Asks the Pulumi CLI (`pulumi stack output` and `pulumi config`, with secrets shown: they stay
 * in this process), run in the program folder `cwd`, with the `pulumi` on the PATH of `env` and the
 * user's own Pulumi environment (backend, passphrase). Without `stack`, the folder's selected stack.
 * `configFile`: the stack config file to read instead of `Pulumi.<stack>.yaml` (Pulumi's
 * `--config-file`; {@link STACK_CONFIG_FILE_VARIABLE}).
 */
export function stackFromPulumi(stack: string | undefined, env: NodeJS.ProcessEnv, cwd: string, configFile?: string): StackSource {
  const stackArgs = stack ? ["-s", stack] : [];
  const run = async (args: string[]): Promise<unknown> => {
    try {
      const { stdout } = await promisify(execFile)("pulumi", args, { env, cwd, maxBuffer: 16 * 1024 * 1024 });
      return JSON.parse(stdout);
    } catch (err) {
      // The CLI's stderr names the problem (no such stack, wrong passphrase); it holds no secret.
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new Error(`pulumi ${args.slice(0, 2).join(" ")}${stack ? ` -s ${stack}` : ""} failed${stderr ? `: ${stderr}` : ""}`);
    }
  };
  return async () => {
    const outputs = (await run(["stack", "output", "--json", "--show-secrets", ...stackArgs])) as StackOutputs;
    const rawConfig = (await run(["config", "--json", "--show-secrets", ...stackArgs, ...(configFile ? ["--config-file", configFile] : [])])) as Record<string, { value?: unknown }>;
    const config: Record<string, string | undefined> = {};
    for (const [key, entry] of Object.entries(rawConfig ?? {})) {
      if (typeof entry?.value === "string") config[key] = entry.value;
    }
    return { outputs, config };
  };
}
