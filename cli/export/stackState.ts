/**
 * What `--check` reads of a program's stack, with the `pulumi` on PATH and the user's own Pulumi
 * environment (backend, passphrase), run in the program's folder: the state
 * (`pulumi stack export --show-secrets`) and the config (`pulumi config --json --show-secrets`).
 * Secrets stay in this process. Both commands only read; a missing folder, a folder without
 * Pulumi.yaml or a stack that does not exist is one line (CannotCheck).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { STACK_CONFIG_FILE_VARIABLE } from "../stackOutputs";
import { CannotCheck, StackSnapshot, StateResource } from "./check";

/** The line of the CLI's stderr that says what is wrong (`error: no stack named 'x' found`). */
function reason(stderr: string | undefined): string | undefined {
  const lines = (stderr ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "") ?? lines[lines.length - 1];
}

export function readStackWithPulumi(env: NodeJS.ProcessEnv) {
  return async (dir: string, stack: string | undefined): Promise<StackSnapshot> => {
    if (!fs.existsSync(path.join(dir, "Pulumi.yaml")) && !fs.existsSync(path.join(dir, "Pulumi.yml"))) {
      const what = fs.existsSync(dir) ? "is not a Pulumi program (no Pulumi.yaml)" : "does not exist";
      throw new CannotCheck(`${dir} ${what}: name the folder \`polytomic-export --out\` wrote`);
    }
    const stackArgs = stack ? ["--stack", stack] : [];
    const run = async (args: string[]): Promise<string> => {
      try {
        const { stdout } = await promisify(execFile)("pulumi", args, { env, cwd: dir, maxBuffer: 256 * 1024 * 1024 });
        return stdout;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new CannotCheck("pulumi is not on PATH (https://www.pulumi.com/docs/install/)");
        const why = reason((err as { stderr?: string }).stderr);
        throw new CannotCheck(`pulumi ${args.slice(0, 2).join(" ")}${stack ? ` --stack ${stack}` : ""} in ${dir} failed${why ? `: ${why}` : ""}`);
      }
    };
    const name = stack ?? (await run(["stack", "--show-name"])).trim();
    let deployment: { deployment?: { resources?: StateResource[] } };
    let rawConfig: Record<string, { value?: unknown }>;
    try {
      deployment = JSON.parse(await run(["stack", "export", "--show-secrets", ...stackArgs]));
      // The stack's config file, or the one named instead (this repository's `npm run export`
      // names a copy carrying EMULATOR_PORT / RECEIVER_PORT), as `pulumi --config-file` reads it.
      const configFile = env[STACK_CONFIG_FILE_VARIABLE];
      rawConfig = JSON.parse(await run(["config", "--json", "--show-secrets", ...stackArgs, ...(configFile ? ["--config-file", configFile] : [])]));
    } catch (err) {
      if (err instanceof CannotCheck) throw err;
      throw new CannotCheck(`the Pulumi CLI answered something that is not JSON in ${dir}`);
    }
    const config: Record<string, string | undefined> = {};
    for (const [key, entry] of Object.entries(rawConfig ?? {})) {
      if (typeof entry?.value === "string") config[key] = entry.value;
    }
    return { stack: name, resources: deployment.deployment?.resources ?? [], config };
  };
}
