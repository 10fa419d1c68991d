/**
 * Opens a stack of this project through the Automation API with the offline Pulumi environment.
 */
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { providePulumiCli, pulumiEnv, PulumiEnvOptions, repoRoot } from "./pulumiEnv";

export interface OpenStackOptions extends Partial<PulumiEnvOptions> {
  stackName: string;
  /** Program folder holding Pulumi.yaml; default the repository root. */
  workDir?: string;
}

export interface OpenedStack {
  stack: Stack;
  env: Record<string, string>;
  binDir: string;
}

export async function openStack(opts: OpenStackOptions): Promise<OpenedStack> {
  const binDir = opts.binDir ?? providePulumiCli();
  const env = pulumiEnv({ ...opts, binDir });
  // A CLI built by us lives in <root>/bin; one found on PATH is used as is.
  const root = path.basename(binDir) === "bin" ? path.dirname(binDir) : undefined;
  const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: false });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, workDir: opts.workDir ?? repoRoot },
    { pulumiCommand, envVars: env },
  );
  return { stack, env, binDir };
}
